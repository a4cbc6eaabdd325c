//! Partner locations as the map and its list show them: every location of every partner,
//! filtered with the finder's vocabulary (service areas, region, partner), and sorted by distance
//! for "near me".

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::codes::ServiceArea;
use crate::geo::{LatLon, great_circle_km};
use crate::model::{Catalogue, Location, Partner};
use crate::regions;

/// One location of one partner, by index into the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Place {
    pub partner: usize,
    pub location: usize,
}

impl Place {
    pub fn partner<'c>(&self, catalogue: &'c Catalogue) -> &'c Partner {
        &catalogue.partners[self.partner]
    }

    pub fn location<'c>(&self, catalogue: &'c Catalogue) -> &'c Location {
        &catalogue.partners[self.partner].locations[self.location]
    }

    pub fn position(&self, catalogue: &Catalogue) -> LatLon {
        let location = self.location(catalogue);
        LatLon::new(location.lat, location.lon)
    }
}

/// Which locations to show; empty fields mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceFilter {
    /// Only partners offering something in one of these areas.
    pub areas: Vec<ServiceArea>,
    /// Only locations in this region (a province matches its districts and cities).
    pub region: Option<String>,
    /// Only this partner's locations.
    pub partner: Option<String>,
    /// With `areas`: count only offers valid on this day.
    pub valid_on: Option<NaiveDate>,
}

/// Every location matching `filter`, partners in catalogue order, each partner's locations in
/// its own order.
pub fn matching(catalogue: &Catalogue, filter: &PlaceFilter) -> Vec<Place> {
    // One pass over the offers, not one per partner: 2,000 partners × 20,000 offers would be
    // 40 million comparisons on every chip click.
    let offering: Option<HashSet<&str>> = (!filter.areas.is_empty()).then(|| {
        catalogue
            .benefits
            .iter()
            .filter(|benefit| {
                filter.areas.contains(&benefit.area)
                    && filter.valid_on.is_none_or(|day| benefit.is_valid_on(day))
            })
            .map(|benefit| benefit.partner.as_str())
            .collect()
    });
    let offers_in_areas = |partner: &Partner| {
        offering
            .as_ref()
            .is_none_or(|offering| offering.contains(partner.id.as_str()))
    };
    catalogue
        .partners
        .iter()
        .enumerate()
        .filter(|(_, partner)| filter.partner.as_ref().is_none_or(|id| &partner.id == id))
        .filter(|(_, partner)| offers_in_areas(partner))
        .flat_map(|(p, partner)| {
            partner
                .locations
                .iter()
                .enumerate()
                .filter(|(_, location)| {
                    filter
                        .region
                        .as_ref()
                        .is_none_or(|region| regions::overlaps(&location.region, region))
                })
                .map(move |(l, _)| Place {
                    partner: p,
                    location: l,
                })
        })
        .collect()
}

/// `places` with their distance in km from `from`, nearest first (ties keep their order).
pub fn nearest_first(catalogue: &Catalogue, places: &[Place], from: LatLon) -> Vec<(Place, f64)> {
    let mut measured: Vec<(Place, f64)> = places
        .iter()
        .map(|place| (*place, great_circle_km(from, place.position(catalogue))))
        .collect();
    measured.sort_by(|a, b| a.1.total_cmp(&b.1));
    measured
}

/// "1.2 km" style distance: one decimal below 10 km, whole kilometres above, metres below 1 km.
pub fn distance_label(km: f64) -> String {
    use crate::decimal::fixed;
    if km < 1.0 {
        format!("{} m", fixed(((km * 1000.0) / 10.0).round() * 10.0, 0))
    } else if km < 10.0 {
        format!("{} km", fixed(km, 1))
    } else {
        format!("{} km", fixed(km, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    fn ids(catalogue: &Catalogue, places: &[Place]) -> Vec<String> {
        places
            .iter()
            .map(|p| p.location(catalogue).id.clone())
            .collect()
    }

    #[test]
    fn every_demo_location_is_a_place() {
        let catalogue = demo::programme();
        let all = matching(&catalogue, &PlaceFilter::default());
        let total: usize = catalogue.partners.iter().map(|p| p.locations.len()).sum();
        assert_eq!(all.len(), total);
        assert_eq!(total, 10);
    }

    #[test]
    fn filters_by_region_area_and_partner() {
        let catalogue = demo::programme();
        let tianjin = PlaceFilter {
            region: Some("120000".into()),
            ..PlaceFilter::default()
        };
        let found = matching(&catalogue, &tianjin);
        assert!(!found.is_empty());
        assert!(
            found
                .iter()
                .all(|p| p.location(&catalogue).region.starts_with("12"))
        );

        let fangshan = PlaceFilter {
            region: Some("110111".into()),
            ..PlaceFilter::default()
        };
        assert!(
            matching(&catalogue, &fangshan)
                .iter()
                .all(|p| p.location(&catalogue).region == "110111")
        );

        let dental = PlaceFilter {
            partner: Some("weier-dental".into()),
            ..PlaceFilter::default()
        };
        assert_eq!(matching(&catalogue, &dental).len(), 2);

        let health = PlaceFilter {
            areas: vec![ServiceArea::Health],
            ..PlaceFilter::default()
        };
        let health_places = matching(&catalogue, &health);
        for place in &health_places {
            let partner = place.partner(&catalogue);
            assert!(
                catalogue
                    .benefits
                    .iter()
                    .any(|b| b.partner == partner.id && b.area == ServiceArea::Health)
            );
        }
        assert!(health_places.len() < 10 && !health_places.is_empty());
    }

    #[test]
    fn nearest_first_sorts_by_great_circle_distance() {
        let catalogue = demo::programme();
        let all = matching(&catalogue, &PlaceFilter::default());
        // From Tianjin city centre, the Tianjin location comes first.
        let sorted = nearest_first(&catalogue, &all, LatLon::new(39.0842, 117.2009));
        assert!(sorted[0].0.location(&catalogue).region.starts_with("12"));
        assert!(sorted.windows(2).all(|w| w[0].1 <= w[1].1));
        assert_eq!(sorted.len(), all.len());
        assert!(ids(&catalogue, &all).len() == 10);
    }

    #[test]
    fn distances_read_naturally() {
        assert_eq!(distance_label(0.349), "350 m");
        assert_eq!(distance_label(1.26), "1.3 km");
        assert_eq!(distance_label(113.4), "113 km");
    }
}
