//! Staff decisions about sign-ups and applications: one rule-set for both. A decision must be
//! one its kind of record takes; a note is at most [`NOTE_MAX_CHARS`] characters; a refusal
//! (a rejected sign-up, a declined application) needs a note, because the person or company is
//! told why.

use crate::validate::FieldError;
use crate::wire::{DecisionBody, RecordKind, Status};

/// Longest note, in characters.
pub const NOTE_MAX_CHARS: usize = 500;

impl DecisionBody {
    /// The decision and the trimmed note, or every field error.
    pub fn check(&self, kind: RecordKind) -> Result<(Status, String), Vec<FieldError>> {
        let note = self.note.trim().to_string();
        let decision = self
            .decision
            .parse::<Status>()
            .ok()
            .filter(|s| kind.decisions().contains(s));
        let mut errors = Vec::new();
        if decision.is_none() {
            errors.push(match kind {
                RecordKind::Signup => FieldError::new(
                    "decision",
                    "invalid_decision",
                    "请选择核实结果",
                    "Choose verified or rejected",
                ),
                RecordKind::Application => FieldError::new(
                    "decision",
                    "invalid_decision",
                    "请选择接受或婉拒",
                    "Choose accepted or declined",
                ),
            });
        }
        match decision {
            Some(Status::Rejected) if note.is_empty() => errors.push(FieldError::new(
                "note",
                "required",
                "不通过时请写明原因",
                "Say why when rejecting",
            )),
            Some(Status::Declined) if note.is_empty() => errors.push(FieldError::new(
                "note",
                "required",
                "婉拒时请写明原因",
                "Say why when declining",
            )),
            _ => {}
        }
        if note.chars().count() > NOTE_MAX_CHARS {
            errors.push(FieldError::new(
                "note",
                "too_long",
                "备注最多 500 字",
                "Notes are at most 500 characters",
            ));
        }
        match decision {
            Some(decision) if errors.is_empty() => Ok((decision, note)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(body: DecisionBody, kind: RecordKind) -> Vec<String> {
        body.check(kind)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| format!("{}:{}", e.field, e.code))
            .collect()
    }

    #[test]
    fn both_kinds_follow_the_same_note_rules() {
        let long = "备".repeat(NOTE_MAX_CHARS + 1);
        for (kind, yes, no) in [
            (RecordKind::Signup, Status::Verified, Status::Rejected),
            (RecordKind::Application, Status::Accepted, Status::Declined),
        ] {
            assert_eq!(
                DecisionBody::new(yes, "  ").check(kind),
                Ok((yes, String::new()))
            );
            assert_eq!(fields(DecisionBody::new(no, " "), kind), ["note:required"]);
            assert_eq!(
                fields(DecisionBody::new(yes, &long), kind),
                ["note:too_long"]
            );
            assert_eq!(
                DecisionBody::new(no, &"备".repeat(NOTE_MAX_CHARS)).check(kind),
                Ok((no, "备".repeat(NOTE_MAX_CHARS)))
            );
            assert_eq!(
                fields(DecisionBody::new(Status::Received, "x"), kind),
                ["decision:invalid_decision"]
            );
        }
        // A kind takes only its own decisions.
        assert_eq!(
            fields(DecisionBody::new(Status::Accepted, ""), RecordKind::Signup),
            ["decision:invalid_decision"]
        );
    }
}
