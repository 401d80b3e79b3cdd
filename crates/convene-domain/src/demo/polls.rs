//! Demo data of polling: in the public Serran Valley space, the poll "Priorities
//! before the talks" in English and Urdu, with skip logic, a free-text question and
//! the demographic block, answered by about 5,000 simulated respondents over the
//! web, SMS and USSD. The answers differ between groups the way a real
//! consultation's might (women, displaced people, youth, the border camps), so that
//! splits and gaps tell a story, and a few cells are small enough to be hidden.
//!
//! Respondents are written in batches inside one transaction, so that the demo
//! starts quickly; the answers are pseudo-random but the same on every run.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::model::{Level, User};
use crate::polls::builder::demographic_block;
use crate::polls::engine::PREFER_NOT;
use crate::polls::xlsform::{parse_expr, Choice, ChoiceList, Translations};
use crate::polls::{
    Access, NewPoll, PollDefinition, PollMargin, Question, QuestionKind, CTX_TEXT, HASH_SUBJECT,
};
use crate::storage::{int, text};
use crate::util::now;
use crate::Db;

/// Simulated respondents of the demo poll.
pub const DEMO_RESPONDENTS: usize = 5_000;
/// The demo poll's SMS keyword.
pub const DEMO_KEYWORD: &str = "VOICE";

fn tr(en: &str, ur: &str) -> Translations {
    let mut t = Translations::new();
    t.insert("en".into(), en.into());
    t.insert("ur".into(), ur.into());
    t
}

fn list(name: &str, items: &[(&str, &str, &str)]) -> ChoiceList {
    ChoiceList {
        name: name.into(),
        choices: items
            .iter()
            .map(|(n, en, ur)| Choice {
                name: (*n).into(),
                label: tr(en, ur),
            })
            .collect(),
    }
}

fn q(name: &str, kind: QuestionKind, en: &str, ur: &str, required: bool) -> Question {
    Question {
        name: name.into(),
        kind,
        label: tr(en, ur),
        hint: Translations::new(),
        required,
        relevant: None,
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: None,
    }
}

