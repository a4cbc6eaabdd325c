//! "Near me": one position from the browser's geolocation, as a future.

use guanai_core::geo::LatLon;
use guanai_core::i18n::MapUi;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Why there is no position; each has its own plain message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocateError {
    /// The person (or the page's permissions policy) said no.
    Denied,
    /// The device could not find itself, or took too long.
    Unavailable,
    /// No geolocation in this browser or context.
    Unsupported,
}

impl LocateError {
    pub fn message(self) -> MapUi {
        match self {
            LocateError::Denied => MapUi::LocationDenied,
            LocateError::Unavailable => MapUi::LocationUnavailable,
            LocateError::Unsupported => MapUi::LocationUnsupported,
        }
    }
}

/// Asks the browser where the device is (WGS-84, as the Geolocation API defines). A coarse,
/// recent position is enough for sorting partners by distance, and much faster on phones.
pub async fn current_position() -> Result<LatLon, LocateError> {
    let geolocation = web_sys::window()
        .map(|window| window.navigator())
        .and_then(|navigator| navigator.geolocation().ok())
        .ok_or(LocateError::Unsupported)?;
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(false);
    options.set_maximum_age(300_000);
    options.set_timeout(15_000);
    let mut started = Ok(());
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        started = geolocation.get_current_position_with_error_callback_and_options(
            &resolve,
            Some(&reject),
            &options,
        );
    });
    started.map_err(|_| LocateError::Unsupported)?;
    let position = JsFuture::from(promise).await.map_err(|error| {
        // GeolocationPositionError.code: 1 permission denied, 2 unavailable, 3 timeout.
        match number(&error, &["code"]) {
            Some(1.0) => LocateError::Denied,
            _ => LocateError::Unavailable,
        }
    })?;
    match (
        number(&position, &["coords", "latitude"]),
        number(&position, &["coords", "longitude"]),
    ) {
        (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => Ok(LatLon::new(lat, lon)),
        _ => Err(LocateError::Unavailable),
    }
}

/// The number at `path` inside a JS object, if there is one.
fn number(value: &JsValue, path: &[&str]) -> Option<f64> {
    let mut current = value.clone();
    for key in path {
        current = js_sys::Reflect::get(&current, &JsValue::from_str(key)).ok()?;
    }
    current.as_f64()
}
