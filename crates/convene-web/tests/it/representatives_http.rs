//! Contact your representative over HTTP, on the demo: the finder linked from the
//! campaign, a representative's page, writing (bad input named), confirming by the
//! e-mailed link (a scanner's GET sends nothing; used twice or expired says so),
//! "did you get a reply?", the reply-rate table suppressed on the page, the CSV and
//! the API alike, and the organisers' tools (review queue, Popolo import with its
//! problems named, community representatives, settings, letters).

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const CAMPAIGN: &str = "/s/serran-valley/campaign";
const REPS: &str = "/s/serran-valley/campaign/representatives";

/// The value of the `<option>` whose text is `name`.
fn option_value(html: &str, name: &str) -> String {
    html.split("<option value=\"")
        .skip(1)
        .find(|s| {
            s.split_once('>')
                .is_some_and(|(_, rest)| rest.starts_with(&format!("{name}<")))
        })
        .and_then(|s| s.split('"').next())
        .expect(name)
        .to_string()
}

/// The representatives linked from a page, in order.
fn rep_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| {
            h.strip_prefix(&format!("{REPS}/"))
                .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
        })
        .map(str::to_string)
        .collect()
}

fn cells(html: &str) -> Vec<String> {
    html.split("<td dir=\"ltr\">")
        .skip(1)
        .filter_map(|s| s.split("</td>").next())
        .map(|s| s.replace("&#60;", "<"))
        .collect()
}

async fn next_mail(db: &convene_domain::Db) -> convene_domain::mail::OutgoingMail {
    let m = db.claim_mail().await.unwrap().expect("an e-mail");
    db.mail_sent(m.id).await.unwrap();
    m
}

fn token(body: &str, marker: &str) -> String {
    body.split(marker)
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("a link")
        .to_string()
}

