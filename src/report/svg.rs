//! Pictures as inline SVG, for the offline HTML pages: an answer's timeline (where the key
//! points, fillers, hedges, long pauses and the pace fell in the recording) and small line
//! charts of figures over attempts. Pure functions from data to markup.
//!
//! Every mark a reader can click carries `data-kind` and `data-at` (seconds into the
//! recording); the review page's script plays the recording from there.

use std::fmt::Write;

use super::page::escape;
use crate::score::timeline::{PaceFlag, PaceWindow};
use crate::score::{Delivery, ScoreReport, Status, Structure};
use crate::style::clock;

/// The timeline is drawn 1000 units wide and stretched to the page's width; marks are lines
/// whose stroke keeps its width in pixels, so nothing looks squeezed on a phone.
const WIDTH: f64 = 1000.0;
/// Height of a lane of marks, and of the pace lane, in pixels (the drawing is not scaled
/// vertically).
const LANE: f64 = 26.0;
const PACE_LANE: f64 = 50.0;
/// Room above the tallest pace bar for its figure.
const FIGURE_ROOM: f64 = 15.0;
/// The lanes, top to bottom, as labelled beside the drawing.
pub const LANES: [&str; 5] = ["Key points", "Fillers", "Hedges", "Pauses", "Pace"];
/// The first lane's label when it also holds a story's STAR parts.
pub const STORY_LANE: &str = "Story";

/// The lanes' labels for `report`: a behavioural answer's first lane is its story.
pub fn lane_labels(report: &ScoreReport) -> [&'static str; 5] {
    let mut labels = LANES;
    if report.structure.is_some() {
        labels[0] = STORY_LANE;
    }
    labels
}
/// Ticks on the time axis are one of these steps apart (seconds), at most this many.
const STEPS: [f64; 7] = [5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0];
const MAX_TICKS: f64 = 6.0;

/// Where things go in the timeline's drawing.
struct Frame {
    /// Seconds the drawing spans.
    length: f64,
    height: f64,
}

impl Frame {
    fn x(&self, t: f64) -> f64 {
        t.clamp(0.0, self.length) / self.length * WIDTH
    }

    fn lane_top(lane: usize) -> f64 {
        lane as f64 * LANE
    }
}

/// The timeline of a spoken answer `length_s` long, with its time axis; `None` for a typed
/// answer (nothing was timed).
pub fn answer_timeline(report: &ScoreReport, length_s: f64) -> Option<String> {
    let d = &report.delivery;
    let pace = d.pace.as_ref()?;
    // The drawing spans the recording, and every mark in it even if whisper ran past its end.
    let last_mark = pace
        .iter()
        .map(|w| w.end_s)
        .chain(d.pauses.iter().flatten().map(|p| p.end_s()))
        .chain(report.key_points.iter().filter_map(|p| p.at_s))
        .fold(0.0, f64::max);
    let frame = Frame {
        length: length_s.max(last_mark).max(1.0),
        height: Frame::lane_top(4) + PACE_LANE,
    };
    let mut svg = String::new();
    lanes(&mut svg, &frame);
    if let Some(story) = &report.structure {
        story_bands(&mut svg, &frame, story);
    }
    point_marks(&mut svg, &frame, report);
    said_marks(&mut svg, &frame, d);
    pause_marks(&mut svg, &frame, d);
    let figures = pace_bars(&mut svg, &frame, pace);
    if let Some(at) = d.moment.as_ref().and_then(|m| m.at_s) {
        let _ = write!(
            svg,
            "<line class=\"moment\" data-t=\"{at:.2}\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"0\" \
             y2=\"{1}\"/>",
            frame.x(at),
            frame.height
        );
    }
    let _ = write!(
        svg,
        "<line class=\"playhead\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"{}\"/></svg>",
        frame.height
    );
    Some(format!("{svg}{figures}{}", axis(&frame)))
}

