//! The demo programme: the care plan's partners as the press reported them, with plausible
//! locations and sample benefits in every one of the 6+1 areas.
//!
//! Everything here is sample data (the catalogue's `sample` flag is set and every screen says
//! so): names of partners are public, but the offers, addresses and dates are illustrative.
//! The data lives in `core/data/demo-programme.json` so that it reads like what it is.

use crate::model::Catalogue;

/// The demo programme's JSON, exactly as shipped.
pub const JSON: &str = include_str!("../data/demo-programme.json");

/// The demo programme as a catalogue.
pub fn programme() -> Catalogue {
    serde_json::from_str(JSON).expect("the shipped demo programme is valid JSON (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::ServiceArea;

    #[test]
    fn the_demo_programme_is_a_valid_sample_catalogue() {
        let catalogue = programme();
        assert!(catalogue.sample);
        assert_eq!(crate::validate::catalogue(&catalogue), Ok(()));
    }

    #[test]
    fn every_service_area_has_an_offer() {
        let catalogue = programme();
        for area in ServiceArea::ALL {
            assert!(
                catalogue.benefits.iter().any(|b| b.area == *area),
                "no offer in {area}"
            );
        }
    }

    #[test]
    fn six_partners_carry_the_2020_caring_unit_award() {
        let catalogue = programme();
        let honoured = catalogue
            .partners
            .iter()
            .filter(|p| {
                p.awards
                    .iter()
                    .any(|a| a.year == 2020 && a.title.zh == "爱心单位")
            })
            .count();
        assert_eq!(honoured, 6);
        assert_eq!(catalogue.partners.len(), 9);
    }
}
