//! `convene opinion import`: a Polis export folder becomes a conversation; a
//! malformed file is named with its line and nothing is imported.

use std::process::Command;

use convene_domain::crypto::Keyring;
use convene_domain::Db;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_convene"));
    c.env_remove("CONVENE_DATABASE_URL")
        .env_remove("CONVENE_DATA_DIR")
        .env_remove("CONVENE_CONFIG")
        .env_remove("CONVENE_KEY_FILE")
        .env("CONVENE_LOG", "warn");
    c
}

async fn open(dir: &std::path::Path) -> Db {
    let keys = Keyring::load_or_create(&dir.join("convene.key")).unwrap();
    let db = Db::connect(&convene_domain::storage::sqlite_url(dir), keys)
        .await
        .unwrap();
    db.migrate().await.unwrap();
    db
}

#[tokio::test]
async fn import_a_polis_folder() {
    let data = tempfile::tempdir().unwrap();
    let db = open(data.path()).await;
    let owner = db
        .create_user("o@x.org", "Owner", "a long enough password", false)
        .await
        .unwrap();
    db.create_user("m@x.org", "Member", "a long enough password", false)
        .await
        .unwrap();
    db.create_space("sp", "Space", "", false, &owner)
        .await
        .unwrap();
    db.close().await;

    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("comments.csv"),
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1000,x,0,1,1,0,1,Open the crossing\n2000,x,1,2,0,1,-1,Off topic\n",
    )
    .unwrap();
    std::fs::write(
        folder.path().join("votes.csv"),
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,0,2,yes\n",
    )
    .unwrap();
    let run = |who: &str| {
        bin()
            .args(["opinion", "import"])
            .arg(folder.path())
            .args([
                "--space",
                "sp",
                "--as",
                who,
                "--topic",
                "From Polis",
                "--data-dir",
            ])
            .arg(data.path())
            .output()
            .unwrap()
    };
    let out = run("o@x.org");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("votes.csv, line 3") && err.contains("nothing was imported"),
        "{err}"
    );

    std::fs::write(
        folder.path().join("votes.csv"),
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,0,2,-1\n3,x,1,2,1\n",
    )
    .unwrap();
    let out = run("m@x.org");
    assert!(!out.status.success(), "only organisers import");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an organiser"));
    let out = run("o@x.org");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 statements, 3 votes"));

    let db = open(data.path()).await;
    let owner = db.user_by_email("o@x.org").await.unwrap().unwrap();
    let s = db.scope(Some(&owner), "sp").await.unwrap();
    let convs = db.conversations(&s).await.unwrap();
    assert_eq!(convs.len(), 1);
    // The vote on the moderated-out statement does not count.
    assert_eq!(db.vote_counts(&convs[0]).await.unwrap(), (2, 2));
    let log = db.audit_for_space(s.space().id, 1).await.unwrap();
    assert_eq!(log[0].action, "opinion.import");
}
