//! How a word sounds, roughly, from its spelling: for telling a misheard word from the term it
//! stands for ("Kubernetis" for "Kubernetes").

/// A rough key of how a word sounds: spelling variants of one sound made one letter, vowels
/// made one mark, doubled letters made single ("Kubernetes" and "Kubernetis" share it).
pub fn sound_key(word: &str) -> String {
    let mut text = word.to_lowercase();
    for (from, to) in [
        ("ph", "f"),
        ("ck", "k"),
        ("qu", "kw"),
        ("gh", "g"),
        ("x", "ks"),
    ] {
        text = text.replace(from, to);
    }
    let chars: Vec<char> = text.chars().filter(char::is_ascii_alphanumeric).collect();
    let mut key = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let sound = match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' => '*',
            'c' if matches!(next, Some('e' | 'i' | 'y')) => 's',
            'c' | 'q' => 'k',
            'z' => 's',
            other => other,
        };
        if !key.ends_with(sound) {
            key.push(sound);
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sound_keys_forgive_spelling() {
        assert_eq!(sound_key("Kubernetes"), sound_key("Kubernetis"));
        assert_eq!(sound_key("Kinesis"), sound_key("Kinesys"));
        assert_eq!(sound_key("phase"), sound_key("faze"));
        assert_ne!(sound_key("Fargate"), sound_key("forget"));
    }
}
