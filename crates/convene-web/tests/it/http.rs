//! The web app over HTTP (in process, on SQLite): headers, CSRF, body limits, error
//! pages, translations, and the confidentiality matrix as each role sees it through
//! pages, search, CSV exports and the JSON API.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{csrf_of, demo_app, Client};

#[tokio::test]
async fn security_headers_on_every_response() {
    let (app, _db, _d) = demo_app().await;
    let mut c = Client::new(&app);
    for path in [
        "/",
        "/login",
        "/s/serran-valley",
        "/no-such-page",
        "/assets/app.css",
        "/healthz",
    ] {
        let r = c.get(path).await;
        let csp = r
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .expect("CSP")
            .to_str()
            .unwrap();
        assert!(
            csp.contains("default-src 'none'")
                && csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("http"),
            "no inline script, no other origin: {path}"
        );
        assert_eq!(
            r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff"
        );
        assert_eq!(
            r.headers.get(header::REFERRER_POLICY).unwrap(),
            "no-referrer"
        );
        assert!(r.headers.get("permissions-policy").is_some());
        if !path.starts_with("/assets") {
            assert_eq!(
                r.headers.get(header::CACHE_CONTROL).unwrap(),
                "no-store",
                "{path}"
            );
        }
    }
    // No page refers to another origin.
    c.login("organiser@demo.convene.example").await;
    for path in [
        "/",
        "/s/serran-valley",
        "/s/serran-valley/concerns",
        "/account",
    ] {
        let r = c.get(path).await;
        assert!(
            !r.body.contains("http://")
                && !r.body.contains("https://")
                && !r.body.contains("src=\"//"),
            "{path}"
        );
        assert!(
            !r.body.contains("<script>") && !r.body.contains("style=\""),
            "no inline script or style: {path}"
        );
        assert!(
            r.body.len() < 60_000,
            "{path} weighs {} bytes",
            r.body.len()
        );
    }
}