#[tokio::test]
async fn the_public_finds_writes_confirms_and_reads_reply_rates_with_small_counts_hidden() {
    let (_, db, _d) = demo_app().await;
    let app = convene_web::app(
        db.clone(),
        convene_web::WebConfig {
            public_url: Some("https://peace.example.org".into()),
            mail_enabled: true,
            ..Default::default()
        },
    );
    // The demo's own e-mails (the held messages' confirmations) are out of the way.
    while let Some(m) = db.claim_mail().await.unwrap() {
        db.mail_sent(m.id).await.unwrap();
    }
    let mut anon = Client::new(&app);
    let campaign = anon.get(CAMPAIGN).await;
    assert!(
        campaign.body.contains(&format!("href=\"{REPS}\"")),
        "linked from the campaign"
    );

    // The finder: pick a district, see its two members and its region's three.
    let finder = anon.get(REPS).await;
    assert_eq!(finder.status, StatusCode::OK);
    assert!(finder.body.len() < 60_000);
    let amber = option_value(&finder.body, "Amber Ford");
    let found = anon.get(&format!("{REPS}?place={amber}")).await;
    let links = rep_links(&found.body);
    assert_eq!(links.len(), 5, "{}", found.body);
    assert!(found.body.contains("Member for Amber Ford"));
    let searched = anon.get(&format!("{REPS}?q=amber")).await;
    assert!(searched.body.contains(&format!("{REPS}?place={amber}")));

    // A member with an e-mail address: the page, and the writer.
    let rep = &links[0];
    let page = anon.get(rep).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"body\""), "{}", page.body);
    assert!(
        page.body.contains("Formal talks can open in March"),
        "the suggested points"
    );
    assert!(
        !page.body.contains("@assembly.veluna.example"),
        "contacts are never shown"
    );
    let write = format!("{rep}/write");
    let bad = anon
        .submit(
            rep,
            &write,
            &[("name", ""), ("email", "nope"), ("body", "Too short.")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("role=\"alert\""));
    assert!(bad.body.contains("too short"), "{}", bad.body);
    assert!(bad.body.contains("id=\"email\"") && bad.body.contains("aria-invalid=\"true\""));
    let text = "I run the bakery by the old bridge; since it reopened, bakers from the far bank buy our flour again. Please back formal talks.";
    let ok = anon
        .submit(
            rep,
            &write,
            &[
                ("name", "Laleh Sarwar"),
                ("email", "laleh@example.net"),
                ("body", text),
                ("place", &amber),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.contains("open the link we sent"), "{}", ok.body);
    let confirm_mail = next_mail(&db).await;
    assert_eq!(confirm_mail.to, "laleh@example.net");
    let t = token(&confirm_mail.body, "confirm?t=");
    assert!(confirm_mail
        .body
        .contains("https://peace.example.org/s/serran-valley/campaign/messages/confirm?t="));
    // A scanner following the link sends nothing.
    let form = anon
        .get(&format!("{CAMPAIGN}/messages/confirm?t={t}"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        db.claim_mail().await.unwrap().is_none(),
        "nothing sent by a GET"
    );
    let page_url = format!("{CAMPAIGN}/messages/confirm?t={t}");
    let done = anon
        .submit(
            &page_url,
            &format!("{CAMPAIGN}/messages/confirm"),
            &[("t", &t)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("on its way"), "{}", done.body);
    let delivered = next_mail(&db).await;
    assert!(delivered.to.ends_with("@assembly.veluna.example"));
    assert_eq!(delivered.reply_to.as_deref(), Some("laleh@example.net"));
    assert!(delivered.body.contains("bakery by the old bridge"));
    assert!(delivered.body.contains("Amber Ford"), "the sender's place");
    let again = anon
        .submit(
            &page_url,
            &format!("{CAMPAIGN}/messages/confirm"),
            &[("t", &t)],
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("already confirmed"));
    let unknown = anon
        .submit(
            &page_url,
            &format!("{CAMPAIGN}/messages/confirm"),
            &[("t", "nope")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // A link older than three days says so.
    let other = &links[1];
    anon.submit(
        other,
        &format!("{other}/write"),
        &[
            ("name", "Laleh Sarwar"),
            ("email", "laleh@example.net"),
            ("body", text),
        ],
    )
    .await;
    let late_mail = next_mail(&db).await;
    assert!(
        late_mail.subject.starts_with("Confirm"),
        "{}",
        late_mail.subject
    );
    let late = token(&late_mail.body, "confirm?t=");
    sqlx::query(
        "UPDATE rep_messages SET created_at = created_at - 4 * 86400 WHERE status = 'unconfirmed'",
    )
    .execute(db.pool_for_tests())
    .await
    .unwrap();
    let expired = anon
        .submit(
            &page_url,
            &format!("{CAMPAIGN}/messages/confirm"),
            &[("t", &late)],
        )
        .await;
    assert_eq!(expired.status, StatusCode::GONE, "{}", expired.body);
    assert!(expired.body.contains("expired"));

    // Two weeks on: asked, answered once.
    sqlx::query("UPDATE rep_messages SET delivered_at = delivered_at - 15 * 86400 WHERE delivered_at IS NOT NULL")
        .execute(db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(db.ask_about_replies().await.unwrap(), 1);
    let ask = next_mail(&db).await;
    assert_eq!(ask.to, "laleh@example.net");
    let rt = token(&ask.body, "reply?t=");
    let q = anon.get(&format!("{CAMPAIGN}/messages/reply?t={rt}")).await;
    assert_eq!(q.status, StatusCode::OK);
    assert!(q.body.contains("value=\"yes\""));
    let reply_page = format!("{CAMPAIGN}/messages/reply?t={rt}");
    let yes = anon
        .submit(
            &reply_page,
            &format!("{CAMPAIGN}/messages/reply"),
            &[("t", &rt), ("replied", "yes")],
        )
        .await;
    assert_eq!(yes.status, StatusCode::OK);
    assert!(yes.body.contains("Thank you"));
    let twice = anon
        .submit(
            &reply_page,
            &format!("{CAMPAIGN}/messages/reply"),
            &[("t", &rt), ("replied", "no")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::GONE);

    // The reply-rate table: small counts hidden on the page, the CSV and the API
    // alike; rates only where enough senders answered.
    let table = anon.get(&format!("{REPS}/replies")).await;
    assert_eq!(table.status, StatusCode::OK);
    let shown = cells(&table.body);
    assert!(shown.iter().any(|c| c == "<10"), "{shown:?}");
    assert!(table.body.contains("not enough answers yet"));
    assert!(table.body.contains('%'));
    let csv = anon.get(&format!("{REPS}/replies.csv")).await;
    let mut r = csv::Reader::from_reader(csv.body.as_bytes());
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let csv_counts: Vec<String> = rows.iter().map(|r| r[3].clone()).collect();
    assert_eq!(csv_counts, shown, "the CSV publishes what the page does");
    let api = anon
        .get("/api/v1/s/serran-valley/campaign/representatives")
        .await;
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let reps = v["representatives"].as_array().unwrap();
    assert_eq!(reps.len(), shown.len() - 1);
    for (rep, cell) in reps.iter().zip(&shown) {
        if cell == "<10" {
            assert!(
                rep["messages_sent"]["value"].is_null() && rep["messages_sent"]["hidden"] == true
            );
            assert!(rep["reply_rate"].is_null());
        } else {
            assert_eq!(rep["messages_sent"]["value"].to_string(), *cell);
        }
    }
    // Counts by the senders' district on the finder, suppressed the same way.
    let finder = anon.get(REPS).await;
    assert!(cells(&finder.body).iter().any(|c| c == "<10"));

    // Urdu, right to left, with the names isolated.
    let mut ur = Client::new(&app);
    ur.get("/lang/ur").await;
    let p = ur.get(&format!("{REPS}?place={amber}")).await;
    assert!(p.body.contains("dir=\"rtl\""));
    assert!(p.body.contains("<bdi>"));
}

#[tokio::test]
async fn organisers_review_held_messages_import_add_and_print_letters() {
    let (app, db, _d) = demo_app().await;
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    assert_eq!(
        member.get(&format!("{REPS}/manage")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let manage = format!("{REPS}/manage");
    let m = org.get(&manage).await;
    assert_eq!(m.status, StatusCode::OK);
    // The demo's two held messages, each with its share copied.
    let ids: Vec<String> = m
        .body
        .split(&format!("{CAMPAIGN}/messages/"))
        .skip(1)
        .filter_map(|s| s.split("/moderate").next())
        .map(str::to_string)
        .collect();
    assert_eq!(ids.len(), 2, "{}", m.body);
    let reject = format!("{CAMPAIGN}/messages/{}/moderate", ids[0]);
    let no_reason = org
        .submit(&manage, &reject, &[("decision", "reject"), ("reason", "")])
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert!(no_reason.body.contains("Say why"));
    let released = org
        .submit(
            &manage,
            &format!("{CAMPAIGN}/messages/{}/moderate", ids[1]),
            &[("decision", "release")],
        )
        .await;
    assert_eq!(released.status, StatusCode::SEE_OTHER);
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM rep_messages WHERE status = 'held'")
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap(),
        1
    );
    let audit: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE target LIKE 'rep_message:%'")
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap();
    assert_eq!(audit, 1, "moderation is audited");

    // A Popolo file with a dangling reference: named, nothing stored.
    let before = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM representatives")
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
    let file = convene_domain::demo::representatives::popolo_file().replacen(
        "\"person_id\": \"person-00\"",
        "\"person_id\": \"person-99\"",
        1,
    );
    let refused = org
        .multipart(
            &manage,
            &format!("{REPS}/import"),
            &[],
            &[("file", "reps.json", &file)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains(
            "memberships, item 1, column person_id: refers to an item that is not in the file"
        ),
        "{}",
        refused.body
    );
    let csv = "name,area,address\nElder Nasrin,Cedar Gap,\"Elders' house, Cedar Gap\"\nSomeone,Atlantis,\n";
    let refused = org
        .multipart(
            &manage,
            &format!("{REPS}/import"),
            &[],
            &[("file", "reps.csv", csv)],
        )
        .await;
    assert!(
        refused.body.contains("CSV file, line 3, column area"),
        "{}",
        refused.body
    );
    let after = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM representatives")
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(before, after);
    let ok = org
        .multipart(
            &manage,
            &format!("{REPS}/import"),
            &[],
            &[("file", "reps.csv", &csv.replace("Someone,Atlantis,\n", ""))],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let done = org.get(ok.headers["location"].to_str().unwrap()).await;
    assert!(done.body.contains("1 added"), "{}", done.body);

    // A community representative by hand; bad input named.
    let bad = org
        .submit(
            &manage,
            &format!("{REPS}/add"),
            &[
                ("name", ""),
                ("area", "VL0101"),
                ("email", "x"),
                ("level", "public"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("aria-invalid"));
    let added = org
        .submit(
            &manage,
            &format!("{REPS}/add"),
            &[
                ("name", "Local council of Fen Bridge"),
                ("area", "VL0106"),
                ("address", "Council hall\nFen Bridge"),
                ("level", "public"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);

    // Settings: a retention out of range is named.
    let s = org
        .submit(
            &manage,
            &format!("{REPS}/settings"),
            &[
                ("ask", "Back talks."),
                ("points", ""),
                ("retention_days", "5"),
                ("rep_daily_limit", "100"),
                ("sender_daily_limit", "5"),
            ],
        )
        .await;
    assert_eq!(s.status, StatusCode::BAD_REQUEST);
    assert!(s.body.contains("between 30 and 730"));

    // Letters: one written to the council (by address) waits to be printed.
    let letters = org.get(&format!("{CAMPAIGN}/letters")).await;
    assert_eq!(letters.status, StatusCode::OK);
    assert_eq!(
        member.get(&format!("{CAMPAIGN}/letters")).await.status,
        StatusCode::NOT_FOUND
    );
}
