//! Sending a form until the server answers: the minimum fill time, a fresh proof-of-work
//! challenge solved in slices, the POST with the attempt's `Idempotency-Key`, and retries with
//! backoff while the network or the server fails.

use guanai_core::challenge;
use guanai_core::i18n::ErrorBody;
use guanai_core::wire::{Acknowledgement, ChallengeIssued, Solution, Submission as Envelope};
use leptos::prelude::*;

use super::wake::Wake;
use crate::api::endpoint;
use crate::http;

/// Where a submission stands, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Editing,
    Verifying,
    Sending,
    /// Not sent; trying again after `seconds` (or when back online, or on "try now").
    Waiting {
        seconds: u32,
        offline: bool,
    },
    /// The server answered (accepted or refused).
    Answered,
}

/// What is sent, and where.
#[derive(Debug, Clone)]
pub struct Submission {
    pub api: String,
    /// `/v1/signups` or `/v1/partner-applications`.
    pub path: &'static str,
    /// The same on every retry of this attempt.
    pub idempotency_key: String,
    pub form: serde_json::Value,
    /// The honeypot field's content (empty for people).
    pub honeypot: String,
    /// When the form appeared (`Date.now()`), for the minimum fill time.
    pub shown_at: f64,
}

/// The server's answer to a submission.
#[derive(Debug, Clone)]
pub enum Answer {
    Accepted(Acknowledgement),
    Refused { status: u16, body: ErrorBody },
}

/// Sends `form` to `path` until the server answers: solves a fresh proof-of-work challenge,
/// posts with `idempotency_key` (the same key on every retry, so the server never stores twice),
/// and on network failure or a 5xx waits with exponential backoff (1 s, 2 s, 4 s … 30 s),
/// cut short when the browser comes back online or `wake` is called.
pub async fn submit_until_answered(
    submission: Submission,
    phase: RwSignal<Phase>,
    wake: Wake,
) -> Answer {
    // A draft restored and sent at once is faster than the server's bot screen allows: hold it
    // back for the rest of the minimum fill time instead of getting refused.
    let remaining = challenge::MIN_FILL_MS as f64 - (js_sys::Date::now() - submission.shown_at);
    if remaining > 0.0 {
        phase.set(Phase::Verifying);
        Wake::new().wait(remaining.ceil() as u32).await;
    }
    let mut backoff = 1;
    let mut challenge_retries = 0;
    loop {
        match attempt(&submission, phase).await {
            Ok(Answer::Refused { body, .. })
                if body.error.code.starts_with("challenge_") && challenge_retries < 2 =>
            {
                // Expired or already used (a slow phone, a double tap): solve a new one.
                challenge_retries += 1;
            }
            Ok(answer) => {
                phase.set(Phase::Answered);
                return answer;
            }
            Err(()) => {
                let offline = !web_sys::window()
                    .map(|w| w.navigator().on_line())
                    .unwrap_or(true);
                phase.set(Phase::Waiting {
                    seconds: backoff,
                    offline,
                });
                wake.wait(backoff * 1000).await;
                backoff = (backoff * 2).min(30);
            }
        }
    }
}

/// One try. `Err` means "no answer": network failure or a server error that stored nothing.
async fn attempt(submission: &Submission, phase: RwSignal<Phase>) -> Result<Answer, ()> {
    let Submission {
        api,
        path,
        idempotency_key,
        form,
        honeypot,
        shown_at,
    } = submission;
    let elapsed_ms = (js_sys::Date::now() - shown_at).max(0.0) as u64;
    phase.set(Phase::Verifying);
    let answer = http::get(&endpoint(api, "/v1/challenge"))
        .await
        .map_err(|_| ())?;
    if !answer.ok() {
        return Err(());
    }
    let issued: ChallengeIssued = serde_json::from_str(&answer.text).map_err(|_| ())?;
    let nonce = solve_without_freezing(&issued.token).await.ok_or(())?;
    phase.set(Phase::Sending);
    let envelope = Envelope {
        form,
        challenge: Solution {
            token: issued.token,
            nonce,
        },
        website: honeypot.clone(),
        elapsed_ms,
    };
    let body = serde_json::to_string(&envelope).map_err(|_| ())?;
    let http::Answer { status, text } = http::post_json(
        &endpoint(api, path),
        &body,
        &[("Idempotency-Key", idempotency_key.as_str())],
    )
    .await
    .map_err(|_| ())?;
    if status >= 500 {
        return Err(());
    }
    if (200..300).contains(&status) {
        // A 2xx is stored; if its body does not read, the person still needs to hear so.
        let acknowledged = serde_json::from_str(&text).unwrap_or(Acknowledgement {
            reference: String::new(),
            status: guanai_core::wire::Status::Received,
            secret: None,
        });
        return Ok(Answer::Accepted(acknowledged));
    }
    let body = serde_json::from_str(&text).map_err(|_| ())?;
    Ok(Answer::Refused { status, body })
}

/// Solves the proof of work in slices, yielding to the browser between them so the page keeps
/// responding (and the status line can paint) on slow phones.
async fn solve_without_freezing(token: &str) -> Option<u64> {
    const SLICE: u64 = 4_096;
    let mut start = 0;
    while start < u64::MAX - SLICE {
        if let Some(nonce) = challenge::solve(token, start, SLICE) {
            return Some(nonce);
        }
        start += SLICE;
        Wake::new().wait(0).await;
    }
    None
}
