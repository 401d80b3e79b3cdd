//! Twilio's webhooks, signed by Twilio's own Python library (`twilio` from PyPI), not by
//! our code: a valid signature is accepted and answered in TwiML, a bad or missing one
//! is refused with 403 and stores nothing, a retry stores nothing twice, STOP is
//! answered before anything else, and the caller's location fields Twilio adds
//! (FromCity, FromState, FromZip, FromCountry, ToCity…) are stored nowhere.
//!
//! The library is found in the Python named by `CONVENE_TWILIO_PYTHON` (default: the
//! virtual environment `.ci/run` makes). Without it the test is skipped, except under
//! CI, where it fails.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use convene_domain::sms::{Gateway, NewChannel, Settings};
use http_body_util::BodyExt;
use tower::ServiceExt;

const TOKEN: &str = "0f3c9d2b7a1e4f6a8b5c2d9e0f1a2b3c";

fn python() -> Option<String> {
    let py = std::env::var("CONVENE_TWILIO_PYTHON")
        .unwrap_or_else(|_| "/tmp/convene-ref-twilio/bin/python".into());
    let ok = std::process::Command::new(&py)
        .args(["-c", "import twilio.request_validator"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        return Some(py);
    }
    if std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
    {
        panic!("CI requires Twilio's Python library: set CONVENE_TWILIO_PYTHON");
    }
    eprintln!("SKIPPED: Twilio's Python library not found (set CONVENE_TWILIO_PYTHON)");
    None
}

/// Signatures computed by Twilio's library for each (url, params).
fn sign(py: &str, reqs: &[(String, Vec<(&str, &str)>)]) -> Vec<String> {
    use std::io::Write;
    let job = serde_json::json!({
        "token": TOKEN,
        "requests": reqs.iter().map(|(url, params)| serde_json::json!({
            "url": url,
            "params": params.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(*v))).collect::<serde_json::Map<_, _>>(),
        })).collect::<Vec<_>>(),
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gateways/twilio_sign.py");
    let mut child = std::process::Command::new(py)
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(job.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn post(
    app: &axum::Router,
    path: &str,
    params: &[(&str, &str)],
    signature: Option<&str>,
) -> (StatusCode, String, String) {
    let mut req = Request::post(path)
        .header(header::HOST, "sms.convene.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(s) = signature {
        req = req.header("X-Twilio-Signature", s);
    }
    let res = app
        .clone()
        .oneshot(
            req.body(Body::from(serde_urlencoded::to_string(params).unwrap()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    let ctype = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body =
        String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
    (status, ctype, body)
}

#[tokio::test]
async fn twilio_signed_webhooks() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (db, scope) = common::valley_with_owner(dir.path(), 7).await;
    let created = db
        .create_sms_channel(
            &scope,
            &NewChannel {
                gateway: Gateway::Twilio,
                name: "Twilio".into(),
                number: "+15005550006".into(),
                settings: Settings {
                    account: "AC0123456789abcdef0123456789abcdef".into(),
                },
                secret: TOKEN.into(),
                rate_per_sec: 1.0,
                languages: vec![],
            },
        )
        .await
        .unwrap();
    let app = convene_web::app(
        db.clone(),
        convene_web::WebConfig {
            public_url: Some("https://sms.convene.example".into()),
            ..Default::default()
        },
    );
    let path = format!("/hooks/twilio/{}", created.key);
    let url = format!("https://sms.convene.example{path}");
    // What Twilio posts for an inbound message, location fields included.
    let answer = vec![
        ("MessageSid", "SM00000000000000000000000000000001"),
        ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        ("From", "+923001234567"),
        ("To", "+15005550006"),
        ("Body", "2"),
        ("NumMedia", "0"),
        ("FromCity", "LAHORE"),
        ("FromCountry", "PK"),
    ];
    let stop = vec![
        ("MessageSid", "SM00000000000000000000000000000002"),
        ("From", "+923001234567"),
        ("To", "+15005550006"),
        ("Body", "STOP"),
    ];
    let status = vec![
        ("MessageSid", "SM00000000000000000000000000000009"),
        ("MessageStatus", "delivered"),
    ];
    let sigs = sign(
        &py,
        &[
            (url.clone(), answer.clone()),
            (url.clone(), stop.clone()),
            (format!("{url}/status"), status.clone()),
            // Signed for another address: must not be accepted here.
            (format!("https://elsewhere.example{path}"), answer.clone()),
        ],
    );

    // Our own computation agrees with Twilio's library.
    let ours = convene_web::features::sms::hooks::twilio_signature(
        TOKEN,
        &url,
        &answer
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    assert_eq!(ours, sigs[0]);

    let (st, ctype, body) = post(&app, &path, &answer, Some(&sigs[0])).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(ctype.starts_with("text/xml"), "{ctype}");
    assert!(
        body.contains("<Response>") && body.ends_with("</Response>"),
        "{body}"
    );
    assert_eq!(db.sms_inbound_count(created.id).await.unwrap(), 1);

    // Twilio retries with the same MessageSid: nothing is stored twice.
    let (st, _, _) = post(&app, &path, &answer, Some(&sigs[0])).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(db.sms_inbound_count(created.id).await.unwrap(), 1);

    // Bad, missing, or foreign signatures, and a tampered body: 403, nothing stored.
    let mut tampered = answer.clone();
    tampered[0] = ("MessageSid", "SM00000000000000000000000000000003");
    tampered[4] = ("Body", "1");
    for (params, sig) in [
        (&answer, Some("bm90IGEgc2lnbmF0dXJl")),
        (&answer, None),
        (&answer, Some(sigs[3].as_str())),
        (&tampered, Some(sigs[0].as_str())),
    ] {
        let (st, _, _) = post(&app, &path, params, sig).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
    }
    assert_eq!(db.sms_inbound_count(created.id).await.unwrap(), 1);

    // STOP is answered in TwiML and the number is opted out.
    let (st, _, body) = post(&app, &path, &stop, Some(&sigs[1])).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        body.contains("<Message>") && body.contains("START"),
        "{body}"
    );
    assert!(db
        .sms_opted_out(scope.space().id, "+923001234567")
        .await
        .unwrap());

    // A signed status callback is accepted; an unknown key is 404; a malformed body 400.
    let (st, _, _) = post(&app, &format!("{path}/status"), &status, Some(&sigs[2])).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _, _) = post(&app, "/hooks/twilio/unknown-key", &answer, Some(&sigs[0])).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let res = app
        .clone()
        .oneshot(
            Request::post(&path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("From=%FF%FE&Body=%80"))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

/// Every byte of the data directory's files (the database, its write-ahead log).
fn data_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            all.extend(std::fs::read(&p).unwrap());
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn location_fields_twilio_adds_are_never_stored() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (db, scope) = common::valley_with_owner(dir.path(), 7).await;
    let created = db
        .create_sms_channel(
            &scope,
            &NewChannel {
                gateway: Gateway::Twilio,
                name: "Twilio".into(),
                number: "+15005550006".into(),
                settings: Settings {
                    account: "AC0123456789abcdef0123456789abcdef".into(),
                },
                secret: TOKEN.into(),
                rate_per_sec: 1.0,
                languages: vec![],
            },
        )
        .await
        .unwrap();
    // A poll, so that the texts become a respondent and answers.
    use convene_domain::polls::xlsform::Translations;
    use convene_domain::polls::{Access, NewPoll, PollDefinition, Question, QuestionKind};
    let label: Translations = [("en".to_string(), "Your concern?".to_string())].into();
    db.create_poll(
        &scope,
        &NewPoll {
            title: "Plainly stored title".into(),
            description: String::new(),
            level: convene_domain::model::Level::Public,
            definition: PollDefinition {
                title: None,
                form_id: None,
                version: None,
                default_language: Some("en".into()),
                languages: vec!["en".into()],
                questions: vec![Question {
                    name: "concern".into(),
                    kind: QuestionKind::Text,
                    label,
                    hint: Translations::new(),
                    required: true,
                    relevant: None,
                    constraint: None,
                    constraint_message: Translations::new(),
                    row: 0,
                    demographic: None,
                }],
            },
            access: Access::Open,
            keyword: Some("VOICE".into()),
            opens_at: None,
            closes_at: None,
            idle_timeout_secs: 3600,
            results_public: false,
        },
    )
    .await
    .unwrap();
    let app = convene_web::app(
        db.clone(),
        convene_web::WebConfig {
            public_url: Some("https://sms.convene.example".into()),
            ..Default::default()
        },
    );
    let path = format!("/hooks/twilio/{}", created.key);
    let url = format!("https://sms.convene.example{path}");
    let location = [
        ("FromCity", "QXFROMCITYQX"),
        ("FromState", "QXFROMSTATEQX"),
        ("FromZip", "QXFROMZIPQX"),
        ("FromCountry", "QXFROMCOUNTRYQX"),
        ("ToCity", "QXTOCITYQX"),
        ("ToState", "QXTOSTATEQX"),
        ("ToZip", "QXTOZIPQX"),
        ("ToCountry", "QXTOCOUNTRYQX"),
    ];
    let message = |sid: &'static str, body: &'static str| {
        let mut p = vec![
            ("MessageSid", sid),
            ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
            ("From", "+923001234567"),
            ("To", "+15005550006"),
            ("Body", body),
            ("NumMedia", "0"),
            ("NumSegments", "1"),
            ("SmsStatus", "received"),
            ("ApiVersion", "2010-04-01"),
        ];
        p.extend(location);
        p
    };
    let texts = [
        message("SM10000000000000000000000000000001", "VOICE"),
        message("SM10000000000000000000000000000002", "Water for the camp"),
    ];
    let sigs = sign(
        &py,
        &texts
            .iter()
            .map(|p| (url.clone(), p.clone()))
            .collect::<Vec<_>>(),
    );
    let (st, _, body) = post(&app, &path, &texts[0], Some(&sigs[0])).await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("Your concern?"), "{body}");
    let (st, _, body) = post(&app, &path, &texts[1], Some(&sigs[1])).await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("Thank you"), "{body}");
    let poll = db.polls(&scope).await.unwrap().remove(0);
    assert_eq!(db.poll_respondent_counts(&poll).await.unwrap(), (1, 1));

    // No byte of the data directory (database and write-ahead log, every table and
    // index) holds a location value, while plain text stored there does show.
    db.close().await;
    let bytes = data_bytes(dir.path());
    assert!(
        contains(&bytes, "Plainly stored title"),
        "the search sees plain text"
    );
    for (field, value) in location {
        assert!(!contains(&bytes, value), "{field} found in the data files");
    }
}
