//! URI components percent-encoded natively exactly as JavaScript's `encodeURIComponent` and
//! `decodeURIComponent` do, for the edge's links and the link-state tests. The widgets pass the
//! browser's own functions instead (see [`crate::link_state::UriComponent`]), so none of this is
//! in their wasm.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::link_state::UriComponent;

/// What `encodeURIComponent` leaves as it is: `A–Z a–z 0–9 - _ . ! ~ * ' ( )`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Percent-encodes a URI component as `encodeURIComponent` does (UTF-8).
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Decodes a URI component as `decodeURIComponent` does: None where it would throw (a `%` not
/// followed by two hex digits, or bytes that are not UTF-8).
pub fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let malformed = bytes.iter().enumerate().any(|(at, byte)| {
        *byte == b'%'
            && !bytes
                .get(at + 1..at + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if malformed {
        return None;
    }
    percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

/// [`encode_component`] and [`decode_component`] as a [`UriComponent`].
pub struct Native;

impl UriComponent for Native {
    fn encode(&self, text: &str) -> String {
        encode_component(text)
    }

    fn decode(&self, text: &str) -> Option<String> {
        decode_component(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_decodes_as_the_browser_does() {
        // encodeURIComponent("口腔 & 牙科=50%!~*'()-_.") in any browser:
        let encoded = "%E5%8F%A3%E8%85%94%20%26%20%E7%89%99%E7%A7%91%3D50%25!~*'()-_.";
        assert_eq!(encode_component("口腔 & 牙科=50%!~*'()-_."), encoded);
        assert_eq!(
            decode_component(encoded).as_deref(),
            Some("口腔 & 牙科=50%!~*'()-_.")
        );
        // decodeURIComponent throws on these.
        for broken in ["%", "%E", "%ZZ", "%E5%8F"] {
            assert_eq!(decode_component(broken), None, "{broken}");
        }
    }
}