/// The drawing's start: its lanes and the grid of the time axis.
fn lanes(svg: &mut String, frame: &Frame) {
    let (length, height) = (frame.length, frame.height);
    let _ = write!(
        svg,
        "<svg class=\"tl\" viewBox=\"0 0 {WIDTH} {height}\" preserveAspectRatio=\"none\" \
         width=\"100%\" height=\"{height}\" role=\"img\" data-length=\"{length:.2}\" \
         aria-label=\"Timeline of the answer, {}\">",
        clock(length)
    );
    for lane in 0..5 {
        let h = if lane == 4 { PACE_LANE } else { LANE };
        let alt = if lane % 2 == 1 { " alt" } else { "" };
        let _ = write!(
            svg,
            "<rect class=\"lane{alt}\" x=\"0\" y=\"{}\" width=\"{WIDTH}\" height=\"{h}\"/>",
            Frame::lane_top(lane)
        );
    }
    for t in ticks(length) {
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"0\" y2=\"{height}\"/>",
            frame.x(t)
        );
    }
}

/// A story's STAR parts as bands in the first lane, each piece where it was said; a click plays
/// the recording from its start.
fn story_bands(svg: &mut String, frame: &Frame, story: &Structure) {
    for part in story.parts.iter().filter(|p| p.present) {
        for piece in &part.pieces {
            let (Some(from), Some(to)) = (piece.start_s, piece.end_s) else {
                continue;
            };
            let name = part.part.name();
            let (x, end) = (frame.x(from), frame.x(to.max(from)));
            let _ = write!(
                svg,
                "<rect class=\"mark star {name}\" data-kind=\"part\" data-at=\"{from:.2}\" \
                 x=\"{x:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{}\"><title>{} {}–{}</title></rect>",
                Frame::lane_top(0) + 3.0,
                (end - x).max(2.0),
                LANE - 6.0,
                escape(name),
                clock(from),
                clock(to)
            );
        }
    }
}

/// The key points heard, where they were heard.
fn point_marks(svg: &mut String, frame: &Frame, report: &ScoreReport) {
    for point in &report.key_points {
        let (Some(at), Status::Hit | Status::Partial) = (point.at_s, point.status) else {
            continue;
        };
        let status = if point.status == Status::Hit {
            "hit"
        } else {
            "partial"
        };
        let heard = point
            .heard
            .as_deref()
            .map(|h| format!(": \"{h}\""))
            .unwrap_or_default();
        let title = format!("{} {} ({status}){heard}", clock(at), point.point);
        tick(
            svg,
            "point",
            status,
            at,
            frame.x(at),
            Frame::lane_top(0),
            &title,
        );
    }
}

/// Fillers (and their clusters) and hedges, each in its lane.
fn said_marks(svg: &mut String, frame: &Frame, d: &Delivery) {
    for cluster in d.filler_clusters.iter().flatten() {
        let (from, to) = (frame.x(cluster.start_s), frame.x(cluster.end_s));
        let _ = write!(
            svg,
            "<rect class=\"cluster\" data-t=\"{:.2}\" x=\"{:.1}\" y=\"{}\" width=\"{:.1}\" \
             height=\"{LANE}\"><title>{} {} fillers close together</title></rect>",
            cluster.start_s,
            from,
            Frame::lane_top(1),
            (to - from).max(2.0),
            clock(cluster.start_s),
            cluster.count
        );
    }
    for filler in d.fillers_at.iter().flatten() {
        let title = format!("{} filler \"{}\"", clock(filler.at_s), filler.word);
        let at = filler.at_s;
        tick(
            svg,
            "filler",
            "",
            at,
            frame.x(at),
            Frame::lane_top(1),
            &title,
        );
    }
    for hedge in d.hedges_at.iter().flatten() {
        let title = format!("{} hedge \"{}\"", clock(hedge.at_s), hedge.phrase);
        let at = hedge.at_s;
        tick(
            svg,
            "hedge",
            "",
            at,
            frame.x(at),
            Frame::lane_top(2),
            &title,
        );
    }
}

fn pause_marks(svg: &mut String, frame: &Frame, d: &Delivery) {
    for pause in d.pauses.iter().flatten() {
        let (from, to) = (frame.x(pause.at_s), frame.x(pause.end_s()));
        let _ = write!(
            svg,
            "<rect class=\"mark pause\" data-kind=\"pause\" data-at=\"{:.2}\" \
             data-duration=\"{:.2}\" x=\"{from:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{}\">\
             <title>{} a {:.1} s silence</title></rect>",
            pause.at_s,
            pause.duration_s,
            Frame::lane_top(3) + 5.0,
            (to - from).max(2.0),
            LANE - 10.0,
            clock(pause.at_s),
            pause.duration_s
        );
    }
}

