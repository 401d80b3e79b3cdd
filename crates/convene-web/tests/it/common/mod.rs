//! The in-process HTTP client the web tests share: cookies, CSRF tokens, log-in,
//! multipart posts, and a fresh demo app: on SQLite, or on PostgreSQL when
//! `CONVENE_TEST_ENGINE=postgres` (with `CONVENE_TEST_POSTGRES_URL`), each test on a
//! database copied from a demo template seeded once per test process.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use convene_domain::crypto::Keyring;
use convene_domain::Db;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct Client {
    pub app: Router,
    pub cookies: Vec<(String, String)>,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Client {
    pub fn new(app: &Router) -> Self {
        Client {
            app: app.clone(),
            cookies: vec![],
        }
    }

    pub async fn send(&mut self, mut req: Request<Body>) -> Resp {
        if !self.cookies.is_empty() {
            let c = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut().insert(header::COOKIE, c.parse().unwrap());
        }
        let res = self.app.clone().oneshot(req).await.unwrap();
        for v in res.headers().get_all(header::SET_COOKIE) {
            let c = cookie::Cookie::parse(v.to_str().unwrap().to_string()).unwrap();
            self.cookies.retain(|(k, _)| k != c.name());
            if !c.value().is_empty() {
                self.cookies
                    .push((c.name().to_string(), c.value().to_string()));
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let body = String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes())
            .into_owned();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(form).unwrap();
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn submit(&mut self, page: &str, action: &str, form: &[(&str, &str)]) -> Resp {
        let p = self.get(page).await;
        let token = csrf_of(&p.body);
        let mut f: Vec<(&str, &str)> = form.to_vec();
        f.push(("_csrf", &token));
        self.post(action, &f).await
    }

    pub async fn login(&mut self, email: &str) {
        let r = self
            .submit(
                "/login",
                "/login",
                &[
                    ("email", email),
                    ("password", convene_domain::demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login of {email}");
    }

    /// Like `submit`, first checking that the form's page answered 200.
    pub async fn submit_checked(
        &mut self,
        page: &str,
        action: &str,
        form: &[(&str, &str)],
    ) -> Resp {
        let p = self.get(page).await;
        assert_eq!(p.status, StatusCode::OK, "{page}");
        let token = csrf_of(&p.body);
        let mut f: Vec<(&str, &str)> = form.to_vec();
        f.push(("_csrf", &token));
        self.post(action, &f).await
    }

    /// A new client, logged in as the demo account `email`.
    pub async fn logged_in(app: &Router, email: &str) -> Client {
        let mut c = Client::new(app);
        c.login(email).await;
        c
    }

    /// Posts a multipart form (files as (field, filename, content)).
    pub async fn multipart(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str)],
    ) -> Resp {
        let p = self.get(page).await;
        let token = csrf_of(&p.body);
        let boundary = "XconveneBoundary7";
        let mut body = String::new();
        for (k, v) in fields {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
            ));
        }
        for (k, name, content) in files {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        self.send(
            Request::post(format!("{action}?_csrf={token}"))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
}

impl Client {
    /// Posts a multipart form with binary files (field, filename, type, bytes) and
    /// the CSRF token of `page`.
    pub async fn multipart_bytes(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Resp {
        let p = self.get(page).await;
        let token = csrf_of(&p.body);
        let boundary = "XconveneBoundary7";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (k, name, mime, content) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: {mime}\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(format!(
                "{action}{}_csrf={token}",
                if action.contains('?') { '&' } else { '?' }
            ))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap(),
        )
        .await
    }

    /// GETs `path` and returns its status, headers and raw bytes.
    pub async fn get_bytes(&mut self, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut req = Request::get(path).body(Body::empty()).unwrap();
        if !self.cookies.is_empty() {
            let c = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut().insert(header::COOKIE, c.parse().unwrap());
        }
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, headers, body)
    }
}

pub fn csrf_of(html: &str) -> String {
    let i = html
        .find("name=\"_csrf\" value=\"")
        .expect("page has a CSRF field")
        + 20;
    html[i..].split('"').next().unwrap().to_string()
}

pub fn field_of(html: &str, name: &str) -> Option<String> {
    let pat = format!("name=\"{name}\" value=\"");
    let i = html.find(&pat)? + pat.len();
    Some(html[i..].split('"').next()?.to_string())
}

/// A test's scratch directory, and its PostgreSQL database when it has one (dropped
/// with this value).
pub struct Scratch {
    dir: tempfile::TempDir,
    _pg: Option<convene_domain::testing::PgDatabase>,
}

impl Scratch {
    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }
}

/// The engine the web tests run on.
pub fn on_postgres() -> bool {
    std::env::var("CONVENE_TEST_ENGINE").is_ok_and(|v| v == "postgres")
}

const DEMO_KEY: [u8; 32] = [3u8; 32];

static DEMO_TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

fn seed_demo(
    db: &Db,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = convene_domain::Result<()>> + Send + '_>> {
    Box::pin(async move { convene_domain::demo::seed(db).await.map(|_| ()) })
}

pub async fn demo_app() -> (Router, Db, Scratch) {
    let dir = tempfile::tempdir().unwrap();
    let (db, pg) = if on_postgres() {
        let admin = std::env::var("CONVENE_TEST_POSTGRES_URL")
            .expect("CONVENE_TEST_ENGINE=postgres needs CONVENE_TEST_POSTGRES_URL");
        let template = DEMO_TEMPLATE
            .get_or_init(|| async {
                convene_domain::testing::template(
                    &admin,
                    "demo",
                    Keyring::from_master(&DEMO_KEY).unwrap(),
                    Some(seed_demo),
                )
                .await
                .expect("make the demo template")
            })
            .await;
        let pg = convene_domain::testing::PgDatabase::copy_of(&admin, template)
            .await
            .expect("copy the demo template");
        let db = Db::connect(&pg.url, Keyring::from_master(&DEMO_KEY).unwrap())
            .await
            .unwrap();
        (db, Some(pg))
    } else {
        let db = Db::connect(
            &convene_domain::storage::sqlite_url(dir.path()),
            Keyring::from_master(&DEMO_KEY).unwrap(),
        )
        .await
        .unwrap();
        db.migrate().await.unwrap();
        convene_domain::demo::seed(&db).await.unwrap();
        (db, None)
    };
    (
        convene_web::app(db.clone(), convene_web::WebConfig::default()),
        db,
        Scratch { dir, _pg: pg },
    )
}

/// A fresh SQLite database with an owner and their public space `valley`, and the
/// owner's scope there (the gateway tests' starting point).
pub async fn valley_with_owner(
    dir: &std::path::Path,
    key_byte: u8,
) -> (Db, convene_domain::spaces::Scope) {
    let db = Db::connect(
        &convene_domain::storage::sqlite_url(dir),
        Keyring::from_master(&[key_byte; 32]).unwrap(),
    )
    .await
    .unwrap();
    db.migrate().await.unwrap();
    let owner = db
        .create_user(
            "owner@example.org",
            "Owner",
            "a long enough password",
            false,
        )
        .await
        .unwrap();
    db.create_space("valley", "Valley", "", true, &owner)
        .await
        .unwrap();
    let scope = db.scope(Some(&owner), "valley").await.unwrap();
    (db, scope)
}