#[tokio::test]
async fn csrf_origin_and_body_limit() {
    let (app, _db, _d) = demo_app().await;
    let mut c = Client::new(&app);
    c.get("/login").await;
    // Without the token.
    let r = c
        .post(
            "/login",
            &[
                ("email", "member@demo.convene.example"),
                ("password", convene_domain::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        c.cookies.iter().all(|(k, _)| k != "convene_session"),
        "no session without a CSRF token"
    );
    // With a wrong token.
    let r = c
        .post(
            "/login",
            &[
                ("email", "member@demo.convene.example"),
                ("password", convene_domain::demo::DEMO_PASSWORD),
                ("_csrf", "forged"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // With the right token but from another origin.
    let page = c.get("/login").await;
    let token = csrf_of(&page.body);
    let body = serde_urlencoded::to_string([
        ("email", "member@demo.convene.example"),
        ("password", convene_domain::demo::DEMO_PASSWORD),
        ("_csrf", token.as_str()),
    ])
    .unwrap();
    let req = Request::post("/login")
        .header(header::HOST, "convene.example")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.clone()))
        .unwrap();
    assert_eq!(c.send(req).await.status, StatusCode::FORBIDDEN);
    let req = Request::post("/login")
        .header(header::HOST, "convene.example")
        .header(header::ORIGIN, "https://convene.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(
        c.send(req).await.status,
        StatusCode::SEE_OTHER,
        "same origin with token logs in"
    );
    // After login the token is bound to the session: the old one no longer works.
    let r = c.post("/logout", &[("_csrf", token.as_str())]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Oversized bodies are refused before they are read.
    let big = "x".repeat(2 * 1024 * 1024);
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, big.len())
        .body(Body::from(big))
        .unwrap();
    assert_eq!(c.send(req).await.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn login_failure_is_generic_and_translated() {
    let (app, _db, _d) = demo_app().await;
    let mut c = Client::new(&app);
    let a = c
        .submit(
            "/login",
            "/login",
            &[
                ("email", "member@demo.convene.example"),
                ("password", "wrong password!"),
            ],
        )
        .await;
    let b = c
        .submit(
            "/login",
            "/login",
            &[
                ("email", "nobody@demo.convene.example"),
                ("password", "wrong password!"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(b.status, StatusCode::BAD_REQUEST);
    assert!(a
        .body
        .contains("The e-mail address or password is not right."));
    assert_eq!(
        a.body.replace("member@", "X@"),
        b.body
            .replace("nobody@", "X@")
            .replace(&csrf_of(&b.body), &csrf_of(&a.body))
    );
    c.get("/lang/ur?next=/login").await;
    let u = c
        .submit(
            "/login",
            "/login",
            &[
                ("email", "member@demo.convene.example"),
                ("password", "wrong password!"),
            ],
        )
        .await;
    assert!(u.body.contains("<html lang=\"ur\" dir=\"rtl\">"));
    assert!(u.body.contains("ای میل پتہ یا پاس ورڈ درست نہیں۔"));
}

#[tokio::test]
async fn errors_are_pages_in_the_users_language_and_reveal_nothing() {
    let (app, _db, _d) = demo_app().await;
    let mut c = Client::new(&app);
    let missing = c.get("/s/serran-valley/concerns/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing
        .body
        .contains("There is nothing here, or you may not see it."));
    let closed = c.get("/s/veluna-kestria-dialogue").await;
    let nospace = c.get("/s/no-such-space").await;
    assert_eq!(closed.status, StatusCode::NOT_FOUND);
    assert_eq!(
        closed.body, nospace.body,
        "a closed space looks like no space at all"
    );
    let bad = c.get("/s/serran-valley/concerns/not-a-number").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("<html"));
    c.get("/lang/ur").await;
    let ur = c.get("/s/serran-valley/concerns/999999").await;
    assert!(ur.body.contains("dir=\"rtl\"") && ur.body.contains("یہاں کچھ نہیں ہے"));
    // The language switch only follows local paths.
    let r = c.get("/lang/en?next=//evil.example/").await;
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/");
}

#[tokio::test]
async fn forms_validate_and_rerender_with_messages() {
    let (app, db, _d) = demo_app().await;
    let mut c = Client::new(&app);
    c.login("organiser@demo.convene.example").await;
    let before = db.audit_verify().await.unwrap();
    let r = c
        .submit(
            "/s/serran-valley/activities/new",
            "/s/serran-valley/activities/new",
            &[
                ("title", ""),
                ("locality", ""),
                ("starts_on", "2026-02-30"),
                ("level", "members"),
                ("track", "12"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("This field is required.")
            && r.body.contains("Enter a date as YYYY-MM-DD.")
            && r.body.contains("Choose a track from 1 to 9."),
        "{}",
        r.body
    );
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert_eq!(
        format!("{:?}", db.audit_verify().await.unwrap()),
        format!("{before:?}"),
        "nothing written"
    );
    let r = c
        .submit(
            "/s/serran-valley/contacts/new",
            "/s/serran-valley/contacts/new",
            &[
                ("title", "Trader"),
                ("name", "Someone"),
                ("phone", "call me"),
                ("level", "organisers"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Enter a phone number of 6 to 15 digits."));
    let r = c
        .submit(
            "/s/serran-valley/activities/new",
            "/s/serran-valley/activities/new",
            &[
                ("title", "Town hall"),
                ("locality", "Serran"),
                ("starts_on", "2027-03-01"),
                ("level", "public"),
                ("track", "6"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let loc = r
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let anon = Client::new(&app).get(&loc).await;
    assert!(anon.body.contains("Town hall") && anon.body.contains("6 · Activism"));
}

fn role_email(role: &str) -> Option<String> {
    (role != "anonymous").then(|| format!("{role}@demo.convene.example"))
}

/// What the demo's serran-valley records at each level are called.
const BY_LEVEL: &[(&str, &str, &[&str])] = &[
    // (kind slug, title, roles that may see it)
    (
        "concerns",
        "Reopening the Serran border crossing for traders",
        &[
            "anonymous",
            "observer",
            "owner",
            "organiser",
            "analyst",
            "focal",
            "member",
        ],
    ),
    (
        "concerns",
        "Safety of teachers travelling to border schools",
        &["owner", "organiser", "analyst", "focal", "member"],
    ),
    (
        "concerns",
        "Spoiler risk: militia commander opposes the ceasefire",
        &["owner", "organiser"],
    ),
    (
        "concerns",
        "Back channel to the Kestrian negotiator",
        &["owner", "organiser"],
    ),
    (
        "activities",
        "Cross-border cricket match for youth",
        &[
            "anonymous",
            "observer",
            "owner",
            "organiser",
            "analyst",
            "focal",
            "member",
        ],
    ),
    (
        "activities",
        "Coalition planning meeting",
        &["owner", "organiser", "analyst", "focal", "member"],
    ),
    (
        "activities",
        "Security briefing with the monitoring mission",
        &["owner", "organiser"],
    ),
    (
        "contacts",
        "Chamber of commerce representative, Serran town",
        &["owner", "organiser", "analyst", "focal", "member"],
    ),
    (
        "contacts",
        "Elder, upper valley (Kestria side)",
        &["owner", "organiser", "focal"],
    ),
];

#[tokio::test]
async fn each_role_sees_exactly_its_records_in_pages_search_exports_and_api() {
    let (app, db, _d) = demo_app().await;
    let owner = db
        .user_by_email("owner@demo.convene.example")
        .await
        .unwrap()
        .unwrap();
    let scope = db.scope(Some(&owner), "serran-valley").await.unwrap();
    let all = db
        .fetch_visible(&scope, &convene_domain::records::Filter::default())
        .await
        .unwrap();
    let organiser = db
        .user_by_email("organiser@demo.convene.example")
        .await
        .unwrap()
        .unwrap();
    let oscope = db.scope(Some(&organiser), "serran-valley").await.unwrap();
    let all_org = db
        .fetch_visible(&oscope, &convene_domain::records::Filter::default())
        .await
        .unwrap();
    let id_of = |title: &str| {
        let plain = title.replace("&#x27;", "'");
        all.iter()
            .chain(all_org.iter())
            .find(|r| r.title == plain)
            .map(|r| r.id)
            .unwrap()
    };
    for role in [
        "anonymous",
        "observer",
        "owner",
        "organiser",
        "analyst",
        "focal",
        "member",
    ] {
        let mut c = Client::new(&app);
        if let Some(e) = role_email(role) {
            c.login(&e).await;
        }
        for kind in ["concerns", "activities", "contacts"] {
            let list = c.get(&format!("/s/serran-valley/{kind}")).await;
            assert_eq!(list.status, StatusCode::OK);
            let exp = c.get(&format!("/s/serran-valley/{kind}/export.csv")).await;
            let may_export = matches!(role, "owner" | "organiser" | "analyst");
            assert_eq!(
                exp.status == StatusCode::OK,
                may_export,
                "export {kind} as {role}"
            );
            let api = c.get(&format!("/api/v1/s/serran-valley/{kind}")).await;
            assert_eq!(api.status, StatusCode::OK);
            for (k, title, who) in BY_LEVEL.iter().filter(|x| x.0 == kind) {
                let sees = who.contains(&role);
                let plain = title.replace("&#x27;", "'");
                assert_eq!(
                    list.body.contains(title),
                    sees,
                    "list {k} '{plain}' as {role}"
                );
                let word = plain
                    .split_whitespace()
                    .find(|w| w.len() > 6)
                    .unwrap()
                    .trim_end_matches([',', ':']);
                let search = c.get(&format!("/s/serran-valley/search?q={}", word)).await;
                assert_eq!(
                    search.body.contains(title),
                    sees,
                    "search '{word}' for '{plain}' as {role}"
                );
                let id = id_of(title);
                let detail = c.get(&format!("/s/serran-valley/{k}/{id}")).await;
                assert_eq!(
                    detail.status == StatusCode::OK,
                    sees,
                    "detail '{plain}' as {role}"
                );
                let one = c.get(&format!("/api/v1/s/serran-valley/{k}/{id}")).await;
                assert_eq!(
                    one.status == StatusCode::OK,
                    sees,
                    "api '{plain}' as {role}"
                );
                assert_eq!(
                    api.body.contains(&plain),
                    sees,
                    "api list '{plain}' as {role}"
                );
                if may_export {
                    assert_eq!(
                        exp.body.contains(&plain),
                        sees,
                        "export '{plain}' as {role}"
                    );
                }
            }
        }
        // Closed spaces: only members enter.
        let closed = c.get("/s/veluna-kestria-dialogue").await;
        assert_eq!(
            closed.status == StatusCode::OK,
            matches!(role, "owner" | "organiser" | "analyst" | "focal"),
            "closed space as {role}"
        );
    }
    // Exports carry HXL hashtags and were audited; names are decrypted only for those who may see them.
    let mut c = Client::new(&app);
    c.login("organiser@demo.convene.example").await;
    let csv = c.get("/s/serran-valley/contacts/export.csv").await;
    assert!(csv.body.lines().nth(1).unwrap().starts_with("#meta+id,"));
    assert!(csv.body.contains("Aziz Farrukh") && csv.body.contains("+923005550101"));
    let audit = c.get("/s/serran-valley/audit").await;
    assert!(audit.body.contains("export") && audit.body.contains("record.view"));
    let mut m = Client::new(&app);
    m.login("member@demo.convene.example").await;
    assert_eq!(
        m.get("/s/serran-valley/audit").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn chatham_house_space_shows_no_authors() {
    let (app, _db, _d) = demo_app().await;
    let mut c = Client::new(&app);
    c.login("organiser@demo.convene.example").await;
    let list = c.get("/s/civil-society-coalition/concerns").await;
    let href = list
        .body
        .split("href=\"/s/civil-society-coalition/concerns/")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .find(|h| h.parse::<i64>().is_ok())
        .unwrap();
    let page = c
        .get(&format!("/s/civil-society-coalition/concerns/{href}"))
        .await;
    assert!(page.body.contains("Not shown (Chatham House rule)"));
    assert!(!page.body.contains("Sara Lind"));
}

#[tokio::test]
async fn who_may_not_create_learns_nothing_about_addresses() {
    // Naming people on a new record once answered "No account has this e-mail
    // address" (400) or 403 to anyone, which told staff addresses apart.
    let (app, _db, _d) = demo_app().await;
    for who in [None, Some("observer@demo.convene.example")] {
        let mut c = Client::new(&app);
        if let Some(email) = who {
            c.login(email).await;
        }
        let mut answers = Vec::new();
        for named in ["organiser@demo.convene.example", "nobody-here@example.org"] {
            let token_page = if who.is_some() { "/" } else { "/login" };
            let r = c
                .submit(
                    token_page,
                    "/s/serran-valley/concerns/new",
                    &[("title", "Probe"), ("level", "members"), ("named", named)],
                )
                .await;
            answers.push((r.status, r.body));
        }
        assert_eq!(answers[0].0, StatusCode::FORBIDDEN, "{who:?}");
        assert_eq!(answers[0], answers[1], "{who:?}: the same answer for both");
    }
}

#[tokio::test]
async fn nothing_shown_in_a_chatham_house_space_ties_a_contribution_to_its_author() {
    // The audit page once showed who created each record, and a named-people-only
    // record listed its author among the named.
    let (app, _db, _d) = demo_app().await;
    let space = "/s/civil-society-coalition";
    let mut author = Client::new(&app);
    author.login("member@demo.convene.example").await;
    let r = author
        .submit(
            &format!("{space}/concerns/new"),
            &format!("{space}/concerns/new"),
            &[
                ("title", "Names for the detainee list"),
                ("body", "Only for the two of us."),
                ("level", "named"),
                ("named", "organiser@demo.convene.example"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut organiser = Client::new(&app);
    organiser.login("organiser@demo.convene.example").await;
    let list = organiser.get(&format!("{space}/concerns")).await;
    let href = record_href(
        &list.body,
        &format!("{space}/concerns/"),
        "Names for the detainee list",
    );
    let page = organiser.get(&href).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Tomas Adeyemi"),
        "the named organiser is listed"
    );
    assert!(!page.body.contains("Sara Lind"), "{}", page.body);
    let audit = organiser.get(&format!("{space}/audit")).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.body.contains("record.create"));
    for who in [
        "member@demo.convene.example",
        "Sara Lind",
        "organiser@demo.convene.example",
    ] {
        assert!(!audit.body.contains(who), "{who} on the audit page");
    }
}

#[tokio::test]
async fn absolute_addresses_never_come_from_the_host_header() {
    // A channel's webhook addresses were once built from the request's Host header,
    // which whoever sends the request chooses.
    let (app, _db, _d) = demo_app().await;
    let mut c = Client::new(&app);
    c.login("owner@demo.convene.example").await;
    let token = csrf_of(&c.get("/s/serran-valley/sms").await.body);
    let body = serde_urlencoded::to_string([
        ("gateway", "kannel"),
        ("name", "District line"),
        ("number", "4041"),
        ("account", "convene"),
        ("secret", "sendpass"),
        ("rate_per_sec", "5"),
        ("languages", ""),
        ("_csrf", token.as_str()),
    ])
    .unwrap();
    let r = c
        .send(
            Request::post("/s/serran-valley/sms")
                .header(header::HOST, "evil.example")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("/hooks/kannel/"), "{}", r.body);
    assert!(!r.body.contains("evil.example"), "{}", r.body);
}

#[tokio::test]
async fn pages_are_compressed_and_carry_a_fresh_masked_csrf_token() {
    let (app, _db, _d) = demo_app().await;
    let mut c = Client::new(&app);
    let r = c
        .send(
            Request::get("/login")
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
    // Two views of a page carry different bytes for the same token (so a
    // compressed page does not leak it), and each is accepted.
    let a = csrf_of(&c.get("/login").await.body);
    let b = csrf_of(&c.get("/login").await.body);
    assert_ne!(a, b);
    for token in [a, b] {
        let r = c
            .post(
                "/login",
                &[
                    ("email", "member@demo.convene.example"),
                    ("password", "wrong password!!"),
                    ("_csrf", token.as_str()),
                ],
            )
            .await;
        assert_ne!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    let r = c
        .post(
            "/login",
            &[
                ("email", "member@demo.convene.example"),
                ("password", "x"),
                ("_csrf", "00ff"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// The address of the record titled `title` on a list page.
fn record_href(list: &str, prefix: &str, title: &str) -> String {
    list.split(&format!("href=\"{prefix}"))
        .skip(1)
        .find_map(|p| {
            let (id, rest) = p.split_once('"')?;
            (id.parse::<i64>().is_ok() && rest[..rest.find("</a>")?].contains(title))
                .then(|| format!("{prefix}{id}"))
        })
        .unwrap_or_else(|| panic!("{title} not listed"))
}

#[tokio::test]
async fn a_chatham_house_author_sees_and_uses_the_change_level_form() {
    // The page once decided by comparing display names, which a Chatham House space
    // never shows; the domain decided by author id. Now both ask the same policy.
    let (app, _db, _d) = demo_app().await;
    let list_url = "/s/civil-society-coalition/concerns";
    let mut author = Client::new(&app);
    author.login("member@demo.convene.example").await;
    let list = author.get(list_url).await;
    let href = record_href(
        &list.body,
        "/s/civil-society-coalition/concerns/",
        "Our statement on detainees",
    );
    let page = author.get(&href).await;
    assert!(
        page.body.contains(&format!("action=\"{href}/level\"")),
        "the author sees the form: {}",
        page.body
    );
    assert!(page.body.contains("Not shown (Chatham House rule)"));
    let r = author
        .submit(
            &href,
            &format!("{href}/level"),
            &[("level", "organisers"), ("named", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = author.get(&href).await;
    assert!(
        page.body.contains("<option value=\"organisers\" selected>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Not shown (Chatham House rule)"));

    // Another member of the space sees neither the record (now organisers only)
    // nor, on a record of someone else, the form.
    let mut other = Client::new(&app);
    other.login("focal@demo.convene.example").await;
    assert_eq!(other.get(&href).await.status, StatusCode::NOT_FOUND);
    let list = other.get("/s/civil-society-coalition/activities").await;
    let act = record_href(
        &list.body,
        "/s/civil-society-coalition/activities/",
        "Joint press conference",
    );
    let page = other.get(&act).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&format!("action=\"{act}/level\"")));
    let r = other
        .submit(
            &act,
            &format!("{act}/level"),
            &[("level", "public"), ("named", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[test]
fn every_message_is_translated_and_every_template_key_exists() {
    use convene_web::i18n::{catalog, message_ids, Lang, EN_FTL, UR_FTL};
    let en: Vec<String> = EN_FTL.iter().flat_map(|s| message_ids(s)).collect();
    let ur: Vec<String> = UR_FTL.iter().flat_map(|s| message_ids(s)).collect();
    assert!(en.len() > 100);
    assert_eq!(en.len(), ur.len());
    // Each part's messages are in the same file in both languages.
    for (e, u) in EN_FTL.iter().zip(UR_FTL.iter()) {
        let (e, u) = (message_ids(e), message_ids(u));
        for k in &e {
            assert!(u.contains(k), "'{k}' missing in Urdu");
        }
        for k in &u {
            assert!(e.contains(k), "'{k}' only in Urdu");
        }
    }
    let mut unique = en.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), en.len(), "a message id is defined twice");
    // Every key a template or handler asks for exists.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root];
    let mut keys = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let text = std::fs::read_to_string(&p).unwrap();
                for part in text
                    .split(".t(\"")
                    .skip(1)
                    .chain(text.split(".t1(\"").skip(1))
                {
                    let k = part.split('"').next().unwrap();
                    if !k.is_empty() && !k.contains('{') {
                        keys.push(k.to_string());
                    }
                }
                for part in text.split("\"error-").skip(1) {
                    keys.push(format!("error-{}", part.split('"').next().unwrap()));
                }
            }
        }
    }
    let dynamic = [
        "role-owner",
        "role-organiser",
        "role-analyst",
        "role-focal-point",
        "role-member",
        "kind-concerns",
        "kind-activities",
        "kind-contacts",
        "level-public",
        "level-members",
        "level-organisers",
        "level-named",
    ];
    for k in keys.iter().map(String::as_str).chain(dynamic) {
        if k.starts_with("error-") && k.len() <= 6 {
            continue;
        }
        assert!(
            catalog().has(Lang::En, k),
            "template key '{k}' missing in English"
        );
        assert!(
            catalog().has(Lang::Ur, k),
            "template key '{k}' missing in Urdu"
        );
    }
    // Domain validation keys too.
    for k in [
        "error-email",
        "error-password-length",
        "error-required",
        "error-too-long",
        "error-date",
        "error-track",
        "error-phone",
        "error-invalid",
        "error-slug",
        "error-no-such-user",
        "error-last-owner",
        "error-threshold",
    ] {
        assert!(catalog().has(Lang::Ur, k), "{k}");
    }
}

/// A closed space's address ends in random letters, so that "this address is
/// taken" is never said of one a newcomer could be probing for; a public space's
/// address is the one asked for.
#[tokio::test]
async fn closed_spaces_get_addresses_nobody_can_guess() {
    let (app, _db, _d) = demo_app().await;
    let mut c = Client::logged_in(&app, "member@demo.convene.example").await;
    let r = c
        .submit(
            "/spaces/new",
            "/spaces/new",
            &[
                ("slug", "quiet-circle"),
                ("name", "Quiet circle"),
                ("visibility", "closed"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers["location"].to_str().unwrap().to_string();
    let suffix = to
        .strip_prefix("/s/quiet-circle-")
        .expect("the address asked for, then more");
    assert!(
        suffix.len() == 8
            && suffix
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit()),
        "{to}"
    );
    assert_eq!(c.get(&to).await.status, StatusCode::OK);
    // Asking again for the same closed address makes another space, not a refusal.
    let r = c
        .submit(
            "/spaces/new",
            "/spaces/new",
            &[
                ("slug", "quiet-circle"),
                ("name", "Quiet circle 2"),
                ("visibility", "closed"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_ne!(r.headers["location"].to_str().unwrap(), to);
    // A public space keeps its address; a taken public one is refused, named.
    let r = c
        .submit(
            "/spaces/new",
            "/spaces/new",
            &[
                ("slug", "open-circle"),
                ("name", "Open circle"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.headers["location"], "/s/open-circle");
    let r = c
        .submit(
            "/spaces/new",
            "/spaces/new",
            &[
                ("slug", "open-circle"),
                ("name", "Again"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("already taken"));
}
