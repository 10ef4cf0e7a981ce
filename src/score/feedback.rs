//! The one concrete thing to do next time. Coaches agree that one suggestion helps more than a
//! list of ten, so the first problem in order of importance wins.

use super::{Norms, ScoreReport, Status};

pub fn suggestion(report: &ScoreReport, norms: &Norms) -> String {
    let delivery = &report.delivery;
    if delivery.words == 0 {
        return "No answer was heard: answer out loud (or type it) in full sentences.".into();
    }
    if report.keyword_list {
        return "Answer in full sentences: a list of keywords doesn't show you understand how \
                they fit together."
            .into();
    }
    // A story's shape before its beats: a missing result or all-"we" matters more than a beat.
    if let Some(advice) = report
        .structure
        .as_ref()
        .and_then(super::structure::grade::advice)
    {
        return advice;
    }
    // The wrong verdict first: the rest of the answer argues for it.
    if let Some(said) = &report.verdict_against {
        // The reference's opening, up to its first sentence with substance ("Yes. With ...").
        let mut opening: Vec<&str> = Vec::new();
        for sentence in &report.sentences {
            opening.push(&sentence.sentence);
            if sentence.sentence.split_whitespace().count() >= 3 {
                break;
            }
        }
        let reference = if opening.is_empty() {
            String::new()
        } else {
            format!(" The reference says: {}", opening.join(" "))
        };
        return format!(
            "You answered \"{said}\", but the answer is the opposite.{reference} Lead with \
             the right verdict, then why."
        );
    }
    // Saying a point against the reference is worse than leaving it out: it comes first.
    if let Some(point) = report.key_points.iter().find(|p| p.negated) {
        let said = point.heard.as_deref().unwrap_or(&point.point);
        return match &point.reference {
            Some(sentence) => format!(
                "You said \"{said}\", against the reference on \"{}\". The reference says: {sentence}",
                point.point
            ),
            None => format!(
                "You said \"{said}\", against the reference on \"{}\": check that point.",
                point.point
            ),
        };
    }
    // The heaviest point not fully made; among equals the first, usually the headline.
    let missed = report
        .key_points
        .iter()
        .filter(|p| p.status != Status::Hit)
        .min_by(|a, b| b.weight.total_cmp(&a.weight));
    if let Some(point) = missed {
        let verb = if point.status == Status::Partial {
            "Say clearly"
        } else {
            "Cover"
        };
        return match &point.reference {
            Some(sentence) => format!("{verb} \"{}\", as in: {sentence}", point.point),
            None => format!("{verb} \"{}\".", point.point),
        };
    }
    // On a recording, the delivery's key moment, said with its time.
    if let Some(moment) = &delivery.moment {
        return moment.advice(norms);
    }
    if delivery.fillers_per_100_words > norms.fillers_per_100 {
        return format!(
            "Cut the fillers ({} per 100 words): pause silently instead of saying \"{}\".",
            delivery.fillers_per_100_words,
            delivery.filler_words.first().map_or("um", String::as_str)
        );
    }
    if let Some(wpm) = delivery.wpm.filter(|w| *w > norms.fast_wpm) {
        return format!("Slow down: {wpm:.0} words a minute sounds rushed; aim for 130 to 160.");
    }
    if let Some(wpm) = delivery.wpm.filter(|w| *w > 0.0 && *w < norms.slow_wpm) {
        return format!("Pick up the pace: {wpm:.0} words a minute; aim for 130 to 160.");
    }
    if delivery.over_time == Some(true) {
        return format!(
            "Tighten it: you went over the {} s limit; say the key points first, then stop.",
            delivery.time_limit_s
        );
    }
    "Every key point covered. Next time, try it in fewer words with one concrete example.".into()
}
