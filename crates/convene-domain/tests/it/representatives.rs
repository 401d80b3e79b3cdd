//! Contact your representative, on every engine: Popolo and CSV imports (dangling
//! references and unknown areas named, nothing stored), the finder, a message
//! written, confirmed by link or SMS code and delivered by e-mail (with the
//! sender as Reply-To), SMS or letter; near copies held and moderated; the limits;
//! "did you get a reply?" asked and counted; reply rates and district counts
//! suppressed; senders' data erased after the retention period.

use convene_analysis::survey::Published;
use convene_domain::campaign::representatives::import::{read_csv, read_popolo};
use convene_domain::campaign::representatives::messages::{
    Answered, Confirmation, NewMessage, Written,
};
use convene_domain::campaign::representatives::{Channel, Stance, StanceKind, WritingSettings};
use convene_domain::demo::representatives::popolo_file;
use convene_domain::places::gazetteer_csv;
use convene_domain::sms::Claim;
use convene_domain::spaces::Scope;
use convene_domain::{Db, Error};

use crate::common;
use crate::sms_flows::Fx;

const BASE: &str = "https://convene.example/s/valley/campaign/messages";

fn message(rep: i64, name: &str, email: &str, body: &str) -> NewMessage {
    NewMessage {
        rep,
        name: name.into(),
        email: email.into(),
        body: body.into(),
        lang: "en".into(),
        link_base: BASE.into(),
        ..NewMessage::default()
    }
}

/// Texts in the senders' own words, each unlike the others.
fn own_words(i: usize) -> String {
    let topics = [
        "my grandmother still lives on the far bank and we have not seen her since the bridge closed",
        "the school in our village lost two teachers who could not cross for their pay",
        "our cooperative sells apricots and the traders from the other side are our best buyers",
        "my son was born after the ceasefire and I want him to grow up without the shelling",
        "the clinic at the crossing treats people from both sides and needs the road kept open",
        "our fields flood every spring because the dam gates are managed without talking to us",
        "I drive the bus between the two markets and every closure costs the whole route its living",
        "we lost our house in the fighting and the returns committee has not met for a year",
        "my daughter studies at the university across the river and needs to travel each term",
        "the water committee of both villages met once and agreed more than politicians in ten years",
        "I am a teacher and my pupils ask every week whether the talks will bring their fathers home",
        "our women's group sews for a shop on the other side and the orders stop at every closure",
        "the mosque and the church in our town rebuilt each other's roofs after the floods",
        "the youth football league wants to play the final across the river again this summer",
    ];
    format!(
        "Dear representative, {} (letter number {i}). Please speak for the formal talks opening in March.",
        topics[i % topics.len()]
    )
}

/// Sends the outbox's next e-mail and returns (to, subject, body, reply-to).
async fn next_mail(db: &Db) -> (String, String, String, Option<String>) {
    let m = db.claim_mail().await.unwrap().expect("an e-mail");
    db.mail_sent(m.id).await.unwrap();
    (m.to, m.subject, m.body, m.reply_to)
}

fn link_token(body: &str, marker: &str) -> String {
    body.split(marker)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a link")
        .to_string()
}

async fn count(db: &Db, sql: &str) -> i64 {
    let r = sqlx::query(sql)
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
    sqlx::Row::get::<i64, _>(&r, 0)
}

/// Writes and confirms a message by e-mail; returns what the confirmation did.
async fn write_and_confirm(db: &Db, scope: &Scope, m: &NewMessage) -> Confirmation {
    assert_eq!(
        db.write_to_representative(scope, m).await.unwrap(),
        Written::ByLink
    );
    let (to, _, body, _) = next_mail(db).await;
    assert_eq!(to, m.email.to_lowercase());
    let token = link_token(&body, "confirm?t=");
    let first = db.confirm_message_link(&token).await.unwrap();
    // The link used twice says so.
    assert_eq!(
        db.confirm_message_link(&token).await.unwrap(),
        Confirmation::AlreadyUsed { rep: m.rep }
    );
    first
}

