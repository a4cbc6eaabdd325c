//! A wait the person (or the network coming back) can cut short.

use std::cell::RefCell;
use std::rc::Rc;

use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;

/// A wait that ends after a delay, or earlier when [`Wake::now`] is called or the browser comes
/// back online.
#[derive(Clone)]
pub struct Wake(SendWrapper<Rc<RefCell<Option<js_sys::Function>>>>);

impl Default for Wake {
    fn default() -> Wake {
        Wake(SendWrapper::new(Rc::default()))
    }
}

impl Wake {
    pub fn new() -> Wake {
        Wake::default()
    }

    /// Ends the current wait, if any.
    pub fn now(&self) {
        if let Some(resolve) = self.0.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }

    /// Waits up to `ms` milliseconds.
    pub async fn wait(&self, ms: u32) {
        let mut resolver = None;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| resolver = Some(resolve));
        let (Some(resolve), Some(window)) = (resolver, web_sys::window()) else {
            return;
        };
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        if ms > 0 {
            let _ = window.add_event_listener_with_callback("online", &resolve);
        }
        *self.0.borrow_mut() = Some(resolve.clone());
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        if ms > 0 {
            let _ = window.remove_event_listener_with_callback("online", &resolve);
        }
        self.0.borrow_mut().take();
    }
}
