//! Association staff: who they are, what their role lets them do, and their passwords.
//!
//! Three roles (issue "admin view"): the plan admin may do everything; an association admin may
//! do everything to their own association's data and nothing to another's; a viewer reads (their
//! association's, or with no association the whole plan's) data but never sees or exports
//! personal data. [`Staff::may`] is the one place that decides; every admin route asks it on the
//! server, whatever the UI shows.
//!
//! Passwords are stretched with Argon2id (RFC 9106) at OWASP's minimum of 19 MiB and 2 passes,
//! which costs tens of milliseconds of CPU per login in workerd (measured in the closing note
//! and by `cargo xtask bench`). Parameters and salt are stored with each hash, so they can be
//! raised later without invalidating existing passwords.

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::codes::Association;
use crate::validate::FieldError;

/// What a staff member is allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, for every association; the only role that manages staff of all associations.
    PlanAdmin,
    /// Everything for one association's data.
    AssociationAdmin,
    /// Read-only, without personal data.
    Viewer,
}

/// Something a staff member may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See partners, benefits, sign-up lists without personal fields, the dashboard.
    Read,
    /// Create, edit, archive partners and benefits; review sign-ups and applications.
    Edit,
    /// Publish a catalogue snapshot or roll back (the catalogue is shared by the whole plan).
    Publish,
    /// See decrypted personal data (each view is audited).
    ReadPersonalData,
    /// Export lists with personal data.
    ExportPersonalData,
    /// Correct or delete a person's sign-up, or replace their management link, on their
    /// request (audited with a reason).
    ActOnRequest,
    /// Create staff accounts.
    ManageStaff,
    /// Read and export the audit log.
    ReadAudit,
}

/// A staff account as sessions and permission checks see it (no password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub username: String,
    pub role: Role,
    /// The association whose data this account is limited to; `None` only for the plan admin
    /// and for plan-wide viewers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association: Option<Association>,
}

/// Why an action was refused: the caller's role, or another association's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    Role,
    OtherAssociation,
}

impl Staff {
    /// Whether this account may do `action` on data of `scope` (`None`: plan-wide data such as
    /// the published catalogue or the staff list).
    pub fn may(&self, action: Action, scope: Option<Association>) -> Result<(), Denied> {
        let allowed_by_role = match self.role {
            Role::PlanAdmin => true,
            Role::AssociationAdmin => !matches!(action, Action::Publish | Action::ReadAudit),
            Role::Viewer => action == Action::Read,
        };
        if !allowed_by_role {
            return Err(Denied::Role);
        }
        match (self.association, scope) {
            // Limited accounts touch only their association's data, and read plan-wide data.
            (Some(own), Some(scope)) if own != scope => Err(Denied::OtherAssociation),
            (Some(_), None) if action != Action::Read && action != Action::ManageStaff => {
                Err(Denied::Role)
            }
            _ => Ok(()),
        }
    }

    /// Whether this account may create `other`: the plan admin anyone; an association admin only
    /// viewers and admins of their own association.
    pub fn may_create(&self, other: &Staff) -> Result<(), Denied> {
        self.may(Action::ManageStaff, other.association)?;
        match (self.role, other.role, other.association) {
            (Role::PlanAdmin, _, _) => Ok(()),
            (Role::AssociationAdmin, Role::AssociationAdmin | Role::Viewer, Some(_)) => Ok(()),
            _ => Err(Denied::Role),
        }
    }

    /// Checks the account's own fields: username shape, and an association exactly where the
    /// role needs one.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Err(error) = check_username(&self.username) {
            errors.push(error);
        }
        match (self.role, self.association) {
            (Role::PlanAdmin, Some(_)) => errors.push(FieldError::new(
                "association",
                "not_allowed",
                "方案管理员不属于某一个协会",
                "A plan admin is not limited to one association",
            )),
            (Role::AssociationAdmin, None) => errors.push(FieldError::new(
                "association",
                "required",
                "请选择协会",
                "Choose the association",
            )),
            _ => {}
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Usernames: 3–32 lowercase letters, digits, `.`, `_` or `-` (they appear in KV keys and logs,
/// so nothing that needs escaping).
pub fn check_username(username: &str) -> Result<(), FieldError> {
    let ok = (3..=32).contains(&username.len())
        && username.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "username",
            "invalid_username",
            "用户名为 3–32 位小写字母、数字或 . _ -",
            "Usernames are 3–32 lowercase letters, digits, . _ or -",
        ))
    }
}

