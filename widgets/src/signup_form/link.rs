//! The private management link, shown once when a sign-up is acknowledged: as text to copy, a
//! button that copies it, and a QR code to scan with another phone. The secret travels in the
//! link's fragment (`/me#<secret>`), which browsers never send to a server.

use guanai_core::Lang;
use guanai_core::i18n::FormUi;
use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};
use wasm_bindgen::JsCast;

use crate::element::tr;

/// The dark modules of `text`'s QR code as one SVG path (one unit per module, inside a quiet
/// zone of 4), and the side of the whole square; `None` if the text does not fit a QR code.
pub fn qr_path(text: &str) -> Option<(String, i32)> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{} {}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    Some((path, size + 8))
}

/// What copying the link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    Not,
    Done,
    /// No clipboard (older WebViews, insecure pages): the person copies by hand.
    ByHand,
}

/// The link, why to keep it, a copy button, the page itself and the QR code.
#[component]
pub fn ManagementLink(
    /// The whole link, `…/me#<secret>`.
    link: String,
    /// Language.
    lang: Signal<Lang>,
) -> impl IntoView {
    let copied = RwSignal::new(Copied::Not);
    let to_copy = link.clone();
    let copy = move |_| {
        let text = to_copy.clone();
        leptos::task::spawn_local(async move {
            let written = crate::share::copy_text(&text).await;
            copied.set(if written {
                Copied::Done
            } else {
                Copied::ByHand
            });
        });
    };
    let qr = qr_path(&link).map(|(path, side)| {
        view! {
            <svg class="qr" role="img" viewBox=format!("0 0 {side} {side}")
                aria-label=move || FormUi::LinkQr.get(lang.get())>
                <rect width=side height=side fill="#fff" />
                <path d=path fill="#000" />
            </svg>
        }
    });
    view! {
        <div class="management-link">
            <h3>{tr(lang, FormUi::LinkTitle)}</h3>
            <p>{tr(lang, FormUi::LinkWhy)}</p>
            <label class="link-label" for="signup-management-link">{tr(lang, FormUi::LinkLabel)}</label>
            <input id="signup-management-link" class="link-text" type="text" readonly
                prop:value=link.clone()
                on:focus=move |event| {
                    if let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                } />
            <div class="link-actions">
                <button type="button" class="button" on:click=copy>{tr(lang, FormUi::CopyLink)}</button>
                <a class="button secondary" href=link target="_blank" rel="noopener noreferrer">{tr(lang, FormUi::OpenLink)}</a>
            </div>
            <p class="hint" role="status">
                {move || match copied.get() {
                    Copied::Not => String::new(),
                    Copied::Done => FormUi::LinkCopied.get(lang.get()).to_string(),
                    Copied::ByHand => FormUi::CopyByHand.get(lang.get()).to_string(),
                }}
            </p>
            {qr}
        </div>
    }
}
