//! Invitations over HTTP: the owner makes a link into the closed coalition space
//! (shown once), a newcomer opens it, creates an account by setting a password and
//! is in; the link does not work twice; a revoked link says so; members cannot make
//! links; an owner's role cannot be given by a link.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const CLOSED: &str = "/s/civil-society-coalition";

/// The invitation link on the page, as a path.
fn link_of(html: &str) -> String {
    let start = html.find("/invite/").expect("the link is shown");
    html[start..].split('<').next().unwrap().trim().to_string()
}

#[tokio::test]
async fn a_link_brings_a_newcomer_into_a_closed_space_once() {
    let (app, _db, _d) = demo_app().await;
    let mut owner = Client::logged_in(&app, "owner@demo.convene.example").await;
    let page = format!("{CLOSED}/invitations");
    let r = owner
        .submit_checked(
            &page,
            &page,
            &[
                ("role", "member"),
                ("days", "7"),
                ("label", "Journalists' rep"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let link = link_of(&r.body);
    // Shown once: the list does not carry it again, but lists the invitation open.
    let list = owner.get(&page).await;
    assert!(!list.body.contains(&link));
    assert!(list.body.contains("Journalists&#39; rep") && list.body.contains("open"));

    // The newcomer cannot see the space, opens the link, sets a password.
    let mut newcomer = Client::new(&app);
    assert_eq!(newcomer.get(CLOSED).await.status, StatusCode::NOT_FOUND);
    let offer = newcomer.get(&link).await;
    assert_eq!(offer.status, StatusCode::OK);
    assert!(offer.body.contains("Serran civil-society coalition"));
    // A password too short: refused, named, no account made, the link still open.
    let r = newcomer
        .submit(
            &link,
            &format!("{link}/account"),
            &[
                ("email", "reporter@example.org"),
                ("display_name", "Reporter"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("role=\"alert\""));
    let r = newcomer
        .submit(
            &link,
            &format!("{link}/account"),
            &[
                ("email", "reporter@example.org"),
                ("display_name", "Reporter"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers["location"], CLOSED);
    assert_eq!(newcomer.get(CLOSED).await.status, StatusCode::OK);
    // Once only.
    let mut other = Client::new(&app);
    let again = other.get(&link).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("already been used"));
    let list = owner.get(&page).await;
    assert!(
        list.body.contains("used: <bdi>Reporter</bdi>"),
        "{}",
        list.body
    );
    // The log names the person who joined.
    let audit = owner.get(&format!("{CLOSED}/audit")).await;
    assert!(audit.body.contains("invitation.accept"));
}

#[tokio::test]
async fn revoked_and_unknown_links_say_so_and_roles_are_bounded() {
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let page = "/s/serran-valley/invitations";
    let r = org
        .submit_checked(page, page, &[("role", "focal_point"), ("days", "3")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let link = link_of(&r.body);
    // An organiser may not hand out an organiser's or an owner's role, nor a link
    // for 90 days.
    assert_eq!(
        org.submit(page, page, &[("role", "owner"), ("days", "3")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        org.submit(page, page, &[("role", "organiser"), ("days", "3")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = org
        .submit(page, page, &[("role", "member"), ("days", "90")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("1 to 30 days"));
    // Revoked: the link says so.
    let list = org.get(page).await;
    let revoke = list
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/revoke"))
        .unwrap()
        .to_string();
    assert_eq!(
        org.submit(page, &revoke, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let mut anon = Client::new(&app);
    let r = anon.get(&link).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.body.contains("revoked"));
    let r = anon.get("/invite/not-a-real-token").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("not known"));
    // Members do not make links.
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    assert_eq!(member.get(page).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_invitation_goes_by_e_mail_through_the_outbox_in_the_inviters_language() {
    let (_plain, db, _d) = demo_app().await;
    // Without e-mail configured the form offers no address, and one sent anyway is
    // refused by name, with no invitation made and nothing queued.
    let mut owner = Client::logged_in(&_plain, "owner@demo.convene.example").await;
    let page = format!("{CLOSED}/invitations");
    assert!(!owner.get(&page).await.body.contains("name=\"email\""));
    let r = owner
        .submit(
            &page,
            &page,
            &[
                ("role", "member"),
                ("days", "7"),
                ("email", "guest@example.net"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("This server sends no e-mail"), "{}", r.body);
    assert_eq!(db.mail_counts().await.unwrap().queued, 0);

    let app = convene_web::app(
        db.clone(),
        convene_web::WebConfig {
            public_url: Some("https://convene.example.org".into()),
            mail_enabled: true,
            ..Default::default()
        },
    );
    let mut owner = Client::logged_in(&app, "owner@demo.convene.example").await;
    assert!(owner.get(&page).await.body.contains("name=\"email\""));
    // A bad address is named; nothing is made.
    let r = owner
        .submit(
            &page,
            &page,
            &[
                ("role", "member"),
                ("days", "7"),
                ("email", "guest at example"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("Enter a valid e-mail address."),
        "{}",
        r.body
    );
    assert_eq!(db.mail_counts().await.unwrap().queued, 0);
    // In Urdu: the message is queued in Urdu, with the link.
    owner.get("/lang/ur").await;
    let r = owner
        .submit_checked(
            &page,
            &page,
            &[
                ("role", "member"),
                ("days", "5"),
                ("email", "guest@example.net"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("ای میل سے بھیجا جا رہا ہے"), "{}", r.body);
    let link = link_of(&r.body);
    let m = db.claim_mail().await.unwrap().expect("a message queued");
    assert_eq!(m.to, "guest@example.net");
    assert!(
        m.subject.contains("Serran civil-society coalition"),
        "{}",
        m.subject
    );
    assert!(
        m.body
            .contains(&format!("https://convene.example.org{link}")),
        "{}",
        m.body
    );
    assert!(m.body.contains("5 دن"), "{}", m.body);
    assert!(db.claim_mail().await.unwrap().is_none(), "claimed once");
    // The invitee follows the link from the message.
    let mut guest = Client::new(&app);
    assert_eq!(guest.get(&link).await.status, StatusCode::OK);
}