/// Passwords: at least 12 characters (NIST SP 800-63B lets length do the work; no composition
/// rules), at most 128 so a huge body cannot make the KDF work harder.
pub fn check_password(password: &str) -> Result<(), FieldError> {
    let length = password.chars().count();
    if (12..=128).contains(&length) {
        Ok(())
    } else {
        Err(FieldError::new(
            "password",
            "weak_password",
            "密码需为 12–128 个字符",
            "Passwords must be 12 to 128 characters long",
        ))
    }
}

/// A stored password hash with everything needed to check it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordHash {
    /// Always `argon2id` for now; the field lets a future algorithm coexist.
    pub algorithm: String,
    /// Memory in KiB, passes, lanes.
    pub m: u32,
    pub t: u32,
    pub p: u32,
    /// Hex.
    pub salt: String,
    /// Hex, 32 bytes.
    pub hash: String,
}

/// The parameters new hashes are made with: OWASP's Argon2id minimum.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;

/// Hashes `password` with the 16-byte `salt` (fresh random bytes from the caller).
pub fn hash_password(password: &str, salt: [u8; 16]) -> Result<PasswordHash, String> {
    let hash = argon2id(password, &salt, MEMORY_KIB, PASSES, 1)?;
    Ok(PasswordHash {
        algorithm: "argon2id".into(),
        m: MEMORY_KIB,
        t: PASSES,
        p: 1,
        salt: crate::challenge::hex(&salt),
        hash: crate::challenge::hex(&hash),
    })
}

/// Whether `password` matches `stored`, compared in constant time. Malformed records never match.
pub fn verify_password(password: &str, stored: &PasswordHash) -> bool {
    let (Some(salt), Some(expected)) = (
        crate::challenge::unhex(&stored.salt),
        crate::challenge::unhex(&stored.hash),
    ) else {
        return false;
    };
    if stored.algorithm != "argon2id" || stored.m > 256 * 1024 || stored.t > 16 || stored.p != 1 {
        return false;
    }
    match argon2id(password, &salt, stored.m, stored.t, stored.p) {
        Ok(computed) => computed.ct_eq(expected.as_slice()).into(),
        Err(_) => false,
    }
}

