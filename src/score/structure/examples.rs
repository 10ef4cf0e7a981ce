//! Plain examples of each STAR part, for the sentence embedder: a unit close in meaning to the
//! examples of one part and far from the others' is evidence for that part. The examples are
//! generic (no one story's words), so that what they add is the kind of thing a unit says, not
//! its topic.

use anyhow::Result;

use super::cues::PARTS;
use crate::embed::{Embed, Embedding};

/// Examples per part, in STAR order.
const EXAMPLES: [&[&str]; PARTS] = [
    &[
        "At my previous company I worked on a small team that ran the billing system.",
        "A few years ago our main product was getting a lot of complaints from customers.",
        "There was a lot going on at the time and the company had just been reorganised.",
        "The system was old and nobody really understood how it worked.",
        "We were a startup of about twenty people.",
    ],
    &[
        "My job was to make sure the project was delivered on time.",
        "I was responsible for fixing it before the launch.",
        "I was asked to take over and get it back on track.",
        "The goal was to get everyone to agree on one plan.",
        "It was up to me to find a solution.",
    ],
    &[
        "So I set up a meeting and asked them what they needed.",
        "I wrote a script to automate the manual steps.",
        "First I looked at the data, then I proposed a change to my manager.",
        "I called the customer and explained what had happened.",
        "I rolled back the change and fixed the bug.",
    ],
    &[
        "In the end we delivered two weeks early and the customer renewed.",
        "As a result the error rate dropped by forty percent.",
        "It saved the team about five hours every week.",
        "After that the complaints stopped and the relationship improved.",
        "What I learned from it is to ask for help earlier.",
    ],
];

/// How much a unit's closeness to one part's examples, over its mean closeness to all parts',
/// counts beside the evidence of its words.
const WEIGHT: f64 = 6.0;

/// For each unit (embedded already), evidence for each part from its meaning.
pub fn evidence(embedder: &dyn Embed, said: &[Embedding]) -> Result<Vec<[f64; PARTS]>> {
    if said.is_empty() {
        return Ok(Vec::new());
    }
    let examples: Vec<&str> = EXAMPLES.iter().flat_map(|e| e.iter().copied()).collect();
    let known = embedder.embed_reference(&examples)?;
    let mut out = Vec::with_capacity(said.len());
    for unit in said {
        let mut best = [f64::NEG_INFINITY; PARTS];
        let mut at = 0;
        for (part, list) in EXAMPLES.iter().enumerate() {
            for vector in &known[at..at + list.len()] {
                best[part] = best[part].max(f64::from(unit.cosine(vector)));
            }
            at += list.len();
        }
        let mean = best.iter().sum::<f64>() / PARTS as f64;
        out.push(best.map(|b| WEIGHT * (b - mean)));
    }
    Ok(out)
}
