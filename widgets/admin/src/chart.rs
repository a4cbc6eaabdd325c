//! Horizontal stacked bar charts drawn as SVG (no chart library: a few rects are all the
//! dashboard needs, and every byte of wasm is downloaded). Each chart carries its numbers twice
//! for people who cannot see it: a `<title>` per bar segment and a data table under it.

use leptos::prelude::*;

/// Colours of the series, distinguishable for the common colour-vision deficiencies (Okabe–Ito)
/// and at least 3:1 against white.
pub const PALETTE: [&str; 6] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56606b",
];

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 150.0;
const ROW_HEIGHT: f64 = 26.0;
const BAR_HEIGHT: f64 = 18.0;

/// One bar: its label and a value per series.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub values: Vec<u64>,
}

impl Bar {
    pub fn total(&self) -> u64 {
        self.values.iter().sum()
    }
}

/// The geometry of one segment: series, x, width.
pub fn segments(bar: &Bar, max_total: u64) -> Vec<(usize, f64, f64)> {
    let room = WIDTH - LABEL_WIDTH - 48.0;
    let per_unit = if max_total == 0 {
        0.0
    } else {
        room / max_total as f64
    };
    let mut x = LABEL_WIDTH;
    bar.values
        .iter()
        .enumerate()
        .filter(|(_, value)| **value > 0)
        .map(|(series, value)| {
            let width = *value as f64 * per_unit;
            let segment = (series, x, width);
            x += width;
            segment
        })
        .collect()
}

/// A titled chart of `bars`, stacked by `series`, with a legend and the same figures as a table.
#[component]
pub fn BarChart(
    /// The chart's heading (also its accessible name).
    title: String,
    /// Series names, in stacking order (colours from [`PALETTE`]).
    series: Vec<String>,
    /// The bars, top to bottom.
    bars: Vec<Bar>,
    /// Said instead of the chart when there is nothing to draw.
    empty: String,
    /// Heading of the table's first column.
    row_heading: String,
    /// Heading of the total column.
    total_heading: String,
) -> impl IntoView {
    let title_id = crate::ui::next_id("chart");
    if bars.iter().all(|b| b.total() == 0) {
        return view! {
            <figure class="chart">
                <figcaption id=title_id>{title}</figcaption>
                <p class="empty">{empty}</p>
            </figure>
        }
        .into_any();
    }
    let max_total = bars.iter().map(Bar::total).max().unwrap_or(0);
    // One series: its column already is the total.
    let stacked = series.len() > 1;
    let height = bars.len() as f64 * ROW_HEIGHT + 8.0;
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(row, bar)| {
            let y = row as f64 * ROW_HEIGHT + 4.0;
            let rects = segments(bar, max_total)
                .into_iter()
                .map(|(s, x, w)| {
                    let tip = format!("{} · {}: {}", bar.label, series[s], bar.values[s]);
                    view! {
                        <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{w:.1}") height=BAR_HEIGHT fill=PALETTE[s % PALETTE.len()]>
                            <title>{tip}</title>
                        </rect>
                    }
                })
                .collect_view();
            let end = LABEL_WIDTH
                + segments(bar, max_total)
                    .iter()
                    .map(|(_, _, w)| w)
                    .sum::<f64>();
            view! {
                <g class="bar">
                    <text x=LABEL_WIDTH - 8.0 y=format!("{:.1}", y + 13.0) text-anchor="end">{bar.label.clone()}</text>
                    {rects}
                    <text x=format!("{:.1}", end + 6.0) y=format!("{:.1}", y + 13.0)>{bar.total()}</text>
                </g>
            }
        })
        .collect_view();
    let legend = (series.len() > 1).then(|| {
        series
            .iter()
            .enumerate()
            .map(|(s, name)| {
                view! {
                    <li>
                        // A presentation attribute, not a style: the admin's CSP allows no inline styles.
                        <svg class="swatch" width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill=PALETTE[s % PALETTE.len()]></rect></svg>
                        {name.clone()}
                    </li>
                }
            })
            .collect_view()
    });
    let head = series
        .iter()
        .map(|name| view! { <th scope="col">{name.clone()}</th> })
        .collect_view();
    let body = bars
        .iter()
        .map(|bar| {
            let cells = bar
                .values
                .iter()
                .map(|v| view! { <td>{*v}</td> })
                .collect_view();
            let total = stacked.then(|| view! { <td>{bar.total()}</td> });
            view! { <tr><th scope="row">{bar.label.clone()}</th>{cells}{total}</tr> }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption id=title_id.clone()>{title}</figcaption>
            <svg
                role="img"
                aria-labelledby=title_id
                viewBox=format!("0 0 {WIDTH} {height:.0}")
                width="100%"
                preserveAspectRatio="xMinYMin meet"
            >
                {drawn}
            </svg>
            <ul class="legend">{legend}</ul>
            <table class="data">
                <thead><tr><th scope="col">{row_heading}</th>{head}{stacked.then(|| view! { <th scope="col">{total_heading}</th> })}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </figure>
    }
    .into_any()
}
