//! Numbers in words, the way an interviewer reads them out: "1,024" is "one thousand twenty-four",
//! "3.5" "three point five", "2023" "twenty twenty-three", "1st" "first". Pure functions, on the
//! number words of `text`.

use crate::text::{TENS_WORDS, UNIT_WORDS as ONES};

const SCALES: [(u64, &str); 4] = [
    (1_000_000_000_000, "trillion"),
    (1_000_000_000, "billion"),
    (1_000_000, "million"),
    (1_000, "thousand"),
];

/// A whole number in words ("one thousand twenty-four").
pub fn cardinal(n: u64) -> String {
    let mut words = Vec::new();
    let mut rest = n;
    for (scale, name) in SCALES {
        if rest >= scale {
            words.push(format!("{} {name}", cardinal(rest / scale)));
            rest %= scale;
        }
    }
    if rest >= 100 {
        words.push(format!("{} hundred", ONES[(rest / 100) as usize]));
        rest %= 100;
    }
    if rest > 0 || words.is_empty() {
        words.push(below_hundred(rest));
    }
    words.join(" ")
}

fn below_hundred(n: u64) -> String {
    match n {
        0..20 => ONES[n as usize].to_owned(),
        _ if n.is_multiple_of(10) => TENS_WORDS[(n / 10 - 2) as usize].to_owned(),
        _ => format!(
            "{}-{}",
            TENS_WORDS[(n / 10 - 2) as usize],
            ONES[(n % 10) as usize]
        ),
    }
}

/// A year as people say it: "nineteen ninety-nine", "twenty twenty-three", "two thousand five".
pub fn year(n: u64) -> String {
    let (high, low) = (n / 100, n % 100);
    match low {
        0 if n.is_multiple_of(1000) => cardinal(n),
        0 => format!("{} hundred", cardinal(high)),
        1..10 if high % 10 == 0 => cardinal(n),
        1..10 => format!("{} oh {}", cardinal(high), ONES[low as usize]),
        _ => format!("{} {}", cardinal(high), below_hundred(low)),
    }
}

/// Digits one by one ("0 4" → "zero four"), as after a decimal point.
pub fn digits(text: &str) -> String {
    text.chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| ONES[d as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

/// A number as written: digits with optional thousands commas and an optional decimal part
/// ("1,024", "99.99", "0.5"). None for anything else.
pub fn written(text: &str) -> Option<String> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let plain = whole.replace(',', "");
    let commas_in_place = !whole.contains(',')
        || whole
            .split(',')
            .enumerate()
            .all(|(i, group)| (i == 0 && (1..=3).contains(&group.len())) || group.len() == 3);
    if plain.is_empty() || !plain.bytes().all(|b| b.is_ascii_digit()) || !commas_in_place {
        return None;
    }
    let fraction_ok =
        fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !fraction_ok {
        return None;
    }
    let value: u64 = plain.parse().ok()?;
    let whole_words = if fraction.is_none() && !whole.contains(',') && is_year(&plain) {
        year(value)
    } else if plain.len() > 1 && plain.starts_with('0') {
        digits(&plain)
    } else {
        cardinal(value)
    };
    Some(match fraction {
        Some(fraction) => format!("{whole_words} point {}", digits(fraction)),
        None => whole_words,
    })
}

/// Four digits from 1100 to 2099 with no comma read as a year ("in 2023"), which is how they
/// come in interview questions; "4096" stays a number.
fn is_year(plain: &str) -> bool {
    plain.len() == 4
        && plain
            .parse::<u64>()
            .is_ok_and(|n| (1100..2100).contains(&n))
}

/// "1st", "2nd", "23rd", "24th" → "first", "second", "twenty-third", "twenty-fourth".
pub fn ordinal(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let number = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix))?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let words = cardinal(number.parse().ok()?);
    let (head, last) = match words.rfind([' ', '-']) {
        Some(at) => words.split_at(at + 1),
        None => ("", words.as_str()),
    };
    let last = match last {
        "one" => "first".to_owned(),
        "two" => "second".to_owned(),
        "three" => "third".to_owned(),
        "five" => "fifth".to_owned(),
        "eight" => "eighth".to_owned(),
        "nine" => "ninth".to_owned(),
        "twelve" => "twelfth".to_owned(),
        tens if tens.ends_with('y') => format!("{}ieth", &tens[..tens.len() - 1]),
        other => format!("{other}th"),
    };
    Some(format!("{head}{last}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_read_as_people_say_them() {
        assert_eq!(cardinal(0), "zero");
        assert_eq!(cardinal(7), "seven");
        assert_eq!(cardinal(42), "forty-two");
        assert_eq!(cardinal(100), "one hundred");
        assert_eq!(cardinal(1_024), "one thousand twenty-four");
        assert_eq!(cardinal(4_096), "four thousand ninety-six");
        assert_eq!(cardinal(2_500_000), "two million five hundred thousand");
    }

    #[test]
    fn written_numbers_years_and_decimals() {
        assert_eq!(
            written("99.99").as_deref(),
            Some("ninety-nine point nine nine")
        );
        assert_eq!(written("0.5").as_deref(), Some("zero point five"));
        assert_eq!(written("1,000").as_deref(), Some("one thousand"));
        assert_eq!(written("2023").as_deref(), Some("twenty twenty-three"));
        assert_eq!(written("2005").as_deref(), Some("two thousand five"));
        assert_eq!(written("1999").as_deref(), Some("nineteen ninety-nine"));
        assert_eq!(written("1900").as_deref(), Some("nineteen hundred"));
        assert_eq!(written("4096").as_deref(), Some("four thousand ninety-six"));
        assert_eq!(written("007").as_deref(), Some("zero zero seven"));
        for not_a_number in ["", "1.2.3", "1,00", "12a", "3.", ","] {
            assert_eq!(written(not_a_number), None, "{not_a_number}");
        }
    }

    #[test]
    fn ordinals() {
        assert_eq!(ordinal("1st").as_deref(), Some("first"));
        assert_eq!(ordinal("2nd").as_deref(), Some("second"));
        assert_eq!(ordinal("23rd").as_deref(), Some("twenty-third"));
        assert_eq!(ordinal("40th").as_deref(), Some("fortieth"));
        assert_eq!(ordinal("12th").as_deref(), Some("twelfth"));
        assert_eq!(ordinal("first"), None);
    }
}
