//! `link-state`: what a finder shows, kept in the host page's URL fragment under the element's
//! id, so a reload, back and forward (and a copied address) show it again.
//!
//! The fragment is a list of `id=value` entries joined by `&` (two finders on one page do not
//! clash); each value is the finder's own `q=…&area=…&region=…&level=…&all=1&open=…`,
//! percent-encoded as a URI component (the parts inside it too). Entries that are not ours — a host's own `#section` anchor — are kept as they
//! are, byte for byte.

use crate::{QualificationLevel, ServiceArea};

/// Percent-encoding of one URI component as the browser's `encodeURIComponent` and
/// `decodeURIComponent` do it. The widgets pass the browser's own, so their wasm carries no
/// encoder (a form-encoding crate was ≈ 1 KB brotli of the finder's bundle).
pub trait UriComponent {
    fn encode(&self, text: &str) -> String;
    /// The decoded text, or None where `text` is not a valid encoding (a stray `%`).
    fn decode(&self, text: &str) -> Option<String>;
}

/// What a finder shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinderState {
    pub query: String,
    pub areas: Vec<ServiceArea>,
    pub region: Option<String>,
    pub level: Option<QualificationLevel>,
    /// Offers that are not valid today are shown too (the "valid now" box is cleared).
    pub all_dates: bool,
    /// The benefit whose details are open.
    pub open: Option<String>,
}

impl FinderState {
    /// The state as one `key=value&…` value, each part encoded; empty for the default state.
    pub fn encode(&self, uri: &impl UriComponent) -> String {
        let codes: Vec<&str> = self.areas.iter().map(|area| area.code()).collect();
        let areas = codes.join(",");
        let pairs = [
            (
                "q",
                Some(self.query.as_str()).filter(|query| !query.is_empty()),
            ),
            (
                "area",
                Some(areas.as_str()).filter(|areas| !areas.is_empty()),
            ),
            ("region", self.region.as_deref()),
            ("level", self.level.map(|level| level.code())),
            ("all", self.all_dates.then_some("1")),
            ("open", self.open.as_deref()),
        ];
        let parts: Vec<String> = pairs
            .iter()
            .filter_map(|(key, value)| Some(format!("{key}={}", uri.encode((*value)?))))
            .collect();
        parts.join("&")
    }

    /// Reads [`FinderState::encode`]'s value; unknown codes and keys, and parts that do not
    /// decode, are ignored.
    pub fn decode(value: &str, uri: &impl UriComponent) -> FinderState {
        let mut state = FinderState::default();
        for (key, value) in pairs(value, uri) {
            match key.as_str() {
                "q" => state.query = value,
                "area" => {
                    state.areas = value.split(',').filter_map(|c| c.parse().ok()).collect();
                }
                "region" => state.region = Some(value).filter(|r| !r.is_empty()),
                "level" => state.level = value.parse().ok(),
                "all" => state.all_dates = value == "1",
                "open" => state.open = Some(value).filter(|o| !o.is_empty()),
                _ => {}
            }
        }
        state
    }
}

/// The decoded `key=value` pairs of `text`; a pair that does not decode is left out. A `+` is a
/// space: the first release of `link-state` wrote form encoding, and links people kept from it
/// still open as they were (the browser's encoder writes `%2B` for a `+`, so nothing written
/// now is read differently).
fn pairs<'a>(
    text: &'a str,
    uri: &'a impl UriComponent,
) -> impl Iterator<Item = (String, String)> + 'a {
    text.split('&').filter_map(|part| {
        let (key, value) = part.split_once('=')?;
        Some((decode(key, uri)?, decode(value, uri)?))
    })
}

fn decode(text: &str, uri: &impl UriComponent) -> Option<String> {
    uri.decode(&text.replace('+', " "))
}

/// Finder `id`'s entry's value (still encoded), if `segment` is that entry.
fn entry_of<'a>(segment: &'a str, id: &str, uri: &impl UriComponent) -> Option<&'a str> {
    let (key, value) = segment.split_once('=')?;
    (decode(key, uri)? == id).then_some(value)
}

