//! The admin view's parts in a real browser (headless Chromium via wasm-bindgen-test): charts,
//! fields that show the server's errors, the sign-in form, and the small conversions the pages
//! rely on. The whole app against the real worker is tested end to end in `tests/`.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use guanai_admin::chart::{Bar, BarChart};
use guanai_admin::dashboard::{Charts, Insight, weekly_bars};
use guanai_admin::ui::{Field, relative};
use guanai_admin::{Admin, login::Login};
use guanai_core::Lang;
use guanai_core::validate::FieldError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` (with the admin's shared state in `lang`) into a fresh `<div>`; returns it and
/// the handle that unmounts it when dropped.
fn mount<V: IntoView + 'static>(
    lang: Lang,
    view: impl FnOnce() -> V + 'static,
) -> (Element, impl Drop) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("main").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(Admin {
            lang: RwSignal::new(lang),
            session: RwSignal::new(None),
            ended: RwSignal::new(false),
        });
        view()
    });
    (root.into(), handle)
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().dyn_into().unwrap())
        .collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

#[wasm_bindgen_test]
fn a_stacked_chart_draws_a_segment_per_non_zero_value_with_its_figures_as_text() {
    let (root, _mounted) = mount(Lang::En, || {
        view! {
            <BarChart
                title="Sign-ups".into()
                series=vec!["Beijing".into(), "Tianjin".into()]
                bars=vec![
                    Bar { label: "2026-W47".into(), values: vec![3, 0] },
                    Bar { label: "2026-W48".into(), values: vec![2, 4] },
                ]
                empty="No data yet.".into()
                row_heading="Week".into()
                total_heading="Total".into()
            />
        }
    });
    let svg = one(&root, "svg[role=img]");
    let name_id = svg.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        one(&root, &format!("#{name_id}")).text_content().unwrap(),
        "Sign-ups"
    );
    let titles: Vec<String> = all(&root, "rect title")
        .iter()
        .map(|t| t.text_content().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "2026-W47 · Beijing: 3",
            "2026-W48 · Beijing: 2",
            "2026-W48 · Tianjin: 4"
        ]
    );
    // The longest bar fills the room; the others are in proportion.
    let widths: Vec<f64> = all(&root, "rect")
        .iter()
        .map(|r| r.get_attribute("width").unwrap().parse().unwrap())
        .collect();
    assert!((widths[0] / (widths[1] + widths[2]) - 0.5).abs() < 0.01);
    assert_eq!(all(&root, ".legend li").len(), 2);
    let table = one(&root, "table.data").text_content().unwrap();
    assert!(table.contains("2026-W48246"), "{table}");
}

#[wasm_bindgen_test]
fn an_empty_chart_says_so_instead_of_drawing_nothing() {
    let (root, _mounted) = mount(Lang::ZhCn, || {
        view! {
            <BarChart
                title="报名".into()
                series=vec!["北京".into()]
                bars=vec![Bar { label: "2026-W48".into(), values: vec![0] }]
                empty="暂无数据。".into()
                row_heading="周".into()
                total_heading="合计".into()
            />
        }
    });
    assert!(all(&root, "svg").is_empty());
    assert_eq!(one(&root, ".empty").text_content().unwrap(), "暂无数据。");
}

#[wasm_bindgen_test]
fn the_dashboard_has_four_charts_and_the_weekly_ones_keep_the_last_twelve_weeks() {
    let mut per_week = BTreeMap::new();
    for week in 1..=20 {
        per_week.insert(
            format!("2026-W{week:02}"),
            BTreeMap::from([("beijing".to_string(), week as u64)]),
        );
    }
    let bars = weekly_bars(&per_week, &["beijing", "tianjin", "hebei"], "Earlier");
    assert_eq!(bars.len(), 13, "twelve weeks and the weeks before them");
    assert_eq!(
        (bars[0].label.as_str(), bars[0].values.clone()),
        ("Earlier", vec![(1..=8).sum::<u64>(), 0, 0])
    );
    assert_eq!(bars[1].label, "2026-W09");
    assert_eq!(bars[12].values, vec![20, 0, 0]);

    let insight = Insight {
        signups_per_week_by_association: per_week,
        benefits_by_area: BTreeMap::from([("health".to_string(), 5)]),
        partners_by_province: BTreeMap::from([("110000".to_string(), 8)]),
        ..Insight::default()
    };
    let (root, _mounted) = mount(Lang::En, move || view! { <Charts insight lang=Lang::En /> });
    let captions: Vec<String> = all(&root, "figcaption")
        .iter()
        .map(|c| c.text_content().unwrap())
        .collect();
    assert_eq!(captions.len(), 4);
    assert!(captions[0].contains("by association"));
    // No sign-ups by level were given: that chart says so.
    assert_eq!(all(&root, "figure.chart .empty").len(), 1);
    assert!(
        one(&root, "figure.chart:nth-child(4) table")
            .text_content()
            .unwrap()
            .contains("Beijing8")
    );
}

/// The "Total" column of each row of the chart at `nth` (1-based) of the dashboard, summed.
fn chart_total(root: &Element, nth: usize) -> u64 {
    all(root, &format!("figure.chart:nth-child({nth}) tbody tr"))
        .iter()
        .map(|row| {
            let cells = row.query_selector_all("td").unwrap();
            let last = cells.item(cells.length() - 1).unwrap();
            last.text_content().unwrap().parse::<u64>().unwrap()
        })
        .sum()
}

#[wasm_bindgen_test]
fn both_sign_up_charts_total_the_number_of_sign_ups() {
    // 4,001 sign-ups over 20 weeks, a quarter of them at level `none`.
    let (mut by_association, mut by_level) = (BTreeMap::new(), BTreeMap::new());
    let mut stored = 0;
    for week in 1..=20u64 {
        let n = if week == 20 { 201 } else { 200 };
        stored += n;
        let label = format!("2026-W{week:02}");
        by_association.insert(
            label.clone(),
            BTreeMap::from([("beijing".to_string(), n - 50), ("hebei".to_string(), 50)]),
        );
        by_level.insert(
            label,
            BTreeMap::from([
                ("assistant".to_string(), n - 100),
                ("senior".to_string(), 50),
                ("none".to_string(), 50),
            ]),
        );
    }
    assert_eq!(stored, 4_001);
    let insight = Insight {
        signups_per_week_by_association: by_association,
        signups_per_week_by_level: by_level,
        ..Insight::default()
    };
    let (root, _mounted) = mount(Lang::En, move || view! { <Charts insight lang=Lang::En /> });
    assert_eq!(chart_total(&root, 1), stored, "by association");
    assert_eq!(chart_total(&root, 2), stored, "by qualification level");
    let level_columns = all(&root, "figure.chart:nth-child(2) thead th").len();
    assert_eq!(
        level_columns,
        1 + 4 + 1,
        "week, the four levels once each, total"
    );
}

#[wasm_bindgen_test]
async fn a_field_shows_the_servers_error_for_its_path_and_is_marked_invalid() {
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let value = RwSignal::new(String::new());
    let (root, _mounted) = mount(Lang::En, move || {
        view! {
            <Field
                label=Signal::stored("Title (English)".to_string())
                value=value.into()
                set=Callback::new(move |v| value.set(v))
                path="title.en".into()
                errors
                required=true
            />
        }
    });
    let input = one(&root, "input");
    assert!(input.get_attribute("aria-invalid").is_none());
    let label = one(&root, "label");
    assert_eq!(label.get_attribute("for"), input.get_attribute("id"));

    errors.set(relative(
        vec![
            FieldError::new(
                "benefits[0].title.en",
                "required",
                "请填写英文。",
                "English is required.",
            ),
            FieldError::new(
                "benefits[0].title.zh",
                "required",
                "请填写中文。",
                "Chinese is required.",
            ),
        ],
        &["benefits[0].", "benefit."],
    ));
    leptos::task::tick().await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = input.get_attribute("aria-describedby").unwrap();
    assert_eq!(
        one(&root, &format!("#{described}")).text_content().unwrap(),
        "English is required."
    );
}

#[wasm_bindgen_test]
async fn the_sign_in_form_has_labelled_fields_with_autocomplete_and_switches_language() {
    let (root, _mounted) = mount(Lang::ZhCn, Login);
    let labels: Vec<String> = all(&root, "label")
        .iter()
        .map(|l| l.text_content().unwrap())
        .collect();
    assert_eq!(labels, ["用户名 *", "密码 *"]);
    let inputs = all(&root, "input");
    assert_eq!(
        inputs[0].get_attribute("autocomplete").as_deref(),
        Some("username")
    );
    assert_eq!(inputs[1].get_attribute("type").as_deref(), Some("password"));
    assert_eq!(
        inputs[1].get_attribute("autocomplete").as_deref(),
        Some("current-password")
    );
    let switch: HtmlElement = one(&root, "button.lang").dyn_into().unwrap();
    assert_eq!(switch.text_content().unwrap(), "English");
    switch.click();
    leptos::task::tick().await;
    assert_eq!(one(&root, "h1").text_content().unwrap(), "Guanai admin");
    assert_eq!(one(&root, "label").text_content().unwrap(), "Username *");
}

#[wasm_bindgen_test]
fn date_filters_are_beijing_calendar_days() {
    use guanai_admin::signups::midnight_ms;
    // 2026-11-30 00:00 in Beijing is 2026-11-29 16:00 UTC.
    assert_eq!(midnight_ms("2026-11-30", 0), "1795968000000");
    // "Until" a day includes all of it: up to the next Beijing midnight.
    assert_eq!(midnight_ms("2026-11-30", 1), "1796054400000");
    assert_eq!(midnight_ms("", 0), "");
    assert_eq!(midnight_ms("30/11/2026", 0), "");
}