/// Pace bars rise with the words a minute, against a scale that fits the fastest stretch;
/// their figures are HTML over the drawing (returned), so the stretching leaves the text alone.
fn pace_bars(svg: &mut String, frame: &Frame, pace: &[PaceWindow]) -> String {
    let top = pace.iter().map(|w| w.wpm).fold(220.0, f64::max);
    let lane_bottom = Frame::lane_top(4) + PACE_LANE;
    let mut figures = String::from("<div class=\"tl-wpm\">");
    for window in pace {
        let (from, to) = (frame.x(window.start_s), frame.x(window.end_s));
        let bar = (window.wpm / top * (PACE_LANE - FIGURE_ROOM - 2.0)).max(2.0);
        let flag = match window.flag {
            PaceFlag::Ok => "ok",
            PaceFlag::Rushed => "rushed",
            PaceFlag::Slow => "slow",
        };
        let _ = write!(
            svg,
            "<rect class=\"mark pace {flag}\" data-kind=\"pace\" data-at=\"{:.2}\" \
             data-end=\"{:.2}\" data-wpm=\"{:.0}\" data-flag=\"{flag}\" x=\"{:.1}\" y=\"{:.1}\" \
             width=\"{:.1}\" height=\"{bar:.1}\"><title>{}–{} {:.0} words a minute ({flag})</title>\
             </rect>",
            window.start_s,
            window.end_s,
            window.wpm,
            from + 1.0,
            lane_bottom - bar,
            (to - from - 2.0).max(2.0),
            clock(window.start_s),
            clock(window.end_s),
            window.wpm
        );
        let _ = write!(
            figures,
            "<span class=\"{flag}\" style=\"left:{:.2}%;top:{:.0}px\">{:.0}</span>",
            (from + to) / 2.0 / WIDTH * 100.0,
            lane_bottom - bar - FIGURE_ROOM + 2.0,
            window.wpm
        );
    }
    figures.push_str("</div>");
    figures
}

/// The time axis under the drawing, its labels as HTML.
fn axis(frame: &Frame) -> String {
    let mut axis = String::from("<div class=\"tl-axis\">");
    for t in ticks(frame.length) {
        let _ = write!(
            axis,
            "<span style=\"left:{:.2}%\">{}</span>",
            frame.x(t) / WIDTH * 100.0,
            clock(t)
        );
    }
    axis.push_str("</div>");
    axis
}

/// A clickable tick across a lane: a visible line and a wider invisible one to hit.
fn tick(svg: &mut String, kind: &str, class: &str, at: f64, x: f64, top: f64, title: &str) {
    let (y1, y2) = (top + 4.0, top + LANE - 4.0);
    let _ = write!(
        svg,
        "<g class=\"mark {kind} {class}\" data-kind=\"{kind}\" data-at=\"{at:.2}\">\
         <title>{}</title>\
         <line class=\"hit-area\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{y1}\" y2=\"{y2}\"/>\
         <line class=\"ink\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{y1}\" y2=\"{y2}\"/></g>",
        escape(title)
    );
}

/// Times for the axis: whole steps from 0 that leave room for their labels.
fn ticks(length: f64) -> Vec<f64> {
    let step = STEPS
        .iter()
        .copied()
        .find(|step| length / step <= MAX_TICKS)
        .unwrap_or(600.0);
    (0..)
        .map(|i| f64::from(i) * step)
        .take_while(|t| *t <= length)
        .collect()
}

/// One value of a line chart, with what a mark carries and says.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    pub value: f64,
    /// `data-*` attributes of the mark (name without the prefix, value).
    pub data: Vec<(&'static str, String)>,
    pub title: String,
}

/// A line chart of values in order (oldest first), with a shaded band where the norm is.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart<'a> {
    /// Attributes of the `<svg>` element, e.g. `data-question="ID"`.
    pub attributes: String,
    pub label: &'a str,
    pub points: Vec<ChartPoint>,
    /// The axis runs from 0 to at least this.
    pub max: f64,
    /// The comfortable range, shaded.
    pub band: Option<(f64, f64)>,
    pub unit: &'a str,
}