/// The demo poll's questions.
pub fn definition() -> PollDefinition {
    let mut questions = vec![
        q(
            "intro",
            QuestionKind::Note,
            "The mediators want to hear what matters most to you before the next round of talks. Your answers are anonymous.",
            "ثالث مذاکرات کے اگلے دور سے پہلے جاننا چاہتے ہیں کہ آپ کے لیے سب سے اہم کیا ہے۔ آپ کے جوابات گمنام ہیں۔",
            false,
        ),
        q(
            "priority",
            QuestionKind::SelectOne(list(
                "priority",
                &[
                    ("return", "Safe return of displaced families", "بے گھر خاندانوں کی محفوظ واپسی"),
                    ("water", "Sharing the river's water", "دریا کے پانی کی تقسیم"),
                    ("crossing", "Reopening the border crossing", "سرحدی گزرگاہ کا دوبارہ کھلنا"),
                    ("security", "Disarming the militias", "ملیشیاؤں کو غیر مسلح کرنا"),
                    ("schools", "Reopening schools", "اسکول دوبارہ کھولنا"),
                    ("jobs", "Work and prices", "روزگار اور قیمتیں"),
                ],
            )),
            "What should the talks deal with first?",
            "مذاکرات میں سب سے پہلے کس مسئلے کو حل کیا جائے؟",
            true,
        ),
        q(
            "trust",
            QuestionKind::Scale { min: 1, max: 5 },
            "How much do you trust the talks to bring peace? (1 = not at all, 5 = completely)",
            "آپ کو کتنا بھروسہ ہے کہ مذاکرات امن لائیں گے؟ (1 = بالکل نہیں، 5 = مکمل)",
            true,
        ),
        q(
            "women_seat",
            QuestionKind::SelectOne(list(
                "yes_no_unsure",
                &[
                    ("yes", "Yes", "ہاں"),
                    ("no", "No", "نہیں"),
                    ("unsure", "Not sure", "یقین نہیں"),
                ],
            )),
            "Should women's groups have a seat at the talks?",
            "کیا خواتین کے گروہوں کو مذاکرات میں نشست ملنی چاہیے؟",
            true,
        ),
        q(
            "worries",
            QuestionKind::SelectMultiple(list(
                "worries",
                &[
                    ("land", "Losing land", "زمین کھونا"),
                    ("violence", "Violence", "تشدد"),
                    ("prices", "Prices", "قیمتیں"),
                    ("water", "Water", "پانی"),
                    ("schooling", "Schooling", "تعلیم"),
                    ("health", "Health care", "صحت کی سہولیات"),
                ],
            )),
            "What worries your household most? Choose all that apply.",
            "آپ کے گھرانے کو سب سے زیادہ کس بات کی فکر ہے؟ جو لاگو ہوں سب چنیں۔",
            false,
        ),
        q(
            "land_lost",
            QuestionKind::SelectOne(list(
                "yes_no",
                &[("yes", "Yes", "ہاں"), ("no", "No", "نہیں")],
            )),
            "Did your family lose land or a home because of the conflict?",
            "کیا تنازع کی وجہ سے آپ کے خاندان کی زمین یا گھر چھن گیا؟",
            true,
        ),
        q(
            "land_remedy",
            QuestionKind::SelectOne(list(
                "land_remedy",
                &[
                    ("return", "Give it back", "واپس دی جائے"),
                    ("compensation", "Pay compensation", "معاوضہ دیا جائے"),
                    ("committee", "Let a joint committee decide", "مشترکہ کمیٹی فیصلہ کرے"),
                ],
            )),
            "What should happen to that land?",
            "اس زمین کا کیا ہونا چاہیے؟",
            true,
        ),
        q(
            "message",
            QuestionKind::Text,
            "Is there a message you want the negotiators to hear?",
            "کیا آپ مذاکرات کاروں تک کوئی پیغام پہنچانا چاہتے ہیں؟",
            false,
        ),
    ];
    if let Some(land) = questions.iter_mut().find(|q| q.name == "land_remedy") {
        land.relevant = parse_expr("${land_lost} = 'yes'").ok();
    }
    let regions = [
        ("north", "North bank", "شمالی کنارہ"),
        ("south", "South bank", "جنوبی کنارہ"),
        ("river", "River towns", "دریائی قصبے"),
        ("hills", "Hill villages", "پہاڑی دیہات"),
        ("camps", "Border camps", "سرحدی کیمپ"),
    ];
    let regions: Vec<(String, Translations)> = regions
        .iter()
        .map(|(n, en, ur)| ((*n).to_string(), tr(en, ur)))
        .collect();
    questions.extend(demographic_block(&regions));
    PollDefinition {
        title: Some("Priorities before the talks".into()),
        form_id: Some("serran_priorities".into()),
        version: Some("1".into()),
        default_language: Some("en".into()),
        languages: vec!["en".into(), "ur".into()],
        questions,
    }
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// An index drawn with these weights.
    fn weighted(&mut self, w: &[f64]) -> usize {
        let total: f64 = w.iter().sum();
        let mut x = self.unit() * total;
        for (i, v) in w.iter().enumerate() {
            if x < *v {
                return i;
            }
            x -= v;
        }
        w.len() - 1
    }
}

const MESSAGES_EN: &[&str] = &[
    "Let our children go back to school.",
    "Open the road to the market before winter.",
    "We want to go home to our village.",
    "Women must be in the room where decisions are made.",
    "Share the water fairly between both banks.",
    "Stop the shooting at night first.",
    "Give the land back to the families who farmed it.",
    "Prices of flour are too high for us.",
    "Listen to the young people, we have no work.",
    "Clear the mines from the fields.",
    "Let the elders of both sides meet again.",
    "We need a clinic in the camp.",
];
const MESSAGES_UR: &[&str] = &[
    "ہمارے بچوں کو اسکول واپس جانے دیں۔",
    "سردیوں سے پہلے بازار کا راستہ کھولیں۔",
    "ہم اپنے گاؤں واپس جانا چاہتے ہیں۔",
    "فیصلوں میں خواتین کو شامل کیا جائے۔",
    "دونوں کناروں میں پانی انصاف سے تقسیم کریں۔",
    "پہلے رات کی فائرنگ بند کروائیں۔",
    "زمین ان خاندانوں کو واپس دیں جو اس پر کاشت کرتے تھے۔",
    "آٹے کی قیمت ہماری پہنچ سے باہر ہے۔",
    "نوجوانوں کی بات سنیں، ہمارے پاس کام نہیں۔",
    "کیمپ میں ایک شفاخانہ چاہیے۔",
];

