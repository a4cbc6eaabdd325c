//! The last catalogue kept on the device, so the finder and the map open with no signal.
//!
//! The catalogue is public data. It goes to the host origin's IndexedDB, keyed by the API it
//! came from: IndexedDB has a quota of its own (a 10,000-benefit catalogue is megabytes), where
//! `localStorage` is small and shared with the host page's own data. A copy is written only when
//! the edge's answer differs from the one kept. Where IndexedDB is missing or refused (private
//! modes, sandboxed frames), nothing is kept and the widget works as before.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

const DATABASE: &str = "guanai";
const STORE: &str = "catalogues";

/// A kept copy: the catalogue's JSON text and when it was saved (ms since the Unix epoch).
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub text: String,
    pub saved_ms: f64,
}

/// Resolves with `request`'s result once it succeeds; rejects on error.
async fn done(request: &web_sys::IdbRequest) -> Option<JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.ok()?;
    request.result().ok()
}

async fn open() -> Option<web_sys::IdbDatabase> {
    let factory = web_sys::window()?.indexed_db().ok()??;
    let request = factory.open_with_u32(DATABASE, 1).ok()?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let database = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
            .and_then(|request| request.result().ok())
            .and_then(|result| result.dyn_into::<web_sys::IdbDatabase>().ok());
        if let Some(database) = database {
            let _ = database.create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let database = done(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    database?.dyn_into().ok()
}

/// The copy kept for `api`, if any.
pub async fn read(api: &str) -> Option<Kept> {
    let database = open().await?;
    let store = database
        .transaction_with_str(STORE)
        .ok()?
        .object_store(STORE)
        .ok()?;
    let value = done(&store.get(&api.into()).ok()?).await?;
    let text = js_sys::Reflect::get(&value, &"text".into())
        .ok()?
        .as_string()?;
    let saved_ms = js_sys::Reflect::get(&value, &"saved_ms".into())
        .ok()?
        .as_f64()?;
    Some(Kept { text, saved_ms })
}

/// Keeps `text` as the copy for `api`, saved now. Best effort: a full or refused store keeps
/// nothing, and the widget does not depend on it.
pub async fn keep(api: &str, text: &str) {
    let Some(database) = open().await else {
        return;
    };
    let Ok(transaction) =
        database.transaction_with_str_and_mode(STORE, web_sys::IdbTransactionMode::Readwrite)
    else {
        return;
    };
    let Ok(store) = transaction.object_store(STORE) else {
        return;
    };
    let value = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&value, &"text".into(), &text.into());
    let _ = js_sys::Reflect::set(&value, &"saved_ms".into(), &js_sys::Date::now().into());
    if let Ok(request) = store.put_with_key(&value, &api.into()) {
        let _ = done(&request).await;
    }
}