#[tokio::test]
async fn representatives_are_imported_found_written_to_and_counted() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let so = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let anon = db.scope(None, "valley").await.unwrap();
        let g =
            gazetteer_csv::read(convene_domain::demo::places::gazetteer_file().as_bytes()).unwrap();
        db.import_gazetteer(&so, &g).await.unwrap();

        // Popolo: sixty representatives; again, the same sixty updated.
        let reps = read_popolo(popolo_file().as_bytes(), "2026-12-07").unwrap();
        assert_eq!(reps.len(), 60);
        let s = db
            .import_representatives(&so, &reps)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((s.added, s.updated), (60, 0), "{}", t.name);
        let s = db
            .import_representatives(&so, &reps)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((s.added, s.updated), (0, 60), "{}", t.name);
        assert!(matches!(
            db.import_representatives(&anon, &reps).await,
            Err(Error::Forbidden)
        ));
        // A file whose area is not in the gazetteer is refused whole, naming it.
        let elsewhere = popolo_file()
            .replace("\"identifier\": \"VL0101\"", "\"identifier\": \"XX99\"")
            .replace("\"name\": \"Amber Ford\"", "\"name\": \"Nowhere\"")
            .replace("\"id\": \"area-VL0101\"", "\"id\": \"area-XX99\"")
            .replace("\"area_id\": \"area-VL0101\"", "\"area_id\": \"area-XX99\"");
        let moved = read_popolo(elsewhere.as_bytes(), "2026-12-07").unwrap();
        let errs = db
            .import_representatives(&so, &moved)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            (errs[0].sheet, errs[0].key),
            ("areas", "rep-error-area-unknown")
        );
        // Dangling references are caught before anything is read further.
        let dangling = popolo_file().replacen(
            "\"person_id\": \"person-00\"",
            "\"person_id\": \"person-99\"",
            1,
        );
        let errs = read_popolo(dangling.as_bytes(), "2026-12-07").unwrap_err();
        assert_eq!(
            (errs[0].sheet, errs[0].column.as_str(), errs[0].key),
            ("memberships", "person_id", "rep-error-dangling")
        );
        assert_eq!(
            db.representatives(&anon).await.unwrap().len(),
            60,
            "{}",
            t.name
        );
        // CSV: a community representative by name of place; an unknown place refused.
        let csv = "name,role,area,phone,community\nElder Hamid,Council of elders,Bell Hill,+255 700 000 999,yes\n";
        let s = db
            .import_representatives(&so, &read_csv(csv.as_bytes()).unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s.added, 1);
        let bad = read_csv(b"name,area\nSomeone,Atlantis\n").unwrap();
        let errs = db
            .import_representatives(&so, &bad)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(
            (errs[0].sheet, errs[0].line, errs[0].column.as_str()),
            ("csv", 2, "area")
        );

        // The finder: a district's members, then its region's councillors.
        let amber = db.place(&so, "VL0101").await.unwrap();
        let found = db.representatives_of(&anon, &amber).await.unwrap();
        assert_eq!(found.len(), 5, "{}: {found:?}", t.name);
        assert!(found[..2].iter().all(|r| r.role == "Member for Amber Ford"));
        assert!(found[2..]
            .iter()
            .all(|r| r.role.starts_with("Regional councillor")));
        let bell = db.place(&so, "VL0102").await.unwrap();
        let elder = db
            .representatives_of(&anon, &bell)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.community)
            .expect("the elder");
        assert_eq!(elder.channel, Some(Channel::Sms));
        let by_mail = found
            .iter()
            .find(|r| r.channel == Some(Channel::Email))
            .unwrap()
            .clone();

        // Stances: organisers record them with evidence; the latest shows.
        db.record_stance(
            &so,
            by_mail.id,
            &Stance {
                stance: StanceKind::NotYet,
                stated_on: "2026-10-01".into(),
                evidence: "Undecided at the town meeting.".into(),
                evidence_url: String::new(),
            },
        )
        .await
        .unwrap();
        db.record_stance(
            &so,
            by_mail.id,
            &Stance {
                stance: StanceKind::Committed,
                stated_on: "2026-11-20".into(),
                evidence: "Voted for the motion backing formal talks.".into(),
                evidence_url: "https://assembly.veluna.example/votes/112".into(),
            },
        )
        .await
        .unwrap();
        let bad_stance = Stance {
            stance: StanceKind::Refused,
            stated_on: "2099-01-01".into(),
            evidence: " ".into(),
            evidence_url: "javascript:alert(1)".into(),
        };
        match db.record_stance(&so, by_mail.id, &bad_stance).await {
            Err(Error::Invalid(v)) => assert_eq!(
                v.iter().map(|i| i.field).collect::<Vec<_>>(),
                ["stated_on", "evidence", "evidence_url"]
            ),
            other => panic!("{other:?}"),
        }
        let r = db.representative(&anon, by_mail.id).await.unwrap();
        assert_eq!(r.stance.unwrap().stance, StanceKind::Committed);
        assert_eq!(db.stances(&anon, by_mail.id).await.unwrap().len(), 2);

        db.set_writing_settings(
            &so,
            &WritingSettings {
                ask: "Back formal talks.".into(),
                points: "Formal talks can open in March if both parliaments back them and the ceasefire holds.".into(),
                rep_daily_limit: 3,
                ..WritingSettings::default()
            },
        )
        .await
        .unwrap();

        // Bad input is named, nothing stored.
        match db
            .write_to_representative(
                &anon,
                &message(by_mail.id, " ", "not an address", "Too short."),
            )
            .await
        {
            Err(Error::Invalid(v)) => assert_eq!(
                v.iter().map(|i| i.field).collect::<Vec<_>>(),
                ["name", "email", "body"]
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(count(db, "SELECT COUNT(*) FROM rep_messages").await, 0);

        // Written, confirmed by the link, delivered by e-mail with the sender as Reply-To.
        let first = message(
            by_mail.id,
            "Amina Roshan",
            "Amina@Example.org",
            &own_words(0),
        );
        assert_eq!(
            write_and_confirm(db, &anon, &first).await,
            Confirmation::Sent {
                rep: by_mail.id,
                channel: Channel::Email
            },
            "{}",
            t.name
        );
        let (rep_address, subject, body, reply_to) = next_mail(db).await;
        assert!(
            rep_address.ends_with("@assembly.veluna.example"),
            "{rep_address}"
        );
        assert!(subject.contains("Amina Roshan"), "{subject}");
        assert!(body.contains("grandmother"), "{body}");
        assert_eq!(reply_to.as_deref(), Some("amina@example.org"));
        // The link used twice, an unknown one.
        let kept: i64 = count(
            db,
            "SELECT COUNT(*) FROM rep_messages WHERE token_hash IS NOT NULL",
        )
        .await;
        assert_eq!(kept, 1, "a used link is kept, to say it was used");
        assert_eq!(
            db.confirm_message_link("nope").await.unwrap(),
            Confirmation::Unknown
        );
        // The same sender to the same representative again: refused at once.
        match db.write_to_representative(&anon, &first).await {
            Err(Error::Invalid(v)) => assert_eq!(v[0].key, "rep-limit-address"),
            other => panic!("{other:?}"),
        }

        // A near copy of another sender's message is held; so is a copy of the points.
        let copy = message(
            by_mail.id,
            "Bilal",
            "bilal@example.org",
            &format!("{} Thanks.", own_words(0)),
        );
        assert_eq!(
            write_and_confirm(db, &anon, &copy).await,
            Confirmation::Held { rep: by_mail.id }
        );
        let points = message(
            found[3].id,
            "Cyra",
            "cyra@example.org",
            "Formal talks can open in March if both parliaments back them and the ceasefire holds. Please.",
        );
        assert_eq!(
            write_and_confirm(db, &anon, &points).await,
            Confirmation::Held { rep: found[3].id }
        );
        let held = db.held_messages(&so).await.unwrap();
        assert_eq!(held.len(), 2);
        assert!(held[0].similarity >= 0.5, "{}", held[0].similarity);
        assert!(matches!(
            db.held_messages(&anon).await,
            Err(Error::Forbidden)
        ));
        // Rejected with a reason the sender is told; released and sent.
        assert!(matches!(
            db.moderate_message(&so, held[1].id, false, " ").await,
            Err(Error::Invalid(_))
        ));
        db.moderate_message(&so, held[1].id, false, "Please write in your own words.")
            .await
            .unwrap();
        let (to, _, body, _) = next_mail(db).await;
        assert_eq!(to, "cyra@example.org");
        assert!(body.contains("Please write in your own words."));
        db.moderate_message(&so, held[0].id, true, "")
            .await
            .unwrap();
        let (to, _, _, reply_to) = next_mail(db).await;
        assert_eq!(to, rep_address);
        assert_eq!(reply_to.as_deref(), Some("bilal@example.org"));
        assert!(db.held_messages(&so).await.unwrap().is_empty());

        // The representative's daily limit (3): two sent; the third is refused at
        // writing, and one written before the limit was reached is refused at
        // confirmation.
        let third = message(by_mail.id, "Dariush", "dariush@example.org", &own_words(3));
        assert_eq!(
            db.write_to_representative(&anon, &third).await.unwrap(),
            Written::ByLink
        );
        let (_, _, pending_body, _) = next_mail(db).await;
        let fourth = message(by_mail.id, "Esra", "esra@example.org", &own_words(4));
        assert!(matches!(
            write_and_confirm(db, &anon, &fourth).await,
            Confirmation::Sent { .. }
        ));
        next_mail(db).await;
        let fifth = message(by_mail.id, "Farid", "farid@example.org", &own_words(5));
        match db.write_to_representative(&anon, &fifth).await {
            Err(Error::Invalid(v)) => assert_eq!(v[0].key, "rep-limit-rep", "{}", t.name),
            other => panic!("{}: {other:?}", t.name),
        }
        assert_eq!(
            db.confirm_message_link(&link_token(&pending_body, "confirm?t="))
                .await
                .unwrap(),
            Confirmation::OverLimit {
                rep: by_mail.id,
                key: "rep-limit-rep"
            }
        );
        assert_eq!(
            count(
                db,
                &format!(
                    "SELECT COUNT(*) FROM rep_messages WHERE rep_id = {} AND status = 'sent'",
                    by_mail.id
                )
            )
            .await,
            3
        );

        // By SMS to a representative with only a phone; by letter to one with
        // only an address.
        let before = count(db, "SELECT COUNT(*) FROM sms_outbound").await;
        assert_eq!(
            write_and_confirm(
                db,
                &anon,
                &message(elder.id, "Gul", "gul@example.org", &own_words(6))
            )
            .await,
            Confirmation::Sent {
                rep: elder.id,
                channel: Channel::Sms
            }
        );
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM sms_outbound").await,
            before + 1
        );
        let letter_rep = db
            .representatives(&anon)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.channel == Some(Channel::Letter))
            .expect("one with only an address");
        assert_eq!(
            write_and_confirm(
                db,
                &anon,
                &message(letter_rep.id, "Hamid", "hamid@example.org", &own_words(7))
            )
            .await,
            Confirmation::Sent {
                rep: letter_rep.id,
                channel: Channel::Letter
            }
        );
        let letters = db.pending_letters(&so).await.unwrap();
        assert_eq!(letters.len(), 1);
        assert!(
            letters[0].address.contains("Hill Road"),
            "{:?}",
            letters[0].address
        );
        assert_eq!(db.letters_posted(&so, &[letters[0].id]).await.unwrap(), 1);
        assert!(db.pending_letters(&so).await.unwrap().is_empty());

        // A sender with only a phone confirms by the code sent by SMS.
        let mut by_phone = message(found[4].id, "Iman", "", &own_words(8));
        by_phone.phone = "+255 711 000 111".into();
        let Written::ByCode { message: mid } =
            db.write_to_representative(&anon, &by_phone).await.unwrap()
        else {
            panic!("a code")
        };
        let ch = &db.sms_channels(&so).await.unwrap()[0];
        let code = loop {
            match db.claim_sms(ch).await.unwrap() {
                Claim::Message(m) if m.to.ends_with("711000111") => {
                    break m.body.split(": ").nth(1).unwrap()[..7].to_string()
                }
                Claim::Message(m) => db.sms_sent(m.id, None).await.unwrap(),
                Claim::Wait(ms) => {
                    tokio::time::sleep(std::time::Duration::from_millis(ms as u64 + 1)).await
                }
                Claim::Empty => panic!("no code sent"),
            }
        };
        assert_eq!(
            db.confirm_message_code(mid, "000000x").await.unwrap(),
            Confirmation::WrongCode { left: 4 }
        );
        let c = db.confirm_message_code(mid, &code).await.unwrap();
        assert!(
            matches!(c, Confirmation::Sent { .. }),
            "{}: {c:?} {code}",
            t.name
        );
        assert_eq!(
            db.confirm_message_code(mid, &code).await.unwrap(),
            Confirmation::AlreadyUsed { rep: found[4].id }
        );

        // Two weeks later: "did you get a reply?", asked once, answered once.
        sqlx::query("UPDATE rep_messages SET delivered_at = delivered_at - 15 * 86400 WHERE status = 'sent'")
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        let asked = db.ask_about_replies().await.unwrap();
        assert_eq!(asked, 6, "{}", t.name);
        assert_eq!(db.ask_about_replies().await.unwrap(), 0);
        let mut token = None;
        for _ in 0..5 {
            let (to, subject, body, _) = next_mail(db).await;
            if to == "amina@example.org" {
                assert!(subject.contains("reply"), "{subject}");
                token = Some(link_token(&body, "reply?t="));
            }
        }
        let token = token.expect("Amina was asked");
        assert_eq!(
            db.reply_question(&token).await.unwrap(),
            Some((so.space().id, by_mail.id))
        );
        assert_eq!(
            db.answer_reply(&token, true).await.unwrap(),
            Answered::Counted { rep: by_mail.id }
        );
        assert_eq!(
            db.answer_reply(&token, false).await.unwrap(),
            Answered::AlreadyAnswered { rep: by_mail.id }
        );
        assert_eq!(
            db.answer_reply("nope", true).await.unwrap(),
            Answered::Unknown
        );
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM rep_messages WHERE replied = 'yes'"
            )
            .await,
            1
        );

        // Messages by the senders' districts are published the same way.
        let by_district = db.message_counts(&anon).await.unwrap();
        assert!(
            by_district.districts.iter().all(|(_, n)| n.is_hidden()),
            "{:?}",
            by_district.districts
        );
        assert!(by_district.total.is_hidden());

        // Reply rates: counts under the threshold (10) hidden, the total too when
        // it would give one away; a rate once ten senders answered.
        let rates = db.reply_rates(&anon).await.unwrap();
        let row = rates.rows.iter().find(|r| r.rep.id == by_mail.id).unwrap();
        assert!(row.sent.is_hidden(), "3 messages are hidden");
        assert_eq!(row.rate, None);
        assert!(
            rates.total.is_hidden(),
            "the total would give the hidden cells away"
        );
        for k in 0..12 {
            sqlx::query(
                "INSERT INTO rep_messages (space_id, rep_id, sender_hash, via, lang, status, confirmed_at, delivered_at, replied, created_at)
                 VALUES ($1, $2, $3, 'email', 'en', 'sent', 1, 1, $4, $5)",
            )
            .bind(so.space().id)
            .bind(found[2].id)
            .bind(format!("h{k}"))
            .bind(if k < 9 { "yes" } else { "no" })
            .bind(convene_domain::util::now())
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        }
        let rates = db.reply_rates(&anon).await.unwrap();
        let row = rates.rows.iter().find(|r| r.rep.id == found[2].id).unwrap();
        assert_eq!(row.sent, Published::Shown(12));
        assert_eq!(row.rate, Some(0.75));

        // The retention period: senders' data gone, counts kept.
        sqlx::query("UPDATE rep_messages SET created_at = created_at - 91 * 86400,
                 delivered_at = delivered_at - 91 * 86400 WHERE erased_at IS NULL AND sender_hash <> 'h0'")
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        let erased = db.erase_expired_senders().await.unwrap();
        assert!(erased >= 9, "{erased}");
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM rep_messages WHERE name_enc IS NOT NULL OR contact_enc IS NOT NULL OR body_enc IS NOT NULL").await,
            0,
            "{}",
            t.name
        );
        assert_eq!(count(db, "SELECT COUNT(*) FROM rep_message_bands").await, 0);
        let rates = db.reply_rates(&anon).await.unwrap();
        assert_eq!(
            rates
                .rows
                .iter()
                .find(|r| r.rep.id == found[2].id)
                .unwrap()
                .sent,
            Published::Shown(12)
        );
        assert_eq!(
            db.answer_reply(&token, true).await.unwrap(),
            Answered::Unknown
        );
    }
}

