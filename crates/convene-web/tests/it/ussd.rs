//! USSD over Africa's Talking's session protocol, with the requests as the gateway
//! sends them (form fields sessionId, serviceCode, phoneNumber, networkCode, text with
//! the inputs joined by `*`): the poll menu, one question per screen, pages of a long
//! choice list (98), a hint after bad input, a retried step stored once, every screen
//! under 182 characters, and DELETE by SMS removing the session's answers.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use convene_domain::model::Level;
use convene_domain::polls::xlsform::{Choice, ChoiceList, Translations};
use convene_domain::polls::{Access, NewPoll, PollDefinition, Question, QuestionKind};
use convene_domain::sms::{Gateway, NewChannel, Settings};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn tr(s: &str) -> Translations {
    [("en".to_string(), s.to_string())].into()
}

fn q(name: &str, label: &str, kind: QuestionKind) -> Question {
    Question {
        name: name.into(),
        kind,
        label: tr(label),
        hint: Translations::new(),
        required: true,
        relevant: None,
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: None,
    }
}

fn poll(title: &str, keyword: &str) -> NewPoll {
    let districts = ChoiceList {
        name: "district".into(),
        choices: (1..=14)
            .map(|i| Choice {
                name: format!("d{i}"),
                label: tr(&format!("Upper Serran district number {i}")),
            })
            .collect(),
    };
    NewPoll {
        title: title.into(),
        description: String::new(),
        level: Level::Public,
        definition: PollDefinition {
            title: None,
            form_id: None,
            version: None,
            default_language: Some("en".into()),
            languages: vec!["en".into()],
            questions: vec![
                q(
                    "district",
                    "Which district do you live in?",
                    QuestionKind::SelectOne(districts),
                ),
                q(
                    "trust",
                    "Trust in the council",
                    QuestionKind::Scale { min: 1, max: 5 },
                ),
                q("need", "What is needed most?", QuestionKind::Text),
            ],
        },
        access: Access::Open,
        keyword: Some(keyword.into()),
        opens_at: None,
        closes_at: None,
        idle_timeout_secs: 3600,
        results_public: false,
    }
}

async fn post(app: &axum::Router, path: &str, params: &[(&str, &str)]) -> (StatusCode, String) {
    let res = app
        .clone()
        .oneshot(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(serde_urlencoded::to_string(params).unwrap()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    if status == StatusCode::OK && path.ends_with("/ussd") {
        let ctype = res.headers().get(header::CONTENT_TYPE).unwrap();
        assert!(ctype.to_str().unwrap().starts_with("text/plain"));
    }
    let body =
        String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
    (status, body)
}

#[tokio::test]
async fn ussd_session_answers_a_poll() {
    let dir = tempfile::tempdir().unwrap();
    let (db, scope) = common::valley_with_owner(dir.path(), 9).await;
    let first = db
        .create_poll(&scope, &poll("Serran needs", "NEEDS"))
        .await
        .unwrap();
    db.create_poll(&scope, &poll("Market access", "MARKET"))
        .await
        .unwrap();
    let created = db
        .create_sms_channel(
            &scope,
            &NewChannel {
                gateway: Gateway::AfricasTalking,
                name: "AT".into(),
                number: "*384*123#".into(),
                settings: Settings {
                    account: "sandbox".into(),
                },
                secret: "at-api-key".into(),
                rate_per_sec: 5.0,
                languages: vec![],
            },
        )
        .await
        .unwrap();
    let app = convene_web::app(db.clone(), convene_web::WebConfig::default());
    let path = format!("/hooks/at/{}/ussd", created.key);
    let step = |text: &'static str| {
        vec![
            ("sessionId", "ATUid_6f2b1c0d9e8a7b6c5d4e3f2a1b0c9d8e"),
            ("serviceCode", "*384*123#"),
            ("phoneNumber", "+254711082333"),
            ("networkCode", "63902"),
            ("text", text),
        ]
    };
    let mut screens = Vec::new();
    let mut go = async |text: &'static str| {
        let (st, body) = post(&app, &path, &step(text)).await;
        assert_eq!(st, StatusCode::OK, "{body}");
        assert!(
            body.chars().count() < 182,
            "{} chars: {body}",
            body.chars().count()
        );
        screens.push(body.clone());
        body
    };

    // Two polls open: the menu first.
    let s = go("").await;
    assert!(s.starts_with("CON Choose a poll:\n"), "{s}");
    assert!(
        s.contains("Serran needs") && s.contains("Market access"),
        "{s}"
    );
    let s = go("7").await;
    assert!(s.starts_with("CON Not understood.\nChoose a poll:"), "{s}");
    // Polls are listed newest first: 2 is the first poll created.
    let s = go("7*2").await;
    assert!(
        s.starts_with("CON Which district do you live in?\n1 Upper"),
        "{s}"
    );
    assert!(s.ends_with("\n98 More"), "{s}");
    assert!(!s.contains("\n14 "), "{s}");
    // 98 shows the next page, numbered on.
    let s = go("7*2*98").await;
    assert!(!s.contains("\n1 Upper"), "{s}");
    let mut shown = s.clone();
    let mut text = "7*2*98".to_string();
    while !shown.contains("\n14 Upper") {
        text.push_str("*98");
        let t: &'static str = Box::leak(text.clone().into_boxed_str());
        shown = go(t).await;
    }
    let base = format!("{text}*14");
    let s = go(Box::leak(base.clone().into_boxed_str())).await;
    assert_eq!(s, "CON Trust in the council (1-5)");
    // The gateway retries the same step: same screen, nothing stored twice.
    let again = go(Box::leak(base.clone().into_boxed_str())).await;
    assert_eq!(again, s);
    // Bad input: the question again, with a hint.
    let bad = format!("{base}*9");
    let s = go(Box::leak(bad.clone().into_boxed_str())).await;
    assert_eq!(s, "CON Not understood.\nTrust in the council (1-5)");
    let s = go(Box::leak(format!("{bad}*4").into_boxed_str())).await;
    assert_eq!(s, "CON What is needed most?");
    let s = go(Box::leak(format!("{bad}*4*Clean water").into_boxed_str())).await;
    assert_eq!(s, "END Thank you for your answers.");

    let p = db.poll(&scope, first).await.unwrap();
    assert_eq!(db.poll_respondent_counts(&p).await.unwrap(), (1, 1));
    let data = db.poll_answer_data(&scope, &p, true).await.unwrap();
    let r = &data.respondents[0];
    assert_eq!(r.via, convene_domain::polls::Via::Ussd);
    assert_eq!(r.values.get("district").map(String::as_str), Some("d14"));
    assert_eq!(r.values.get("trust").map(String::as_str), Some("4"));
    assert_eq!(r.texts.get("need").map(String::as_str), Some("Clean water"));

    // Wrong gateway or key: refused.
    let (st, _) = post(&app, "/hooks/at/not-a-key/ussd", &step("")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = post(&app, &path, &[("text", "1")]).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);

    // DELETE by SMS from the same phone removes the session's answers.
    let (st, _) = post(
        &app,
        &format!("/hooks/at/{}/sms", created.key),
        &[
            ("id", "ATXid_1"),
            ("from", "+254711082333"),
            ("to", "*384*123#"),
            ("text", "DELETE"),
            ("date", "2026-11-22 07:00:00"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(db.poll_respondent_counts(&p).await.unwrap(), (0, 0));
}
