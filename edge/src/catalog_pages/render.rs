//! The HTML of the plain catalogue pages. maud escapes every interpolated value, so catalogue
//! text (written by partners and staff) is always shown as text, never run.

use chrono::NaiveDate;
use guanai_core::describe::{self, Standing};
use guanai_core::i18n::{MapUi, PageUi, Ui, fill};
use guanai_core::{Benefit, Catalogue, Lang, Location, Partner, ServiceArea};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{Listing, page_url};

/// The pages' one stylesheet, inline (its hash is in the CSP): no second round trip.
pub const STYLE: &str = include_str!("page.css");

/// Characters of a free text shown in a listing; the benefit's own page shows it whole. With
/// [`super::PAGE_SIZE`] entries this bounds a listing page's size whatever the catalogue holds.
const TITLE_CHARS: usize = 200;
const NAME_CHARS: usize = 120;
const REDEEM_CHARS: usize = 240;
/// What a link preview (WeChat, messengers) shows of a description.
const PREVIEW_CHARS: usize = 120;
/// Places listed on a benefit's page; a partner with more gets a count of the rest.
pub const PLACES_SHOWN: usize = 200;

/// The name of the other language, in that language (the switch's text).
fn other_language(lang: Lang) -> (Lang, &'static str) {
    match lang {
        Lang::ZhCn => (Lang::En, "English"),
        Lang::En => (Lang::ZhCn, "中文"),
    }
}

/// At most `limit` characters of `text`, with an ellipsis when cut.
fn excerpt(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}

/// What every page shares: head, header with the language switch, the sample-data notice, the
/// footer. `alternate` is this page's address in the other language.
struct Frame<'a> {
    lang: Lang,
    title: String,
    description: String,
    alternate: String,
    catalogue: Option<&'a Catalogue>,
}

impl Frame<'_> {
    fn wrap(self, main: Markup) -> String {
        let lang = self.lang;
        let (other, other_name) = other_language(lang);
        let locale = match lang {
            Lang::ZhCn => "zh_CN",
            Lang::En => "en_US",
        };
        html! {
            (DOCTYPE)
            html lang=(lang.tag()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (self.title) }
                    meta name="description" content=(self.description);
                    meta property="og:title" content=(self.title);
                    meta property="og:description" content=(self.description);
                    meta property="og:type" content="website";
                    meta property="og:locale" content=(locale);
                    link rel="alternate" hreflang=(other.tag()) href=(self.alternate);
                    link rel="icon" href="data:,";
                    style { (PreEscaped(STYLE)) }
                }
                body {
                    a.skip href="#main" { (PageUi::SkipToContent.get(lang)) }
                    header {
                        p.programme { (PageUi::Programme.get(lang)) }
                        p.lang {
                            a href=(self.alternate) hreflang=(other.tag()) lang=(other.tag()) { (other_name) }
                        }
                    }
                    @if self.catalogue.is_some_and(|catalogue| catalogue.sample) {
                        div.notice { p { (Ui::SampleData.get(lang)) } }
                    }
                    main #main { (main) }
                    footer {
                        p { (PageUi::PlainNote.get(lang)) }
                        @if let Some(catalogue) = self.catalogue {
                            p {
                                (fill(PageUi::Published.get(lang), &[
                                    ("version", &catalogue.version),
                                    ("date", &guanai_core::time::iso_date(
                                        guanai_core::time::shanghai_date(catalogue.published_at),
                                    )),
                                ]))
                            }
                        }
                    }
                }
            }
        }
        .into_string()
    }
}

/// What one page of the listing shows.
pub struct ListingPage<'a> {
    pub listing: &'a Listing,
    /// This page's benefits, sorted by area.
    pub shown: &'a [&'a Benefit],
    /// Current benefits per area (all of them, for the area links).
    pub counts: &'a [(ServiceArea, usize)],
    /// Benefits over all pages of this listing.
    pub total: usize,
    pub pages: usize,
    /// Whether the first area began on the page before.
    pub continues: bool,
}

