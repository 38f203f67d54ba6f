//! Grouped bar charts as inline SVG, drawn on the server: no JavaScript, no inline
//! `style` (the CSP forbids it; SVG presentation attributes such as `fill` are fine).
//!
//! ```text
//!   max ┤        ▇            one group per x label, one bar per series;
//!       │  ▇     ▇ ▇          bars scale to the largest value (at least 1);
//!     0 ┼──▇▇▇───▇▇▇──        every text escaped; each bar has a <title>
//!         03-01  03-02        ("03-02: Started 4") for pointers and screen readers
//!          ■ Started ■ ...
//! ```
//!
//! The chart is a picture of numbers the page also lists in a table: it is labelled by
//! its `<title>` and `<desc>` (`role="img"`), so assistive technology announces it
//! once and the table carries the detail.

use std::fmt::Write as _;

/// One kind of bar.
pub struct Series<'a> {
    pub name: &'a str,
    /// An SVG colour (`#005ea2`).
    pub fill: &'a str,
}

/// One label on the x axis with a value per series.
pub struct Group {
    pub label: String,
    pub values: Vec<i64>,
}

pub struct BarChart<'a> {
    /// Unique on the page (ids of `<title>` and `<desc>` derive from it).
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub series: &'a [Series<'a>],
    pub groups: &'a [Group],
}

const BAR_W: f64 = 6.0;
const GROUP_GAP: f64 = 8.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
/// Height of the plot area: the tallest bar.
pub const PLOT_H: f64 = 160.0;
const BELOW: f64 = 72.0;
const LEGEND_ENTRY_W: f64 = 150.0;
/// At most this many x labels are drawn (every n-th group beyond that).
const MAX_X_LABELS: usize = 10;

