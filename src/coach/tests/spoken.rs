//! The coaching loop read aloud: what the interviewer says, and when.

use super::*;

#[test]
fn read_aloud_a_round_says_every_line_of_the_interviewer_at_its_moment() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let config = config(dir.path());
    let bank = [question("one"), question("two"), question("three")];
    let questions: Vec<&Question> = bank.iter().collect();
    // 40 s of 60 passes the 30 s warning; 60 s runs out of time after both warnings.
    let mut driver = Driver::answering_in(&[
        ("They expire, and a write will invalidate them.", 40.0),
        ("They expire.", 60.0),
        ("A write will invalidate them and they expire.", 12.0),
    ]);
    let request = Round {
        kind: Kind::Round,
        questions: &questions,
        pace: Pace {
            time_limit_s: Some(60),
            speak: true,
            ..Pace::default()
        },
        picked: Settings::default(),
    };
    round(&config, &Scorer::words_only(), &mut driver, &request)?;

    let said = format!("speak {}", bank[0].question);
    let seen: Vec<&str> = driver
        .events
        .iter()
        .filter(|e| !e.starts_with("think") && !e.starts_with("note"))
        .map(|e| {
            if e.starts_with("scored") {
                "scored"
            } else {
                e.as_str()
            }
        })
        .collect();
    assert_eq!(
        seen,
        [
            "ask one (1 of 3) in 60 s",
            &said,
            "answer one in 60 s",
            "speak 30 seconds left.",
            "scored",
            "speak Next question.",
            "ask two (2 of 3) in 60 s",
            &said,
            "answer two in 60 s",
            "speak 30 seconds left.",
            "speak 10 seconds left.",
            "speak Time's up.",
            "scored",
            "speak Next question.",
            "ask three (3 of 3) in 60 s",
            &said,
            "answer three in 60 s",
            "scored",
            "finished Complete with 3 answers",
            "speak That's the end of the round. Thank you.",
        ]
    );
    Ok(())
}

#[test]
fn read_aloud_a_round_tells_each_next_question_ahead_while_the_answer_is_scored() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let config = config(dir.path());
    let asking = |id: &str, text: &str| Question {
        question: text.into(),
        ..question(id)
    };
    let bank = [
        asking("one", "What is a cache?"),
        asking("two", "How does a cache keep its entries fresh?"),
        asking("three", "When would you not cache?"),
    ];
    let questions: Vec<&Question> = bank.iter().collect();
    let answers = [("They expire.", false); 3];
    for speak in [true, false] {
        let mut driver = Driver::answering(&answers);
        let request = Round {
            kind: Kind::Round,
            questions: &questions,
            pace: Pace {
                speak,
                no_save: true,
                ..Pace::default()
            },
            picked: Settings::default(),
        };
        round(&config, &Scorer::words_only(), &mut driver, &request)?;
        if !speak {
            assert!(driver.coming.is_empty(), "{:?}", driver.coming);
            continue;
        }
        // The first told as the round starts; each other once the answer before it is given,
        // before it is scored; the last question has nothing after it.
        assert_eq!(
            driver.coming,
            [
                (bank[0].question.clone(), String::new()),
                (bank[1].question.clone(), "answer one in 90 s".to_owned()),
                (bank[2].question.clone(), "answer two in 90 s".to_owned()),
            ]
        );
        let coming_at = driver.events.iter().position(|e| e == "answer one in 90 s");
        let scored_at = driver
            .events
            .iter()
            .position(|e| e.starts_with("scored one"));
        assert_eq!(coming_at.map(|at| at + 1), scored_at);
    }
    let mut driver = Driver::answering(&answers[..1]);
    let request = Practice {
        question: &bank[0],
        time_limit_s: None,
        speak: true,
        follow_up: false,
        no_save: true,
    };
    practice(&config, &Scorer::words_only(), &mut driver, &request)?;
    assert!(driver.coming.is_empty(), "practice has no next question");
    Ok(())
}

#[test]
fn a_round_cut_short_is_not_said_to_be_over_and_a_silent_round_says_nothing() -> Result<()> {
    let aloud = Pace {
        speak: true,
        ..Pace::default()
    };
    let (_dir, driver, ended) = round_of_three(
        Kind::Round,
        aloud,
        Settings::default(),
        &[("They expire.", false), ("Entries expire after", true)],
    )?;
    assert!(ended.is_err_and(|err| err.is::<Interrupted>()));
    let spoken: Vec<&String> = driver
        .events
        .iter()
        .filter(|e| e.starts_with("speak"))
        .collect();
    assert_eq!(spoken.len(), 3, "two questions and one next: {spoken:#?}");
    assert!(!spoken.iter().any(|e| e.contains("end of the round")));

    let silent = Pace {
        time_limit_s: Some(60),
        ..Pace::default()
    };
    let (_dir, driver, ended) = round_of_three(
        Kind::Round,
        silent,
        Settings::default(),
        &[("a", false), ("b", false), ("c", false)],
    )?;
    ended?;
    assert!(!driver.events.iter().any(|e| e.starts_with("speak")));
    Ok(())
}