/// A page of the listing: the areas with their counts, then this page's benefits under their
/// area's heading, then links to the neighbouring pages.
pub fn listing(catalogue: &Catalogue, page: ListingPage<'_>, today: NaiveDate) -> String {
    let ListingPage {
        listing,
        shown,
        counts,
        total,
        pages,
        continues,
    } = page;
    let lang = listing.lang;
    let area_name = listing.area.map(|area| area.label().get(lang).to_string());
    let mut title = match &area_name {
        Some(area) => format!("{area} — {}", PageUi::CatalogTitle.get(lang)),
        None => PageUi::CatalogTitle.get(lang).to_string(),
    };
    if listing.page > 1 {
        title = format!("{title} · {}", page_of(lang, listing.page, pages));
    }
    let count = if total == 1 {
        Ui::ResultCountOne.get(lang).to_string()
    } else {
        fill(Ui::ResultCount.get(lang), &[("n", &total.to_string())])
    };
    let here = |lang, area, page| page_url(&Listing { lang, area, page });
    let main = html! {
        h1 { (area_name.clone().unwrap_or_else(|| PageUi::CatalogTitle.get(lang).to_string())) }
        @if listing.area.is_none() && listing.page == 1 {
            p { (PageUi::CatalogIntro.get(lang)) }
        }
        nav.areas aria-label=(Ui::AreasLabel.get(lang)) {
            ul {
                li {
                    a href=(here(lang, None, 1)) aria-current=[listing.area.is_none().then_some("page")] {
                        (fill(PageUi::AreaCount.get(lang), &[
                            ("area", Ui::AllAreas.get(lang)),
                            ("n", &counts.iter().map(|(_, n)| n).sum::<usize>().to_string()),
                        ]))
                    }
                }
                @for (area, n) in counts {
                    li {
                        a href=(here(lang, Some(*area), 1))
                            aria-current=[(listing.area == Some(*area)).then_some("page")] {
                            (fill(PageUi::AreaCount.get(lang), &[
                                ("area", area.label().get(lang)),
                                ("n", &n.to_string()),
                            ]))
                        }
                    }
                }
            }
        }
        p.count {
            (count)
            @if pages > 1 { " · " (page_of(lang, listing.page, pages)) }
        }
        @if shown.is_empty() {
            p { (PageUi::NoBenefits.get(lang)) }
        }
        @for (index, group) in groups(shown).into_iter().enumerate() {
            @let area = group[0].area;
            @let continued = index == 0 && continues;
            section aria-labelledby=(format!("area-{}", area.code())) {
                h2 id=(format!("area-{}", area.code())) {
                    @if continued {
                        (fill(PageUi::Continued.get(lang), &[("area", area.label().get(lang))]))
                    } @else {
                        (area.label().get(lang))
                    }
                }
                ul.benefits {
                    @for benefit in group {
                        (entry(catalogue, benefit, lang, today))
                    }
                }
            }
        }
        @if pages > 1 {
            nav.pages aria-label=(PageUi::PagesNav.get(lang)) {
                @if listing.page > 1 {
                    a rel="prev" href=(here(lang, listing.area, listing.page - 1)) { "← " (PageUi::PreviousPage.get(lang)) }
                } @else { span {} }
                span { (page_of(lang, listing.page, pages)) }
                @if listing.page < pages {
                    a rel="next" href=(here(lang, listing.area, listing.page + 1)) { (PageUi::NextPage.get(lang)) " →" }
                } @else { span {} }
            }
        }
    };
    Frame {
        lang,
        title,
        description: PageUi::CatalogIntro.get(lang).to_string(),
        alternate: page_url(&Listing {
            lang: other_language(lang).0,
            ..listing.clone()
        }),
        catalogue: Some(catalogue),
    }
    .wrap(main)
}

/// Runs of consecutive benefits of one area (the listing is sorted by area).
fn groups<'a, 'b>(shown: &'b [&'a Benefit]) -> Vec<&'b [&'a Benefit]> {
    shown
        .chunk_by(|left, right| left.area == right.area)
        .collect()
}

fn page_of(lang: Lang, page: usize, pages: usize) -> String {
    fill(
        PageUi::PageOf.get(lang),
        &[("page", &page.to_string()), ("pages", &pages.to_string())],
    )
}

/// One benefit in a listing: title (linking to its page), partner, validity, how to redeem.
fn entry(catalogue: &Catalogue, benefit: &Benefit, lang: Lang, today: NaiveDate) -> Markup {
    let partner = catalogue.partner(&benefit.partner);
    html! {
        li {
            h3 {
                a href=(super::benefit_url(&benefit.id, lang)) {
                    (excerpt(benefit.title.get(lang), TITLE_CHARS))
                }
            }
            p.meta {
                @if let Some(standing) = Standing::of(benefit, today) {
                    span.badge.ended[standing == Standing::Ended] { (standing.label().get(lang)) }
                }
                @if let Some(partner) = partner {
                    (excerpt(partner.name.get(lang), NAME_CHARS))
                }
            }
            p.meta { (describe::validity(benefit, lang)) }
            @if !benefit.how_to_redeem.get(lang).is_empty() {
                p.redeem {
                    strong { (Ui::HowToRedeem.get(lang)) (describe::colon(lang)) }
                    (excerpt(benefit.how_to_redeem.get(lang), REDEEM_CHARS))
                }
            }
        }
    }
}

