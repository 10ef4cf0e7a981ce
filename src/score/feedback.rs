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
