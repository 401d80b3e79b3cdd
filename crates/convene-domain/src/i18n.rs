//! Translations with Fluent. Every user-facing string, on a page or in an SMS or
//! USSD reply, is a message in `crates/convene-domain/locales/<lang>/<part>.ftl` (one
//! file per part of the product); all are embedded in the binary. The web layer and
//! the domain (for the texts it sends) use this one catalog.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ur,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ur];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ur => "ur",
        }
    }

    /// The language's own name, shown in the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ur => "اردو",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "ltr",
            Lang::Ur => "rtl",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Picks the first supported language from an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Lang {
        for part in header.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(l) = Lang::parse(primary) {
                return l;
            }
        }
        Lang::En
    }
}

macro_rules! sources {
    ($lang:literal) => {
        [
            include_str!(concat!("../locales/", $lang, "/main.ftl")),
            include_str!(concat!("../locales/", $lang, "/actors.ftl")),
            include_str!(concat!("../locales/", $lang, "/opinion.ftl")),
            include_str!(concat!("../locales/", $lang, "/polls.ftl")),
            include_str!(concat!("../locales/", $lang, "/sms.ftl")),
            include_str!(concat!("../locales/", $lang, "/replies.ftl")),
            include_str!(concat!("../locales/", $lang, "/places.ftl")),
            include_str!(concat!("../locales/", $lang, "/activities.ftl")),
            include_str!(concat!("../locales/", $lang, "/agenda.ftl")),
            include_str!(concat!("../locales/", $lang, "/campaign.ftl")),
            include_str!(concat!("../locales/", $lang, "/dialogues.ftl")),
        ]
    };
}

/// The English messages, one source per part of the product.
pub const EN_FTL: [&str; 11] = sources!("en");
/// The Urdu messages, in the same files as the English ones.
pub const UR_FTL: [&str; 11] = sources!("ur");

pub struct Catalog {
    en: FluentBundle<FluentResource>,
    ur: FluentBundle<FluentResource>,
}

fn bundle(lang: unic_langid::LanguageIdentifier, sources: &[&str]) -> FluentBundle<FluentResource> {
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    b.set_use_isolating(false);
    for src in sources {
        match FluentResource::try_new(src.to_string()) {
            Ok(res) => {
                if let Err(errs) = b.add_resource(res) {
                    tracing::error!(?errs, "duplicate translation messages");
                }
            }
            Err((res, errs)) => {
                tracing::error!(?errs, "translation file has syntax errors");
                let _ = b.add_resource(res);
            }
        }
    }
    b
}

pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog {
        en: bundle(unic_langid::langid!("en"), &EN_FTL),
        ur: bundle(unic_langid::langid!("ur"), &UR_FTL),
    })
}

impl Catalog {
    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::En => &self.en,
            Lang::Ur => &self.ur,
        }
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// The message `key` in `lang`, falling back to English, then to the key itself.
    pub fn get(&self, lang: Lang, key: &str, args: &[(&str, String)]) -> String {
        for l in [lang, Lang::En] {
            let b = self.bundle(l);
            if let Some(pattern) = b.get_message(key).and_then(|m| m.value()) {
                let mut fa = FluentArgs::new();
                for (k, v) in args {
                    match v.parse::<f64>() {
                        Ok(n) => fa.set(*k, FluentValue::from(n)),
                        Err(_) => fa.set(*k, FluentValue::from(v.clone())),
                    }
                }
                let mut errors = Vec::new();
                let s = b.format_pattern(
                    pattern,
                    if args.is_empty() { None } else { Some(&fa) },
                    &mut errors,
                );
                return s.into_owned();
            }
        }
        tracing::warn!(key, "missing translation");
        key.to_string()
    }
}

/// The message ids defined in a Fluent source.
pub fn message_ids(src: &str) -> Vec<String> {
    src.lines()
        .filter(|l| !l.starts_with([' ', '#', '\t', '.']) && l.contains(" ="))
        .filter_map(|l| l.split(" =").next().map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The message `key` in the language `code` of a respondent (`en`, `ur`…; English
/// when the language has no translations), for texts sent by SMS and USSD.
pub fn reply(code: &str, key: &str, args: &[(&str, String)]) -> String {
    catalog().get(Lang::parse(code).unwrap_or(Lang::En), key, args)
}