/// A benefit's own page: everything the finder's details show, every place of its partner with
/// directions, and a print stylesheet.
pub fn benefit(catalogue: &Catalogue, benefit: &Benefit, lang: Lang, today: NaiveDate) -> String {
    let partner = catalogue.partner(&benefit.partner);
    let partner_name = partner.map(|p| p.name.get(lang).to_string());
    let title = match &partner_name {
        Some(name) => format!("{} — {name}", benefit.title.get(lang)),
        None => benefit.title.get(lang).to_string(),
    };
    let area = benefit.area;
    let standing = Standing::of(benefit, today);
    let main = html! {
        p.back {
            a href=(page_url(&Listing { lang, area: Some(area), page: 1 })) {
                "← " (fill(PageUi::BackToArea.get(lang), &[("area", area.label().get(lang))]))
            }
        }
        article {
            h1 { (benefit.title.get(lang)) }
            p.meta {
                span.badge { (area.label().get(lang)) }
                @if let Some(standing) = standing {
                    span.badge.ended[standing == Standing::Ended] { (standing.label().get(lang)) }
                }
                @if let Some(name) = &partner_name { (name) }
            }
            @if standing == Some(Standing::Ended) {
                p { strong { (PageUi::Ended.get(lang)) } }
            }
            @if !benefit.description.get(lang).is_empty() {
                h2 { (PageUi::About.get(lang)) }
                p { (benefit.description.get(lang)) }
            }
            dl {
                dt { (Ui::HowToRedeem.get(lang)) }
                dd { (benefit.how_to_redeem.get(lang)) }
                dt { (Ui::Validity.get(lang)) }
                dd { (describe::validity_range(benefit, lang)) }
                dt { (Ui::Eligible.get(lang)) }
                dd { (describe::eligibility(benefit, lang)) }
                dt { (Ui::Regions.get(lang)) }
                dd { (describe::coverage(benefit, lang)) }
            }
            @if let Some(partner) = partner {
                (partner_section(partner, lang))
            }
        }
        p.back {
            a href=(page_url(&Listing { lang, area: None, page: 1 })) { "← " (PageUi::BackToCatalogue.get(lang)) }
        }
    };
    Frame {
        lang,
        title,
        description: excerpt(
            if benefit.description.get(lang).is_empty() {
                benefit.how_to_redeem.get(lang)
            } else {
                benefit.description.get(lang)
            },
            PREVIEW_CHARS,
        ),
        alternate: super::benefit_url(&benefit.id, other_language(lang).0),
        catalogue: Some(catalogue),
    }
    .wrap(main)
}

/// The partner: kind, honours, contact, and its places with directions.
fn partner_section(partner: &Partner, lang: Lang) -> Markup {
    let name = partner.name.get(lang);
    let awards: Vec<String> = partner
        .awards
        .iter()
        .map(|award| format!("{} {}", award.year, award.title.get(lang)))
        .collect();
    let contact = &partner.contact;
    let website = contact
        .website
        .as_deref()
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"));
    let hidden = partner.locations.len().saturating_sub(PLACES_SHOWN);
    html! {
        h2 { (PageUi::Partner.get(lang)) }
        p {
            strong { (name) }
            " "
            span.badge { (partner.kind.label().get(lang)) }
        }
        dl {
            @if !awards.is_empty() {
                dt { (Ui::Awards.get(lang)) }
                dd { (awards.join(" · ")) }
            }
            @if let Some(phone) = &contact.phone {
                dt { (PageUi::Phone.get(lang)) }
                dd { a href=(format!("tel:{}", phone.replace(' ', ""))) { (phone) } }
            }
            @if let Some(email) = &contact.email {
                dt { (PageUi::Email.get(lang)) }
                dd { a href=(format!("mailto:{email}")) { (email) } }
            }
            @if let Some(website) = website {
                dt { (PageUi::Website.get(lang)) }
                dd { a href=(website) rel="noopener noreferrer" { (website) } }
            }
        }
        @if !partner.locations.is_empty() {
            h2 { (Ui::Locations.get(lang)) }
            ul.benefits {
                @for location in partner.locations.iter().take(PLACES_SHOWN) {
                    (place(location, name, lang))
                }
            }
            @if hidden > 0 {
                p { (fill(PageUi::MorePlaces.get(lang), &[("n", &hidden.to_string())])) }
            }
        }
    }
}

/// One place: its name and address, coordinates, and directions in AMap and Baidu Maps (both
/// told the coordinates are WGS-84).
fn place(location: &Location, partner_name: &str, lang: Lang) -> Markup {
    let encode = |text: &str| super::encode_component(text);
    html! {
        li {
            p { (describe::place_line(location, lang)) }
            p.meta { (MapUi::Coordinates.get(lang)) (describe::colon(lang)) (format!("{}, {}", guanai_core::decimal::fixed(location.lat, 5), guanai_core::decimal::fixed(location.lon, 5))) }
            p.directions {
                a href=(describe::amap_directions(location, partner_name, encode)) rel="noopener noreferrer" {
                    (MapUi::AmapDirections.get(lang))
                }
                a href=(describe::baidu_directions(location, partner_name, describe::province_zh(location), None, encode)) rel="noopener noreferrer" {
                    (MapUi::BaiduDirections.get(lang))
                }
            }
        }
    }
}

/// A page saying what went wrong, in the language asked for, with a way back.
pub fn problem(lang: Lang, heading: PageUi, message: &str) -> String {
    let main = html! {
        h1 { (heading.get(lang)) }
        p { (message) }
        p { a href=(page_url(&Listing { lang, area: None, page: 1 })) { (PageUi::BackToCatalogue.get(lang)) } }
    };
    Frame {
        lang,
        title: heading.get(lang).to_string(),
        description: message.to_string(),
        alternate: page_url(&Listing {
            lang: other_language(lang).0,
            area: None,
            page: 1,
        }),
        catalogue: None,
    }
    .wrap(main)
}