/// One simulated respondent.
struct Sim {
    channel: &'static str,
    language: &'static str,
    phone: Option<String>,
    answers: Vec<(&'static str, Option<String>, Option<String>)>,
    /// The question awaited when they stopped (`None`: complete).
    stopped_at: Option<&'static str>,
    started_at: i64,
}

fn simulate(i: usize, rng: &mut Rng, t0: i64) -> Sim {
    let channel = ["web", "sms", "ussd"][rng.weighted(&[0.45, 0.45, 0.10])];
    let urdu_share = if channel == "web" { 0.35 } else { 0.6 };
    let language = if rng.chance(urdu_share) { "ur" } else { "en" };
    let gender = ["woman", "man", "other", PREFER_NOT][rng.weighted(&[0.47, 0.48, 0.006, 0.044])];
    let age = ["under_18", "18_29", "30_44", "45_59", "60_plus", PREFER_NOT]
        [rng.weighted(&[0.03, 0.36, 0.3, 0.18, 0.09, 0.04])];
    let region = ["north", "south", "river", "hills", "camps", PREFER_NOT]
        [rng.weighted(&[0.34, 0.3, 0.2, 0.12, 0.012, 0.028])];
    let displaced = region == "camps" || rng.chance(0.18);
    let youth = matches!(age, "under_18" | "18_29");
    let woman = gender == "woman";
    let border = matches!(region, "north" | "camps");
    // Priorities: the displaced want to go home, women want schools and return,
    // youth want work, the border districts want security, traders (men 30-59 of
    // the river towns) the crossing.
    let mut w = [1.0, 0.8, 0.6, 0.9, 0.6, 0.7];
    if displaced {
        w[0] += 2.5;
    }
    if woman {
        w[0] += 0.6;
        w[4] += 1.0;
    }
    if youth {
        w[5] += 1.3;
    }
    if border {
        w[3] += 1.2;
    }
    if region == "river" && gender == "man" && matches!(age, "30_44" | "45_59") {
        w[2] += 1.8;
    }
    if region == "south" {
        w[1] += 0.9;
    }
    let priority = ["return", "water", "crossing", "security", "schools", "jobs"][rng.weighted(&w)];
    let mut trust_w = [0.12, 0.2, 0.3, 0.25, 0.13];
    if displaced {
        trust_w = [0.3, 0.3, 0.22, 0.12, 0.06];
    } else if youth {
        trust_w = [0.18, 0.25, 0.28, 0.19, 0.1];
    }
    let trust = rng.weighted(&trust_w) + 1;
    let seat_yes = if woman {
        0.84
    } else if youth {
        0.66
    } else {
        0.5
    };
    let seat = if rng.chance(seat_yes) {
        "yes"
    } else if rng.chance(0.6) {
        "no"
    } else {
        "unsure"
    };
    let mut worries = Vec::new();
    for (name, p) in [
        ("land", if displaced { 0.7 } else { 0.25 }),
        ("violence", if border { 0.65 } else { 0.35 }),
        ("prices", 0.5),
        ("water", if region == "south" { 0.6 } else { 0.3 }),
        ("schooling", if woman { 0.5 } else { 0.25 }),
        ("health", if region == "camps" { 0.8 } else { 0.2 }),
    ] {
        if rng.chance(p) {
            worries.push(name);
        }
    }
    let land_lost = rng.chance(if displaced { 0.8 } else { 0.22 });
    let remedy = ["return", "compensation", "committee"][rng.weighted(if displaced {
        &[0.7, 0.15, 0.15]
    } else {
        &[0.35, 0.3, 0.35]
    })];
    let mut groups = Vec::new();
    if rng.chance(0.03) {
        groups.push(PREFER_NOT);
    } else {
        for (name, yes) in [
            ("women", woman && rng.chance(0.7)),
            ("youth", youth && rng.chance(0.6)),
            ("displaced", displaced && rng.chance(0.85)),
            ("ethnic_minority", rng.chance(0.08)),
            ("religious_minority", rng.chance(0.05)),
            ("disability", rng.chance(0.04)),
        ] {
            if yes {
                groups.push(name);
            }
        }
    }
    let message = if rng.chance(if channel == "web" { 0.35 } else { 0.15 }) {
        let pool = if language == "ur" {
            MESSAGES_UR
        } else {
            MESSAGES_EN
        };
        Some(pool[(rng.next() % pool.len() as u64) as usize].to_string())
    } else {
        None
    };
    let v = |s: &str| Some(s.to_string());
    let mut answers: Vec<(&'static str, Option<String>, Option<String>)> = vec![
        ("priority", v(priority), None),
        ("trust", Some(trust.to_string()), None),
        ("women_seat", v(seat), None),
        (
            "worries",
            (!worries.is_empty()).then(|| worries.join(" ")),
            None,
        ),
        ("land_lost", v(if land_lost { "yes" } else { "no" }), None),
    ];
    if land_lost {
        answers.push(("land_remedy", v(remedy), None));
    }
    answers.push(("message", None, message));
    answers.push(("gender", v(gender), None));
    answers.push(("age_band", v(age), None));
    answers.push(("region", v(region), None));
    answers.push((
        "groups",
        (!groups.is_empty()).then(|| groups.join(" ")),
        None,
    ));
    // About one in eight stops before the end (more often by SMS).
    let stop_p = if channel == "web" { 0.08 } else { 0.16 };
    let stopped_at = if rng.chance(stop_p) {
        let keep = 1 + (rng.next() % (answers.len() as u64 - 1)) as usize;
        let next = answers[keep].0;
        answers.truncate(keep);
        Some(next)
    } else {
        None
    };
    let phone = (channel != "web").then(|| format!("+92300{:07}", 1_000_000 + i));
    let started_at = t0 - (rng.next() % (14 * 86_400)) as i64;
    Sim {
        channel,
        language,
        phone,
        answers,
        stopped_at,
        started_at,
    }
}

/// Seeds this part's demo data. `users` are the demo users, in the order of
/// [`super::DEMO_USERS`].
pub(crate) async fn seed(db: &Db, users: &[User]) -> Result<()> {
    let Some(owner) = users.first() else {
        return Ok(());
    };
    let scope = db.scope(Some(owner), "serran-valley").await?;
    let poll_id = db
        .create_poll(
            &scope,
            &NewPoll {
                title: "Priorities before the talks".into(),
                description: "A consultation of the valley's people before the next round of talks: by web, by SMS (text VOICE) and by USSD.".into(),
                level: Level::Public,
                definition: definition(),
                access: Access::Open,
                keyword: Some(DEMO_KEYWORD.into()),
                opens_at: None,
                closes_at: None,
                idle_timeout_secs: 3600,
                results_public: true,
            },
        )
        .await?;
    let poll = db.poll(&scope, poll_id).await?;
    let margins = [
        ("gender", &[("woman", 0.5), ("man", 0.5)][..]),
        (
            "region",
            &[
                ("north", 0.34),
                ("south", 0.31),
                ("river", 0.2),
                ("hills", 0.13),
                ("camps", 0.02),
            ][..],
        ),
        (
            "age_band",
            &[
                ("18_29", 0.34),
                ("30_44", 0.3),
                ("45_59", 0.22),
                ("60_plus", 0.14),
            ][..],
        ),
    ];
    let margins: Vec<PollMargin> = margins
        .iter()
        .flat_map(|(var, cats)| {
            cats.iter().map(|(c, s)| PollMargin {
                variable: (*var).into(),
                category: (*c).into(),
                share: *s,
            })
        })
        .collect();
    db.set_poll_margins(&scope, &poll, &margins).await?;
    insert_simulated(db, poll.id, poll.space_id, DEMO_RESPONDENTS).await
}

/// Writes `n` simulated respondents and their answers in batches, in one
/// transaction.
pub(crate) async fn insert_simulated(db: &Db, poll_id: i64, space_id: i64, n: usize) -> Result<()> {
    let t0 = now();
    let mut rng = Rng(0x5EED_0FBA_11CE);
    let sims: Vec<Sim> = (0..n).map(|i| simulate(i, &mut rng, t0)).collect();
    let mut tx = db.pool.begin().await?;
    const R_COLS: usize = 11;
    for (chunk_no, chunk) in sims.chunks(200).enumerate() {
        let mut sql = String::from(
            "INSERT INTO poll_respondents (poll_id, space_id, channel, subject_hash, phone_hash, language, status, awaiting, started_at, updated_at, completed_at) VALUES ",
        );
        for k in 0..chunk.len() {
            if k > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..R_COLS {
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", k * R_COLS + c + 1));
            }
            sql.push(')');
        }
        let mut qy = sqlx::query(&sql);
        for (k, s) in chunk.iter().enumerate() {
            let i = chunk_no * 200 + k;
            let subject = db.keys.lookup_hash(HASH_SUBJECT, &format!("demo:{i}"))?;
            let phone_hash = match &s.phone {
                Some(p) => Some(db.keys.lookup_hash("phone", p)?),
                None => None,
            };
            let status = match (s.stopped_at, s.channel) {
                (None, _) => "complete",
                (Some(_), "web") => "active",
                (Some(_), _) => "timed_out",
            };
            let updated = s.started_at + 60 + (s.answers.len() as i64) * 40;
            qy = qy
                .bind(poll_id)
                .bind(space_id)
                .bind(s.channel)
                .bind(subject)
                .bind(phone_hash)
                .bind(s.language)
                .bind(status)
                .bind(s.stopped_at)
                .bind(s.started_at)
                .bind(updated)
                .bind(s.stopped_at.is_none().then_some(updated));
        }
        qy.execute(&mut *tx).await?;
    }
    let rows = sqlx::query("SELECT id, subject_hash FROM poll_respondents WHERE poll_id = $1")
        .bind(poll_id)
        .fetch_all(&mut *tx)
        .await?;
    let mut ids = BTreeMap::new();
    for r in &rows {
        ids.insert(text(r, "subject_hash")?, int(r, "id")?);
    }
    let mut answers = Vec::new();
    for (i, s) in sims.iter().enumerate() {
        let subject = db.keys.lookup_hash(HASH_SUBJECT, &format!("demo:{i}"))?;
        let Some(&rid) = ids.get(&subject) else {
            continue;
        };
        for (k, (q, value, text)) in s.answers.iter().enumerate() {
            let sealed = match text {
                Some(t) => Some(db.keys.seal(CTX_TEXT, t)?),
                None => None,
            };
            answers.push((
                rid,
                *q,
                value.clone(),
                sealed,
                s.started_at + 60 + k as i64 * 40,
            ));
        }
    }
    const A_COLS: usize = 6;
    for chunk in answers.chunks(400) {
        let mut sql = String::from(
            "INSERT INTO poll_answers (respondent_id, poll_id, question, value, text_enc, answered_at) VALUES ",
        );
        for k in 0..chunk.len() {
            if k > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..A_COLS {
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", k * A_COLS + c + 1));
            }
            sql.push(')');
        }
        let mut qy = sqlx::query(&sql);
        for (rid, q, value, sealed, at) in chunk {
            qy = qy
                .bind(*rid)
                .bind(poll_id)
                .bind(*q)
                .bind(value.clone())
                .bind(sealed.clone())
                .bind(*at);
        }
        qy.execute(&mut *tx).await?;
    }
    sqlx::query("UPDATE polls SET version = version + $1 WHERE record_id = $2")
        .bind(answers.len() as i64)
        .bind(poll_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_definition_is_valid() {
        let d = definition();
        assert!(crate::polls::validate_definition(&d).is_ok());
        assert!(crate::polls::builder::skip_logic_ordered(&d));
    }

    #[test]
    fn simulated_groups_differ() {
        let mut rng = Rng(1);
        let sims: Vec<Sim> = (0..4000).map(|i| simulate(i, &mut rng, 0)).collect();
        let share = |f: &dyn Fn(&Sim) -> bool, g: &dyn Fn(&Sim) -> bool| {
            let group: Vec<&Sim> = sims.iter().filter(|s| f(s)).collect();
            group.iter().filter(|s| g(s)).count() as f64 / group.len().max(1) as f64
        };
        let has = |s: &Sim, q: &str, v: &str| {
            s.answers
                .iter()
                .any(|(n, val, _)| *n == q && val.as_deref() == Some(v))
        };
        let women_yes = share(&|s| has(s, "gender", "woman"), &|s| {
            has(s, "women_seat", "yes")
        });
        let men_yes = share(&|s| has(s, "gender", "man"), &|s| {
            has(s, "women_seat", "yes")
        });
        assert!(women_yes > men_yes + 0.15, "{women_yes} vs {men_yes}");
        let camps = sims.iter().filter(|s| has(s, "region", "camps")).count();
        assert!(
            camps > 0 && camps < 100,
            "{camps} in the camps: a small cell"
        );
        assert!(sims.iter().any(|s| s.channel == "ussd"));
        assert!(sims.iter().any(|s| s.language == "ur") && sims.iter().any(|s| s.language == "en"));
    }
}
