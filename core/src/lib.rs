//! Guanai's domain: the Jing-Jin-Ji Social Worker Care Plan as data.
//!
//! This crate is shared by the widgets (compiled to WebAssembly, running in the browser) and the
//! edge worker (WebAssembly on workerd). It must stay free of web dependencies: no DOM, no
//! Leptos, no worker bindings, no KV. Everything here is plain Rust tested natively.
//!
//! - [`codes`]: the stable code lists (service areas, associations, qualification levels,
//!   languages) exactly as they are serialised in the public contract.
//! - [`regions`]: GB/T 2260 regions of Beijing, Tianjin and Hebei.
//! - [`model`]: partners, benefits and the published catalogue.
//! - [`validate`]: the one rule-set that checks a catalogue (and later, forms).
//! - [`search`]: substring search and filtering over a catalogue.
//! - [`geo`], [`cluster`], [`places`], [`boundaries`]: the partner map's projection, GCJ-02
//!   offset, distances, pin clustering, location filtering and the offline base map outlines.
//! - [`describe`]: a benefit in words (validity, who, where, map links), for the finder and
//!   the plain catalogue pages alike.
//! - [`decimal`]: numbers rounded for display and SVG without float formatting machinery.
//! - [`time`]: "today" as the programme sees it (Asia/Shanghai).
//! - [`i18n`]: every user-facing string, in zh-CN and en.
//! - [`demo`] and [`synthetic`]: the demo programme and large generated catalogues.
//! - [`staff`]: staff roles, the one permission check, Argon2id password hashes.
//! - [`hsds`]: the catalogue as Open Referral HSDS 3.0 JSON.
//! - [`import`]: partners and benefits from CSV, every problem by row and column.
//! - [`own_data`]: a person's rights over their sign-up: correction rules, retention.
//! - [`link_state`]: a finder's state in the host page's URL fragment (`link-state`).
//! - [`uri`]: URI components encoded as the browser encodes them, for native code.
//! - [`origin`]: partner sites' web origins, normalised as browsers send them.
//! - [`table`]: CSV exports that open in Excel (BOM) and cannot carry formulas.

/// `ALL` for a fieldless enum, from one list that also feeds an exhaustive `match`: a new
/// variant does not compile until it is listed here, so `ALL` (and every table test that walks
/// it) cannot miss one.
macro_rules! every_variant {
    ($ty:ident: $($variant:ident),+ $(,)?) => {
        impl $ty {
            /// Every value.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
        }

        const _: fn($ty) = |value| match value {
            $($ty::$variant)|+ => {}
        };
    };
}

pub mod application;
pub mod boundaries;
pub mod challenge;
pub mod cities;
pub mod cluster;
pub mod codes;
pub mod consent;
pub mod credit_code;
pub mod decimal;
pub mod demo;
pub mod describe;
pub mod digest;
pub mod geo;
pub mod hsds;
pub mod i18n;
pub mod import;
pub mod link_state;
pub mod mobile;
pub mod model;
pub mod origin;
pub mod own_data;
pub mod pinyin;
pub mod places;
pub mod regions;
pub mod review;
pub mod search;
pub mod signup;
pub mod staff;
pub mod synthetic;
pub mod table;
pub mod time;
pub mod uri;
pub mod validate;
pub mod wire;

pub use codes::{Association, Lang, QualificationLevel, ServiceArea};
pub use model::{Award, Benefit, Catalogue, Contact, Location, Partner, PartnerKind, Text};
