//! The parts of a story, unit by unit, decided together rather than one unit at a time: a story
//! runs situation → task → action → result, and a unit with little to say for itself ("and the
//! pipeline ran every night") belongs with its neighbours. A Viterbi path over five states (the
//! four parts and "other", for openers and asides) takes each unit's evidence, where it sits in
//! the answer, and what it costs to move from one part to another: forward cheaply (skipping a
//! part a little dearer: answers do leave parts out), backward dearly (people do go back, "and
//! afterwards I also ...").

use super::cues::PARTS;

/// States of the path: the parts in order, then "other".
pub const OTHER: usize = PARTS;
const STATES: usize = PARTS + 1;

/// Where in the answer (0 to 1) each part is expected: situation and task early, the action in
/// the middle, the result at the end. Outside its stretch a part pays per fifth of the answer.
const EXPECTED_AT: [(f64, f64); PARTS] = [(0.0, 0.5), (0.0, 0.6), (0.2, 0.95), (0.5, 1.0)];
const OUT_OF_PLACE: f64 = 1.0;
const OUT_OF_PLACE_MAX: f64 = 2.0;
/// What a unit with no evidence for any part scores as "other".
const OTHER_EVIDENCE: f64 = 0.3;
/// Moving on to the next part, per part skipped, going back, and into or out of "other".
const NEXT_PART: f64 = 0.8;
const SKIPPED_PART: f64 = 0.5;
const BACK: f64 = 2.0;
const BACK_TO_ACTION: f64 = 1.2;
const TO_OTHER: f64 = 1.0;

fn position_prior(part: usize, at: f64) -> f64 {
    let (from, to) = EXPECTED_AT[part];
    let outside = (from - at).max(at - to).max(0.0);
    -(OUT_OF_PLACE * outside / 0.2).min(OUT_OF_PLACE_MAX)
}

fn transition(from: usize, to: usize) -> f64 {
    if from == to {
        0.0
    } else if from == OTHER || to == OTHER {
        -TO_OTHER
    } else if to > from {
        -NEXT_PART - SKIPPED_PART * (to - from - 1) as f64
    } else if to == 2 {
        -BACK_TO_ACTION
    } else {
        -BACK
    }
}

fn start(state: usize) -> f64 {
    if state == OTHER {
        0.0
    } else {
        -0.5 * state as f64
    }
}

/// The best state of each unit, given each unit's evidence for the parts and where the unit sits
/// (the share of the answer's words before its middle).
pub fn decode(evidence: &[[f64; PARTS]], positions: &[f64]) -> Vec<usize> {
    let emission = |u: usize, s: usize| {
        if s == OTHER {
            OTHER_EVIDENCE
        } else {
            evidence[u][s] + position_prior(s, positions[u])
        }
    };
    let n = evidence.len();
    if n == 0 {
        return Vec::new();
    }
    let mut best = vec![[f64::NEG_INFINITY; STATES]; n];
    let mut from = vec![[0usize; STATES]; n];
    for (s, first) in best[0].iter_mut().enumerate() {
        *first = start(s) + emission(0, s);
    }
    for u in 1..n {
        for s in 0..STATES {
            let (prev, score) = (0..STATES)
                .map(|p| (p, best[u - 1][p] + transition(p, s)))
                .fold((0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
            best[u][s] = score + emission(u, s);
            from[u][s] = prev;
        }
    }
    let mut state = (0..STATES)
        .max_by(|&a, &b| best[n - 1][a].total_cmp(&best[n - 1][b]))
        .unwrap_or(OTHER);
    let mut path = vec![state; n];
    for u in (1..n).rev() {
        state = from[u][state];
        path[u - 1] = state;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_units_follow_their_neighbours_and_the_story_runs_forward() {
        let evidence = [
            [2.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 1.5, 0.0],
            [0.3, 0.0, 0.0, 0.0],
            [0.0, 0.0, 1.5, 0.0],
            [0.0, 0.0, 0.0, 2.5],
        ];
        let positions = [0.05, 0.2, 0.4, 0.55, 0.7, 0.9];
        assert_eq!(decode(&evidence, &positions), [0, 0, 2, 2, 2, 3]);
    }

    #[test]
    fn nothing_to_go_on_is_other_and_no_units_is_no_path() {
        assert_eq!(decode(&[[0.0; PARTS]; 2], &[0.25, 0.75]), [OTHER, OTHER]);
        assert!(decode(&[], &[]).is_empty());
    }
}
