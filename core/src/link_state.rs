//! `link-state`: what a finder shows, kept in the host page's URL fragment under the element's
//! id, so a reload, back and forward (and a copied address) show it again.
//!
//! The fragment is a list of `id=value` entries joined by `&` (two finders on one page do not
//! clash); each value is the finder's own `q=…&area=…&region=…&level=…&all=1&open=…`,
//! form-encoded. Entries that are not ours — a host's own `#section` anchor — are kept as they
//! are, byte for byte.

use url::form_urlencoded;

use crate::{QualificationLevel, ServiceArea};

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
    /// The state as one form-encoded value; empty for the default state.
    pub fn encode(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if !self.query.is_empty() {
            out.append_pair("q", &self.query);
        }
        if !self.areas.is_empty() {
            let codes: Vec<&str> = self.areas.iter().map(|area| area.code()).collect();
            out.append_pair("area", &codes.join(","));
        }
        if let Some(region) = &self.region {
            out.append_pair("region", region);
        }
        if let Some(level) = self.level {
            out.append_pair("level", level.code());
        }
        if self.all_dates {
            out.append_pair("all", "1");
        }
        if let Some(open) = &self.open {
            out.append_pair("open", open);
        }
        out.finish()
    }

    /// Reads [`FinderState::encode`]'s value; unknown codes and keys are ignored.
    pub fn decode(value: &str) -> FinderState {
        let mut state = FinderState::default();
        for (key, value) in form_urlencoded::parse(value.as_bytes()) {
            match key.as_ref() {
                "q" => state.query = value.into_owned(),
                "area" => {
                    state.areas = value.split(',').filter_map(|c| c.parse().ok()).collect();
                }
                "region" => state.region = Some(value.into_owned()).filter(|r| !r.is_empty()),
                "level" => state.level = value.parse().ok(),
                "all" => state.all_dates = value == "1",
                "open" => state.open = Some(value.into_owned()).filter(|o| !o.is_empty()),
                _ => {}
            }
        }
        state
    }
}

fn is_entry_of(segment: &str, id: &str) -> bool {
    segment.split_once('=').is_some_and(|(key, _)| {
        form_urlencoded::parse(format!("{key}=").as_bytes()).any(|(k, _)| k == id)
    })
}

/// The state of finder `id` in `fragment` (without the `#`), if it has one.
pub fn read(fragment: &str, id: &str) -> Option<FinderState> {
    let segment = fragment
        .split('&')
        .find(|segment| is_entry_of(segment, id))?;
    let value = form_urlencoded::parse(segment.as_bytes()).next()?.1;
    Some(FinderState::decode(&value))
}

/// `fragment` with finder `id`'s entry set to `state` (removed for the default state), every
/// other entry kept as it was.
pub fn write(fragment: &str, id: &str, state: &FinderState) -> String {
    let mut segments: Vec<String> = fragment
        .split('&')
        .filter(|segment| !segment.is_empty() && !is_entry_of(segment, id))
        .map(str::to_string)
        .collect();
    let value = state.encode();
    if !value.is_empty() {
        segments.push(
            form_urlencoded::Serializer::new(String::new())
                .append_pair(id, &value)
                .finish(),
        );
    }
    segments.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let fragment = write("", "finder", &state());
        assert_eq!(read(&fragment, "finder"), Some(state()));
        assert!(
            !fragment.contains(' ') && !fragment.contains('#'),
            "{fragment}"
        );
        assert_eq!(FinderState::default().encode(), "");
    }

    #[test]
    fn two_finders_and_the_hosts_own_anchor_do_not_clash() {
        let mut other = state();
        other.query = "kq".into();
        let fragment = write("section-2", "finder", &state());
        let fragment = write(&fragment, "sidebar", &other);
        assert!(fragment.starts_with("section-2&"), "{fragment}");
        assert_eq!(read(&fragment, "finder"), Some(state()));
        assert_eq!(read(&fragment, "sidebar"), Some(other));
        // Back to the default: its entry goes, the others stay.
        let fragment = write(&fragment, "finder", &FinderState::default());
        assert_eq!(read(&fragment, "finder"), None);
        assert!(read(&fragment, "sidebar").is_some());
        assert!(fragment.starts_with("section-2&"), "{fragment}");
    }

    #[test]
    fn unknown_codes_are_ignored() {
        let state = FinderState::decode("area=health,nope&level=guru&region=&x=1");
        assert_eq!(state.areas, [ServiceArea::Health]);
        assert_eq!(state.level, None);
        assert_eq!(state.region, None);
    }
}