fn argon2id(password: &str, salt: &[u8], m: u32, t: u32, p: u32) -> Result<[u8; 32], String> {
    let params = Params::new(m, t, p, Some(32)).map_err(|e| e.to_string())?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut out)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Compares two secrets (CSRF tokens, say) in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Association::{Beijing, Hebei, Tianjin};

    fn staff(role: Role, association: Option<Association>) -> Staff {
        Staff {
            username: "wang.fang".into(),
            role,
            association,
        }
    }

    #[test]
    fn roles_and_associations_decide_together() {
        let plan = staff(Role::PlanAdmin, None);
        let beijing = staff(Role::AssociationAdmin, Some(Beijing));
        let viewer = staff(Role::Viewer, Some(Tianjin));
        let plan_viewer = staff(Role::Viewer, None);
        use Action::*;
        for action in [
            Read,
            Edit,
            Publish,
            ReadPersonalData,
            ExportPersonalData,
            ActOnRequest,
            ManageStaff,
            ReadAudit,
        ] {
            assert_eq!(plan.may(action, Some(Hebei)), Ok(()));
            assert_eq!(plan.may(action, None), Ok(()));
        }
        assert_eq!(beijing.may(Edit, Some(Beijing)), Ok(()));
        assert_eq!(beijing.may(ReadPersonalData, Some(Beijing)), Ok(()));
        assert_eq!(beijing.may(ActOnRequest, Some(Beijing)), Ok(()));
        assert_eq!(
            beijing.may(ActOnRequest, Some(Hebei)),
            Err(Denied::OtherAssociation)
        );
        assert_eq!(viewer.may(ActOnRequest, Some(Tianjin)), Err(Denied::Role));
        assert_eq!(
            beijing.may(Edit, Some(Tianjin)),
            Err(Denied::OtherAssociation)
        );
        assert_eq!(
            beijing.may(Read, Some(Hebei)),
            Err(Denied::OtherAssociation)
        );
        assert_eq!(beijing.may(Read, None), Ok(()));
        assert_eq!(beijing.may(Publish, None), Err(Denied::Role));
        assert_eq!(beijing.may(ReadAudit, None), Err(Denied::Role));
        assert_eq!(viewer.may(Read, Some(Tianjin)), Ok(()));
        assert_eq!(
            viewer.may(Read, Some(Beijing)),
            Err(Denied::OtherAssociation)
        );
        for action in [
            Edit,
            Publish,
            ReadPersonalData,
            ExportPersonalData,
            ManageStaff,
            ReadAudit,
        ] {
            assert_eq!(viewer.may(action, Some(Tianjin)), Err(Denied::Role));
            assert_eq!(plan_viewer.may(action, None), Err(Denied::Role));
        }
        assert_eq!(plan_viewer.may(Read, Some(Hebei)), Ok(()));
    }

    #[test]
    fn only_the_right_people_create_accounts() {
        let plan = staff(Role::PlanAdmin, None);
        let beijing = staff(Role::AssociationAdmin, Some(Beijing));
        let viewer = staff(Role::Viewer, Some(Beijing));
        assert_eq!(plan.may_create(&staff(Role::PlanAdmin, None)), Ok(()));
        assert_eq!(
            beijing.may_create(&staff(Role::Viewer, Some(Beijing))),
            Ok(())
        );
        assert_eq!(
            beijing.may_create(&staff(Role::AssociationAdmin, Some(Beijing))),
            Ok(())
        );
        assert_eq!(
            beijing.may_create(&staff(Role::Viewer, Some(Hebei))),
            Err(Denied::OtherAssociation)
        );
        assert_eq!(
            beijing.may_create(&staff(Role::PlanAdmin, None)),
            Err(Denied::Role)
        );
        assert_eq!(
            beijing.may_create(&staff(Role::Viewer, None)),
            Err(Denied::Role)
        );
        assert_eq!(
            viewer.may_create(&staff(Role::Viewer, Some(Beijing))),
            Err(Denied::Role)
        );
    }

    #[test]
    fn accounts_are_checked() {
        assert_eq!(staff(Role::PlanAdmin, None).validate(), Ok(()));
        let errors = staff(Role::AssociationAdmin, None).validate().unwrap_err();
        assert_eq!(errors[0].field, "association");
        assert!(staff(Role::PlanAdmin, Some(Hebei)).validate().is_err());
        for bad in ["ab", "Wang", "wang fang", "王芳", "a/b", &"x".repeat(33)] {
            assert!(check_username(bad).is_err(), "{bad}");
        }
        assert!(check_username("li-na_2.bj").is_ok());
        assert!(check_password("short").is_err());
        assert!(check_password(&"长".repeat(12)).is_ok());
        assert!(check_password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let stored = hash_password("correct horse battery", [7; 16]).unwrap();
        assert_eq!(
            (stored.m, stored.t, stored.algorithm.as_str()),
            (19 * 1024, 2, "argon2id")
        );
        assert!(verify_password("correct horse battery", &stored));
        assert!(!verify_password("correct horse batterY", &stored));
        // A different salt gives a different hash for the same password.
        let other = hash_password("correct horse battery", [8; 16]).unwrap();
        assert_ne!(stored.hash, other.hash);
        // Tampered or absurd records never verify (and never make the KDF run for minutes).
        let mut tampered = stored.clone();
        tampered.m = 4 * 1024 * 1024;
        assert!(!verify_password("correct horse battery", &tampered));
        let mut broken = stored.clone();
        broken.salt = "zz".into();
        assert!(!verify_password("correct horse battery", &broken));
        assert!(
            same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("abc", "ab")
        );
    }
}
