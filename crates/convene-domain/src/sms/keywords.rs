//! The keywords every SMS channel understands before any flow sees a text: opting
//! out and back in, deleting one's answers, and help, in each language a channel is
//! configured for.

/// What an inbound text asks for, before any conversation sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// Stop all messages from this space.
    Stop,
    /// Receive messages again after a stop.
    Start,
    /// Delete every poll answer and SMS vote this phone gave in the space.
    Delete,
    /// The list of what the phone can do, in its language.
    Help,
}

/// The languages whose keywords Convene knows, by code.
pub const LANGUAGES: [&str; 5] = ["en", "ur", "fr", "sw", "ar"];

/// Every language whose keywords Convene knows.
pub fn all_languages() -> Vec<String> {
    LANGUAGES.iter().map(|l| l.to_string()).collect()
}

/// Words asking for help, by language.
fn help_words(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &["help", "info"],
        "ur" => &["مدد"],
        "fr" => &["aide"],
        "sw" => &["msaada"],
        "ar" => &["مساعدة"],
        _ => &[],
    }
}

/// Words asking to delete one's poll answers, by language.
fn delete_words(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &["delete"],
        "ur" => &["مٹائیں", "حذف"],
        "fr" => &["supprimer"],
        "sw" => &["futa"],
        "ar" => &["حذف"],
        _ => &[],
    }
}

/// Stop and start words of one language. English words are always understood, since
/// carriers and handsets use them whatever the language of the service.
fn words(lang: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match lang {
        "en" => (
            &["stop", "stopall", "unsubscribe", "cancel", "end", "quit"],
            &["start", "unstop", "subscribe"],
        ),
        "ur" => (&["بند", "روکیں", "رکو"], &["شروع"]),
        "fr" => (
            &["arret", "arrêt", "stop", "desabonner"],
            &["debut", "début"],
        ),
        "sw" => (&["acha", "simama", "sitisha"], &["anza", "anzisha"]),
        "ar" => (&["توقف", "الغاء", "إلغاء"], &["ابدأ", "بدء"]),
        _ => (&[], &[]),
    }
}

/// Reads `text` as a keyword when, trimmed of spaces and punctuation and compared
/// without case, it is exactly one of the stop, start or delete words of English or of one of
/// `languages`. Anything longer ("stop the war") is not a keyword.
pub fn parse(text: &str, languages: &[String]) -> Option<Keyword> {
    let cleaned: String = text
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace() || c == '۔')
        .to_lowercase();
    if cleaned.is_empty() || cleaned.split_whitespace().count() != 1 {
        return None;
    }
    let mut langs: Vec<&str> = vec!["en"];
    langs.extend(languages.iter().map(String::as_str));
    for lang in langs {
        let (stop, start) = words(lang);
        if stop.contains(&cleaned.as_str()) {
            return Some(Keyword::Stop);
        }
        if start.contains(&cleaned.as_str()) {
            return Some(Keyword::Start);
        }
        if delete_words(lang).contains(&cleaned.as_str()) {
            return Some(Keyword::Delete);
        }
        if help_words(lang).contains(&cleaned.as_str()) {
            return Some(Keyword::Help);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn english_words_in_any_case_and_with_punctuation() {
        assert_eq!(parse("STOP", &[]), Some(Keyword::Stop));
        assert_eq!(parse("  stop. ", &[]), Some(Keyword::Stop));
        assert_eq!(parse("Unsubscribe!", &[]), Some(Keyword::Stop));
        assert_eq!(parse("start", &[]), Some(Keyword::Start));
    }

    #[test]
    fn other_languages_only_when_configured() {
        assert_eq!(parse("بند", &[]), None);
        assert_eq!(parse("بند", &langs(&["ur"])), Some(Keyword::Stop));
        assert_eq!(parse("شروع۔", &langs(&["ur"])), Some(Keyword::Start));
        assert_eq!(parse("ACHA", &langs(&["sw"])), Some(Keyword::Stop));
        assert_eq!(parse("Début", &langs(&["fr"])), Some(Keyword::Start));
    }

    #[test]
    fn delete_in_each_language() {
        assert_eq!(parse("DELETE", &[]), Some(Keyword::Delete));
        assert_eq!(parse("delete.", &[]), Some(Keyword::Delete));
        assert_eq!(parse("Supprimer", &langs(&["fr"])), Some(Keyword::Delete));
        assert_eq!(parse("FUTA", &langs(&["sw"])), Some(Keyword::Delete));
        assert_eq!(parse("حذف", &langs(&["ar"])), Some(Keyword::Delete));
        assert_eq!(parse("مٹائیں", &langs(&["ur"])), Some(Keyword::Delete));
        assert_eq!(parse("futa", &[]), None);
        assert_eq!(parse("delete my answers", &[]), None);
    }

    #[test]
    fn help_in_each_language() {
        assert_eq!(parse("HELP", &[]), Some(Keyword::Help));
        assert_eq!(parse("info?", &[]), Some(Keyword::Help));
        assert_eq!(parse("مدد", &langs(&["ur"])), Some(Keyword::Help));
        assert_eq!(parse("Aide", &langs(&["fr"])), Some(Keyword::Help));
        assert_eq!(parse("help me", &[]), None);
    }

    #[test]
    fn sentences_and_answers_are_not_keywords() {
        assert_eq!(parse("stop the fighting", &[]), None);
        assert_eq!(parse("1", &[]), None);
        assert_eq!(parse("", &[]), None);
        assert_eq!(parse("stopp", &[]), None);
    }
}
