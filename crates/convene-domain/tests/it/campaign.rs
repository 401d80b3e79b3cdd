//! The campaign on every engine: milestones, updates at their levels, the embargo
//! (nobody but organisers sees an update before its time), validation, and the
//! Markdown subset (property test: no input yields script, images or unsafe links).

use convene_domain::campaign::{markdown, NewMilestone, NewUpdate};
use convene_domain::model::{Level, Role};
use convene_domain::util::now;
use convene_domain::Error;
use proptest::prelude::*;

use crate::common;

fn update(title: &str, level: Level, publish_at: Option<i64>) -> NewUpdate {
    NewUpdate {
        title: title.into(),
        body: "Some *text*.".into(),
        lang: "en".into(),
        milestone: None,
        publish_at,
        level,
    }
}

#[tokio::test]
async fn the_embargo_and_levels_hold_for_every_reader() {
    for t in common::backends().await {
        let db = &t.db;
        let owner = db
            .create_user("owner@example.org", "Owner", "correct horse battery", false)
            .await
            .unwrap();
        let member = db
            .create_user(
                "member@example.org",
                "Member",
                "correct horse battery",
                false,
            )
            .await
            .unwrap();
        db.create_space("camp", "Campaign", "", true, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "camp").await.unwrap();
        db.set_role(&so, "member@example.org", Some(Role::Member))
            .await
            .unwrap();
        let sm = db.scope(Some(&member), "camp").await.unwrap();
        let anon = db.scope(None, "camp").await.unwrap();

        let m = db
            .add_milestone(
                &so,
                &NewMilestone {
                    title: "Talks open".into(),
                    due_on: "2027-03-01".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        db.set_milestone_reached(&so, m, Some("2027-03-02"))
            .await
            .unwrap();
        assert!(matches!(
            db.set_milestone_reached(&so, m, Some("March")).await,
            Err(Error::Invalid(_))
        ));
        assert_eq!(
            db.milestones(&anon).await.unwrap()[0].reached_on.as_deref(),
            Some("2027-03-02")
        );
        // Members may not write updates or milestones.
        assert!(matches!(
            db.create_update(&sm, &update("x", Level::Public, None))
                .await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            db.add_milestone(
                &sm,
                &NewMilestone {
                    title: "x".into(),
                    ..Default::default()
                }
            )
            .await,
            Err(Error::Forbidden)
        ));

        let public = db
            .create_update(
                &so,
                &NewUpdate {
                    milestone: Some(m),
                    ..update("Public now", Level::Public, None)
                },
            )
            .await
            .unwrap();
        let later = db
            .create_update(
                &so,
                &update("Public later", Level::Public, Some(now() + 3600)),
            )
            .await
            .unwrap();
        let members = db
            .create_update(&so, &update("Members now", Level::Members, None))
            .await
            .unwrap();
        let titles = |v: Vec<convene_domain::campaign::Update>| {
            let mut t: Vec<String> = v.into_iter().map(|u| u.title).collect();
            t.sort();
            t
        };
        assert_eq!(
            titles(db.updates(&anon, 50).await.unwrap()),
            ["Public now"],
            "{}",
            t.name
        );
        assert_eq!(
            titles(db.updates(&sm, 50).await.unwrap()),
            ["Members now", "Public now"]
        );
        assert_eq!(
            titles(db.updates(&so, 50).await.unwrap()),
            ["Members now", "Public later", "Public now"]
        );
        // One update: the same rule.
        assert!(matches!(
            db.update(&anon, later).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(db.update(&sm, later).await, Err(Error::NotFound)));
        assert!(matches!(
            db.update(&anon, members).await,
            Err(Error::NotFound)
        ));
        let seen = db.update(&so, later).await.unwrap();
        assert!(seen.embargoed);
        let p = db.update(&anon, public).await.unwrap();
        assert_eq!(p.milestone, Some((m, "Talks open".to_string())));
        assert_eq!(p.html, "<p>Some <em>text</em>.</p>\n");
        // Once its time has come, the embargoed update is public.
        sqlx::query("UPDATE campaign_updates SET publish_at = $1 WHERE record_id = $2")
            .bind(now() - 1)
            .bind(later)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        assert!(!db.update(&anon, later).await.unwrap().embargoed);

        // Bad input is named field by field; nothing is written.
        let before = db.updates(&so, 50).await.unwrap().len();
        let bad = NewUpdate {
            title: " ".into(),
            body: String::new(),
            lang: "fr".into(),
            milestone: Some(999_999),
            publish_at: None,
            level: Level::Named,
        };
        let Err(Error::Invalid(v)) = db.create_update(&so, &bad).await else {
            panic!("refused")
        };
        let fields: Vec<&str> = v.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["title", "body", "lang", "level", "milestone"]);
        assert_eq!(db.updates(&so, 50).await.unwrap().len(), before);
    }
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("[a](javascript:alert(1))".to_string()),
        Just("[a](JaVaScRiPt:alert(1))".to_string()),
        Just("[a](//evil.example)".to_string()),
        Just("[a]( javascript:x)".to_string()),
        Just("![i](https://evil.example/p.png)".to_string()),
        Just("<a href=\"javascript:x\">y</a>".to_string()),
        Just("<iframe src=x></iframe>".to_string()),
        Just("[ok](https://example.org)".to_string()),
        Just("\n\n".to_string()),
        Just("# ".to_string()),
        Just("`code`".to_string()),
        Just("> ".to_string()),
        "[a-z <>\\[\\]()!*#`\"'=:/\n-]{0,20}",
    ]
}

const ALLOWED: &[&str] = &[
    "p",
    "em",
    "strong",
    "a",
    "h3",
    "h4",
    "h5",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "del",
    "br",
    "hr",
];

proptest! {
    #[test]
    fn no_input_renders_a_tag_outside_the_subset_or_an_unsafe_link(parts in proptest::collection::vec(fragment(), 0..12)) {
        let src = parts.concat();
        let html = markdown::render(&src);
        // Every tag in the output is one of the subset's: raw HTML was escaped.
        for (i, _) in html.match_indices('<') {
            let rest = &html[i + 1..];
            let name: String = rest
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            prop_assert!(ALLOWED.contains(&name.as_str()), "<{} in {}", name, html);
            if name == "a" && !rest.starts_with('/') {
                let href = rest.trim_start_matches("a href=\"").to_lowercase();
                prop_assert!(
                    href.starts_with("https://") || href.starts_with("http://")
                        || href.starts_with("mailto:")
                        || (href.starts_with('/') && !href.starts_with("//")),
                    "{}", html
                );
                prop_assert!(rest.split('>').next().unwrap_or("").ends_with("rel=\"nofollow noopener\""), "{}", html);
            }
        }
    }
}