/// Escape text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The chart as an `<svg>` element.
pub fn bar_chart(chart: &BarChart<'_>) -> String {
    let id = escape(chart.id);
    let per_group = chart.series.len().max(1) as f64;
    let group_w = per_group * BAR_W + GROUP_GAP;
    let plot_w = chart.groups.len().max(1) as f64 * group_w;
    let width = (LEFT + plot_w + RIGHT).max(LEFT + chart.series.len() as f64 * LEGEND_ENTRY_W);
    let height = TOP + PLOT_H + BELOW;
    let baseline = TOP + PLOT_H;
    let max = chart
        .groups
        .iter()
        .flat_map(|g| g.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let y = |value: i64| baseline - value.max(0) as f64 / max as f64 * PLOT_H;

    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="Source Sans Pro Web, Helvetica Neue, Arial, sans-serif">"##
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(chart.title),
        escape(chart.description)
    );

    // Grid lines and y tick labels: 0, the middle and the largest value.
    let mut ticks = vec![0, max / 2, max];
    ticks.dedup();
    for tick in ticks {
        let at = y(tick);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT:.0}" x2="{:.1}" y1="{at:.1}" y2="{at:.1}" stroke="#dfe1e2" stroke-width="1"/><text x="{:.0}" y="{:.1}" text-anchor="end" font-size="11" fill="#1b1b1b">{tick}</text>"##,
            LEFT + plot_w,
            LEFT - 6.0,
            at + 4.0
        );
    }

    // Bars, each with its own title.
    for (i, group) in chart.groups.iter().enumerate() {
        let x0 = LEFT + i as f64 * group_w + GROUP_GAP / 2.0;
        for (j, series) in chart.series.iter().enumerate() {
            let value = group.values.get(j).copied().unwrap_or(0);
            if value <= 0 {
                continue;
            }
            let top = y(value);
            let _ = write!(
                svg,
                r#"<rect x="{:.1}" y="{top:.1}" width="{BAR_W:.0}" height="{:.1}" fill="{}"><title>{}: {} {value}</title></rect>"#,
                x0 + j as f64 * BAR_W,
                baseline - top,
                escape(series.fill),
                escape(&group.label),
                escape(series.name)
            );
        }
    }

    // Axes, x labels (at most MAX_X_LABELS of them) and axis titles.
    let _ = write!(
        svg,
        r##"<line x1="{LEFT:.0}" x2="{LEFT:.0}" y1="{TOP:.0}" y2="{baseline:.0}" stroke="#565c65" stroke-width="1"/><line x1="{LEFT:.0}" x2="{:.1}" y1="{baseline:.0}" y2="{baseline:.0}" stroke="#565c65" stroke-width="1"/>"##,
        LEFT + plot_w
    );
    let every = chart.groups.len().div_ceil(MAX_X_LABELS).max(1);
    for (i, group) in chart.groups.iter().enumerate().step_by(every) {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.0}" text-anchor="middle" font-size="10" fill="#1b1b1b">{}</text>"##,
            LEFT + (i as f64 + 0.5) * group_w,
            baseline + 14.0,
            escape(&group.label)
        );
    }
    let _ = write!(
        svg,
        r##"<text x="{:.1}" y="{:.0}" text-anchor="middle" font-size="12" fill="#1b1b1b">{}</text>"##,
        LEFT + plot_w / 2.0,
        baseline + 32.0,
        escape(chart.x_label)
    );
    let _ = write!(
        svg,
        r##"<text transform="rotate(-90)" x="{:.1}" y="16" text-anchor="middle" font-size="12" fill="#1b1b1b">{}</text>"##,
        -(TOP + PLOT_H / 2.0),
        escape(chart.y_label)
    );

    // Legend.
    let legend_y = height - 12.0;
    for (j, series) in chart.series.iter().enumerate() {
        let x = LEFT + j as f64 * LEGEND_ENTRY_W;
        let _ = write!(
            svg,
            r##"<rect x="{x:.0}" y="{:.0}" width="10" height="10" fill="{}"/><text x="{:.0}" y="{legend_y:.0}" font-size="12" fill="#1b1b1b">{}</text>"##,
            legend_y - 9.0,
            escape(series.fill),
            x + 14.0,
            escape(series.name)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIES: [Series<'static>; 2] = [
        Series {
            name: "Started",
            fill: "#005ea2",
        },
        Series {
            name: "Verified",
            fill: "#00a91c",
        },
    ];

    fn chart<'a>(groups: &'a [Group], title: &'a str) -> BarChart<'a> {
        BarChart {
            id: "funnel",
            title,
            description: "The same numbers are in the table below.",
            x_label: "Day (UTC)",
            y_label: "People",
            series: &SERIES,
            groups,
        }
    }

    fn group(label: &str, values: &[i64]) -> Group {
        Group {
            label: label.to_owned(),
            values: values.to_vec(),
        }
    }

    /// Tags open and close in order, attributes are quoted, and `&` only starts an
    /// entity: enough of XML to catch a broken chart.
    fn assert_well_formed(svg: &str) {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            let text = &rest[..start];
            check_entities(text);
            let end = rest[start..].find('>').expect("tag closes") + start;
            let tag = &rest[start + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closing {name}");
            } else {
                let self_closing = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                let name = tag.split_whitespace().next().expect("tag name").to_owned();
                let attributes = &tag[name.len()..];
                assert_eq!(attributes.matches('"').count() % 2, 0, "quotes in <{tag}>");
                assert!(!attributes.contains("style="), "no inline style: <{tag}>");
                check_entities(attributes);
                if !self_closing {
                    stack.push(name);
                }
            }
            rest = &rest[end + 1..];
            if stack.is_empty() {
                assert!(rest.is_empty(), "one root element");
            }
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
    }

    fn check_entities(text: &str) {
        assert!(!text.contains('<') && !text.contains('>'));
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "bare & in {text}"
            );
        }
    }

    /// The heights of the drawn bars.
    fn bar_heights(svg: &str) -> Vec<f64> {
        svg.split("<rect ")
            .skip(1)
            .filter(|rect| rect.contains("<title>"))
            .map(|rect| {
                let height = rect.split("height=\"").nth(1).unwrap();
                height.split('"').next().unwrap().parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn chart_is_well_formed_and_labelled() {
        let groups = [group("03-01", &[4, 2]), group("03-02", &[7, 3])];
        let svg = bar_chart(&chart(&groups, "Verification funnel"));
        assert_well_formed(&svg);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
        assert!(svg.contains(r#"<title id="funnel-title">Verification funnel</title>"#));
        assert!(svg.contains("aria-labelledby=\"funnel-title funnel-desc\""));
        assert!(svg.contains("<title>03-02: Started 7</title>"));
        assert!(svg.contains(">Day (UTC)</text>") && svg.contains(">People</text>"));
        assert!(svg.contains(">Verified</text>"), "legend");
    }

    #[test]
    fn text_is_escaped() {
        let groups = [group("<b>&\"day\"", &[1, 0])];
        let series = [Series {
            name: "A & <B>",
            fill: "\"red\" onload=\"x\"",
        }];
        let svg = bar_chart(&BarChart {
            series: &series,
            ..chart(&groups, "Funnel </title><script>alert(1)</script>")
        });
        assert_well_formed(&svg);
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;/title&gt;&lt;script&gt;"));
        assert!(svg.contains("&lt;b&gt;&amp;&quot;day&quot;: A &amp; &lt;B&gt; 1"));
        assert!(!svg.contains(" onload=\"x\""));
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let groups = [group("a", &[10, 5]), group("b", &[0, 1])];
        let svg = bar_chart(&chart(&groups, "t"));
        let heights = bar_heights(&svg);
        assert_eq!(heights, vec![PLOT_H, PLOT_H / 2.0, PLOT_H / 10.0]);
        assert!(svg.contains(">10</text>"), "top tick shows the maximum");
        assert!(svg.contains(">5</text>"), "middle tick");
    }

    #[test]
    fn empty_data_draws_an_empty_chart() {
        for groups in [vec![], vec![group("a", &[0, 0])]] {
            let svg = bar_chart(&chart(&groups, "Nothing yet"));
            assert_well_formed(&svg);
            assert!(bar_heights(&svg).is_empty());
            assert!(!svg.contains("NaN") && !svg.contains("inf"));
        }
    }

    #[test]
    fn many_groups_get_at_most_ten_labels() {
        let groups: Vec<Group> = (0..30).map(|i| group(&format!("d{i}"), &[i, 1])).collect();
        let svg = bar_chart(&chart(&groups, "t"));
        assert_well_formed(&svg);
        let labels = (0..30)
            .filter(|i| svg.contains(&format!(">d{i}</text>")))
            .count();
        assert_eq!(labels, 10);
        assert_eq!(bar_heights(&svg).len(), 59);
    }
}