#[tokio::test]
async fn a_phone_writes_to_a_representative_in_parts_confirms_and_answers_by_sms() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let so = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let g =
            gazetteer_csv::read(convene_domain::demo::places::gazetteer_file().as_bytes()).unwrap();
        db.import_gazetteer(&so, &g).await.unwrap();
        let reps = read_popolo(popolo_file().as_bytes(), "2026-12-07").unwrap();
        db.import_representatives(&so, &reps)
            .await
            .unwrap()
            .unwrap();
        db.set_writing_settings(
            &so,
            &WritingSettings {
                sms_keyword: "write".into(),
                ..WritingSettings::default()
            },
        )
        .await
        .unwrap();
        let phone = "+255700000301";
        assert!(
            fx.text(db, phone, "WRITE").await.contains("Which place"),
            "{}",
            t.name
        );
        assert!(fx
            .text(db, phone, "Atlantis")
            .await
            .contains("did not find"));
        let list = fx.text(db, phone, "Amber Ford").await;
        assert!(
            list.contains("1 ") && list.contains("Member for Amber Ford"),
            "{list}"
        );
        assert!(fx.text(db, phone, "9").await.contains("one of the numbers"));
        assert!(fx.text(db, phone, "1").await.contains("Your name"));
        assert!(fx
            .text(db, phone, "Laleh Sarwar")
            .await
            .contains("own words"));
        assert!(fx
            .text(db, phone, "I sell bread at the bridge market.")
            .await
            .contains("so far"));
        let short = fx.text(db, phone, "DONE").await;
        assert!(short.contains("at least 80"), "{short}");
        fx.text(db, phone, "Since it reopened, bakers from the far bank buy our flour again. Please back formal talks.")
            .await;
        let confirm = fx.text(db, phone, "DONE").await;
        assert!(
            confirm.contains("YES") && confirm.contains("I sell bread"),
            "{confirm}"
        );
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM rep_messages").await,
            0,
            "nothing before YES"
        );
        let sent = fx.text(db, phone, "YES").await;
        assert!(sent.contains("on its way"), "{}: {sent}", t.name);
        let (to, _, body, reply_to) = next_mail(db).await;
        assert!(to.ends_with("@assembly.veluna.example"), "{to}");
        assert!(
            body.contains("I sell bread at the bridge market. Since it reopened"),
            "{body}"
        );
        assert!(
            body.contains("Laleh Sarwar")
                && body.contains("255700000301")
                && body.contains("by SMS or call"),
            "{body}"
        );
        assert_eq!(reply_to, None, "a phone is no address to reply to");
        assert_eq!(count(db, "SELECT COUNT(*) FROM rep_sms_drafts").await, 0);

        // Started again and cancelled: nothing stored.
        assert!(fx.text(db, phone, "WRITE VL0101").await.contains("number"));
        fx.text(db, phone, "2").await;
        fx.text(db, phone, "Laleh").await;
        fx.text(db, phone, &own_words(9)).await;
        fx.text(db, phone, "DONE").await;
        assert!(fx.text(db, phone, "NO").await.contains("Cancelled"));
        assert_eq!(count(db, "SELECT COUNT(*) FROM rep_messages").await, 1);

        // Two weeks on, asked by SMS; YES answers.
        sqlx::query("UPDATE rep_messages SET delivered_at = delivered_at - 15 * 86400")
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        let before = count(db, "SELECT COUNT(*) FROM sms_outbound").await;
        assert_eq!(db.ask_about_replies().await.unwrap(), 1);
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM sms_outbound").await,
            before + 1
        );
        assert!(fx.text(db, phone, "maybe").await.contains("YES or NO"));
        assert!(fx.text(db, phone, "yes").await.contains("Thank you"));
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM rep_messages WHERE replied = 'yes'"
            )
            .await,
            1,
            "{}",
            t.name
        );
        // DELETE drops a draft in progress.
        fx.text(db, phone, "WRITE").await;
        fx.text(db, phone, "DELETE").await;
        assert_eq!(count(db, "SELECT COUNT(*) FROM rep_sms_drafts").await, 0);
    }
}