/// The state of finder `id` in `fragment` (without the `#`), if it has an entry there; an
/// entry that does not decode shows the default state.
pub fn read(fragment: &str, id: &str, uri: &impl UriComponent) -> Option<FinderState> {
    let value = fragment
        .split('&')
        .find_map(|segment| entry_of(segment, id, uri))?;
    let value = decode(value, uri).unwrap_or_default();
    Some(FinderState::decode(&value, uri))
}

/// `fragment` with finder `id`'s entry set to `state` (removed for the default state), every
/// other entry kept as it was, byte for byte.
pub fn write(fragment: &str, id: &str, state: &FinderState, uri: &impl UriComponent) -> String {
    let mut segments: Vec<String> = fragment
        .split('&')
        .filter(|segment| !segment.is_empty() && entry_of(segment, id, uri).is_none())
        .map(str::to_string)
        .collect();
    let value = state.encode(uri);
    if !value.is_empty() {
        segments.push(format!("{}={}", uri.encode(id), uri.encode(&value)));
    }
    segments.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The browser's encoding, natively.
    use crate::uri::Native as Browser;

    fn state() -> FinderState {
        FinderState {
            query: "口腔 & 牙科=50%".into(),
            areas: vec![ServiceArea::Health, ServiceArea::Family],
            region: Some("110105".into()),
            level: Some(QualificationLevel::Senior),
            all_dates: true,
            open: Some("weier-dental-checkup".into()),
        }
    }

    #[test]
    fn a_state_survives_the_fragment_whatever_it_holds() {
        let fragment = write("", "finder", &state(), &Browser);
        assert_eq!(read(&fragment, "finder", &Browser), Some(state()));
        assert!(
            !fragment.contains(' ') && !fragment.contains('#'),
            "{fragment}"
        );
        assert_eq!(FinderState::default().encode(&Browser), "");
    }

    #[test]
    fn a_link_written_by_the_first_release_in_form_encoding_still_opens() {
        // The entry as that release wrote it: form-encoded inside and out (space as `+`).
        use url::form_urlencoded::Serializer;
        let inner = Serializer::new(String::new())
            .append_pair("q", "口腔 & 牙科=50%")
            .append_pair("region", "110105")
            .finish();
        let old = Serializer::new(String::new())
            .append_pair("finder", &inner)
            .finish();
        assert!(inner.contains('+'), "{inner}");
        let state = read(&old, "finder", &Browser).expect("the old entry");
        assert_eq!(state.query, "口腔 & 牙科=50%");
        assert_eq!(state.region.as_deref(), Some("110105"));
    }

    #[test]
    fn what_does_not_decode_is_ignored_and_the_hosts_own_kept_as_it_was() {
        let fragment = "section%zz&finder=q%3D%ZZ&top";
        assert_eq!(
            read(fragment, "finder", &Browser),
            Some(FinderState::default())
        );
        let state = FinderState {
            query: "kq".into(),
            ..FinderState::default()
        };
        // The host's undecodable anchor stays; the finder's own broken entry is replaced.
        let written = write(fragment, "finder", &state, &Browser);
        assert_eq!(written, "section%zz&top&finder=q%3Dkq");
    }

    #[test]
    fn two_finders_and_the_hosts_own_anchor_do_not_clash() {
        let mut other = state();
        other.query = "kq".into();
        let fragment = write("section-2", "finder", &state(), &Browser);
        let fragment = write(&fragment, "sidebar", &other, &Browser);
        assert!(fragment.starts_with("section-2&"), "{fragment}");
        assert_eq!(read(&fragment, "finder", &Browser), Some(state()));
        assert_eq!(read(&fragment, "sidebar", &Browser), Some(other));
        // Back to the default: its entry goes, the others stay.
        let fragment = write(&fragment, "finder", &FinderState::default(), &Browser);
        assert_eq!(read(&fragment, "finder", &Browser), None);
        assert!(read(&fragment, "sidebar", &Browser).is_some());
        assert!(fragment.starts_with("section-2&"), "{fragment}");
    }

    #[test]
    fn unknown_codes_are_ignored() {
        let state = FinderState::decode("area=health,nope&level=guru&region=&x=1", &Browser);
        assert_eq!(state.areas, [ServiceArea::Health]);
        assert_eq!(state.level, None);
        assert_eq!(state.region, None);
    }
}