const CHART_W: f64 = 320.0;
const CHART_H: f64 = 120.0;
const PAD_LEFT: f64 = 34.0;
const PAD_RIGHT: f64 = 10.0;
const PAD_Y: f64 = 12.0;

/// The chart as an SVG that scales with the page but keeps its proportions.
pub fn line_chart(chart: &Chart<'_>) -> String {
    let top = round_up(
        chart
            .points
            .iter()
            .map(|p| p.value)
            .fold(chart.max, f64::max)
            .max(1.0),
    );
    let plot_w = CHART_W - PAD_LEFT - PAD_RIGHT;
    let plot_h = CHART_H - 2.0 * PAD_Y;
    let x = |i: usize| {
        if chart.points.len() < 2 {
            PAD_LEFT + plot_w / 2.0
        } else {
            PAD_LEFT + plot_w * i as f64 / (chart.points.len() - 1) as f64
        }
    };
    let y = |v: f64| PAD_Y + plot_h * (1.0 - v.clamp(0.0, top) / top);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" {} viewBox=\"0 0 {CHART_W} {CHART_H}\" role=\"img\" \
         aria-label=\"{}\">",
        chart.attributes,
        escape(chart.label)
    );
    if let Some((low, high)) = chart.band {
        let _ = write!(
            svg,
            "<rect class=\"band\" x=\"{PAD_LEFT}\" y=\"{:.1}\" width=\"{plot_w}\" \
             height=\"{:.1}\"><title>comfortable: {low:.0}–{high:.0} {}</title></rect>",
            y(high),
            y(low) - y(high),
            escape(chart.unit)
        );
    }
    for value in [0.0, top / 2.0, top] {
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{PAD_LEFT}\" x2=\"{right:.1}\" y1=\"{at:.1}\" \
             y2=\"{at:.1}\"/><text class=\"tick\" x=\"{label:.1}\" y=\"{base:.1}\">{value:.0}</text>",
            right = CHART_W - PAD_RIGHT,
            at = y(value),
            label = PAD_LEFT - 5.0,
            base = y(value) + 4.0
        );
    }
    if chart.points.len() > 1 {
        let line: Vec<String> = chart
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.value)))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"trend\" points=\"{}\"/>",
            line.join(" ")
        );
    }
    for (i, point) in chart.points.iter().enumerate() {
        let data: String = point
            .data
            .iter()
            .map(|(name, value)| format!(" data-{name}=\"{}\"", escape(value)))
            .collect();
        let _ = write!(
            svg,
            "<circle class=\"dot\"{data} cx=\"{:.1}\" cy=\"{:.1}\" r=\"4.5\"><title>{}</title>\
             </circle>",
            x(i),
            y(point.value),
            escape(&point.title)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The axis maximum: the value rounded up to 1, 2, 2.5 or 5 times a power of ten, so that it
/// and its half read as round numbers.
fn round_up(value: f64) -> f64 {
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|candidate| *candidate >= value - 1e-9)
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(round_up(100.0), 100.0);
        assert_eq!(round_up(214.5), 250.0);
        assert_eq!(round_up(10.0), 10.0);
        assert_eq!(round_up(11.0), 20.0);
        assert_eq!(round_up(3.2), 5.0);
    }

    #[test]
    fn axis_ticks_fit_the_length() {
        assert_eq!(ticks(12.0), [0.0, 5.0, 10.0]);
        assert_eq!(ticks(27.7), [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        assert_eq!(ticks(95.0), [0.0, 30.0, 60.0, 90.0]);
        assert_eq!(ticks(600.0).len(), 6);
    }

    #[test]
    fn a_chart_has_one_mark_per_value_with_its_data() {
        let chart = Chart {
            attributes: "data-question=\"q\"".into(),
            label: "scores",
            points: [40.0, 72.5]
                .iter()
                .map(|&value| ChartPoint {
                    value,
                    data: vec![("score", format!("{value}"))],
                    title: format!("{value}"),
                })
                .collect(),
            max: 100.0,
            band: None,
            unit: "",
        };
        let svg = line_chart(&chart);
        assert!(svg.starts_with("<svg class=\"chart\" data-question=\"q\""));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("data-score=\"72.5\""));
        assert!(svg.contains("<polyline"));
    }
}
