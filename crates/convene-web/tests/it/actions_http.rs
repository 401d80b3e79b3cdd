//! Joint actions over HTTP: "what is stuck" lists the demo's blocked task first and
//! the overdue one after; the owning organisation's member moves the blocked task
//! along and it leaves the list; a blocked status without its reason is refused
//! with the message; the public sees neither the members' action nor the list.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const SPACE: &str = "/s/serran-valley";

#[tokio::test]
async fn stuck_tasks_surface_and_their_owners_move_them() {
    let (app, _db, _d) = demo_app().await;
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    let stuck = member.get(&format!("{SPACE}/actions/stuck")).await;
    assert_eq!(stuck.status, StatusCode::OK);
    let permit = stuck
        .body
        .find("Permit to meet at the river")
        .expect("blocked listed");
    let security = stuck
        .body
        .find("Security plan with both police forces")
        .expect("overdue listed");
    assert!(permit < security, "blocked first");
    assert!(stuck
        .body
        .contains("The district office has not answered since October."));
    assert!(
        !stuck.body.contains("Agree the committee"),
        "done tasks are not stuck"
    );
    // The action's page: the member acts for the Serran Women's Network, which owns
    // the permit task.
    let href = stuck
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/s/serran-valley/actions/") && h.contains("#task-"))
        .unwrap()
        .to_string();
    let (page_path, task) = href.split_once("#task-").unwrap();
    let page = member.get(page_path).await;
    assert_eq!(page.status, StatusCode::OK);
    let action = format!("{page_path}/tasks/{task}");
    let r = member
        .submit(
            page_path,
            &action,
            &[("status", "blocked"), ("reason", " ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Say what blocks the task."));
    let r = member
        .submit(
            page_path,
            &action,
            &[("status", "doing"), ("due_on", "2099-01-31")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let stuck = member.get(&format!("{SPACE}/actions/stuck")).await;
    assert!(!stuck.body.contains("Permit to meet at the river"));
    // A progress note, shown on the action.
    let r = member
        .submit(
            page_path,
            &format!("{page_path}/notes"),
            &[("body", "The office called back."), ("task", task)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(member
        .get(page_path)
        .await
        .body
        .contains("The office called back."));
    // The public: no members' action, no stuck list.
    let mut anon = Client::new(&app);
    assert_eq!(anon.get(page_path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        anon.get(&format!("{SPACE}/actions/stuck")).await.status,
        StatusCode::NOT_FOUND
    );
    let list = anon.get(&format!("{SPACE}/actions")).await;
    assert!(list.body.contains("Market day at the crossing"));
    assert!(!list.body.contains("water committee"));
}
