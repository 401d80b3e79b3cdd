//! Joint actions on every available engine: a coalition's coordinator plans one,
//! tasks are owned by organisations whose members move them along (and nobody
//! else), a blocked task needs its reason, notes count as news, and the "what is
//! stuck" view lists blocked, overdue and quiet tasks in that order.

use crate::common;

use convene_domain::actions::{NewAction, Stuck, TaskStatus};
use convene_domain::model::{Level, Role, User};
use convene_domain::organisations::NewOrganisation;
use convene_domain::{Db, Error};

async fn person(db: &Db, owner: &User, name: &str) -> User {
    let u = db
        .create_user(
            &format!("{name}@example.org"),
            name,
            "a long enough password",
            false,
        )
        .await
        .unwrap();
    let so = db.scope(Some(owner), "valley").await.unwrap();
    db.set_role(&so, &u.email, Some(Role::Member))
        .await
        .unwrap();
    u
}

#[tokio::test]
async fn tasks_move_with_their_owners_and_stuck_ones_surface() {
    for t in common::backends().await {
        let db = &t.db;
        let owner = db
            .create_user("o@example.org", "Owner", "a long enough password", false)
            .await
            .unwrap();
        db.create_space("valley", "Valley", "", true, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "valley").await.unwrap();
        let coordinator = person(db, &owner, "coord").await;
        let doer = person(db, &owner, "doer").await;
        let other = person(db, &owner, "other").await;
        let women = db
            .create_organisation(
                &so,
                &NewOrganisation {
                    name: "Women's Network".into(),
                    description: String::new(),
                    side: "A".into(),
                    sector: "Women".into(),
                    track: Some(6),
                    contact: String::new(),
                    level: Level::Public,
                },
            )
            .await
            .unwrap();
        db.add_org_member(&so, women, &doer.email).await.unwrap();
        let coalition = db
            .create_coalition(&so, "Valley coalition", "", Level::Public)
            .await
            .unwrap();
        db.add_coalition_coordinator(&so, coalition, &coordinator.email)
            .await
            .unwrap();
        let new = NewAction {
            title: "Joint market day".into(),
            plan: "Both banks, one market".into(),
            level: Level::Members,
            concern: None,
            coalition: Some(coalition),
        };
        // A member who coordinates nothing may not start one; the coordinator may.
        let s_other = db.scope(Some(&other), "valley").await.unwrap();
        assert!(matches!(
            db.create_action(&s_other, &new).await,
            Err(Error::Forbidden)
        ));
        let s_coord = db.scope(Some(&coordinator), "valley").await.unwrap();
        let action = db.create_action(&s_coord, &new).await.unwrap();
        let late = db
            .add_task(
                &s_coord,
                action,
                "Permits from both councils",
                Some(women),
                Some("2020-01-10"),
            )
            .await
            .unwrap();
        let stalls = db
            .add_task(&s_coord, action, "Stalls", Some(women), None)
            .await
            .unwrap();
        let posters = db
            .add_task(&s_coord, action, "Posters", None, Some("2099-01-01"))
            .await
            .unwrap();
        assert!(matches!(
            db.add_task(&s_coord, action, "Bad date", None, Some("next week"))
                .await,
            Err(Error::Invalid(_))
        ));
        // The owner organisation's member moves its task; another member may not.
        let s_doer = db.scope(Some(&doer), "valley").await.unwrap();
        db.set_task_status(&s_doer, stalls, TaskStatus::Doing, "", None)
            .await
            .unwrap();
        assert!(matches!(
            db.set_task_status(&s_other, stalls, TaskStatus::Done, "", None)
                .await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            db.set_task_status(&s_doer, posters, TaskStatus::Done, "", None)
                .await,
            Err(Error::Forbidden)
        ));
        // Blocked needs a reason.
        assert!(matches!(
            db.set_task_status(&s_doer, stalls, TaskStatus::Blocked, " ", None)
                .await,
            Err(Error::Invalid(_))
        ));
        db.set_task_status(&s_doer, stalls, TaskStatus::Blocked, "No timber", None)
            .await
            .unwrap();
        db.add_action_note(&s_other, action, Some(late), "Council A signed")
            .await
            .unwrap();
        let a = db.action(&s_other, action).await.unwrap();
        assert_eq!(a.tasks.len(), 3);
        assert_eq!(
            a.notes[0].task.as_deref(),
            Some("Permits from both councils")
        );
        assert_eq!(
            a.coalition.as_ref().map(|c| c.1.as_str()),
            Some("Valley coalition")
        );
        // What is stuck: the blocked task first, then the overdue one; not the posters.
        let stuck = db.stuck_tasks(&so).await.unwrap();
        let got: Vec<(i64, Stuck)> = stuck.iter().map(|s| (s.task.id, s.why)).collect();
        assert_eq!(got.len(), 2, "{got:?} on {}", t.name);
        assert_eq!(got[0], (stalls, Stuck::Blocked));
        assert_eq!(got[1].0, late);
        assert!(matches!(got[1].1, Stuck::Overdue(d) if d > 365));
        assert_eq!(stuck[0].task.blocked_reason, "No timber");
        // The public sees neither the members' action nor its tasks.
        let anon = db.scope(None, "valley").await.unwrap();
        assert!(matches!(
            db.action(&anon, action).await,
            Err(Error::NotFound)
        ));
        assert!(db.stuck_tasks(&anon).await.unwrap().is_empty());
        // The log names each change.
        let log = db.space_audit(&so, 100).await.unwrap();
        assert!(log
            .iter()
            .any(|e| e.action == "action.change" && e.detail.contains("status=blocked")));
    }
}
