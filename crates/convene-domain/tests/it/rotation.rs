//! Rotation of the sealing key on every engine: interrupted and resumed while two
//! servers (two handles with their own keyrings, sharing one key file) keep writing
//! sealed values; nothing written is lost or left under the old key.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use convene_domain::audit::Verdict;
use convene_domain::crypto::Keyring;
use convene_domain::model::{Detail, Kind, Level, NewRecord};
use convene_domain::rotation::{RotateOptions, SEALED_COLUMNS};
use convene_domain::Db;

use crate::common;

#[tokio::test]
async fn every_binary_column_of_the_schema_is_known_to_the_rotation() {
    for t in common::backends().await {
        let sql = match t.name {
            "sqlite" => {
                "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND upper(p.type) = 'BLOB'"
            }
            _ => {
                "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND data_type = 'bytea'"
            }
        };
        let mut found: Vec<(String, String)> = sqlx::query(sql)
            .fetch_all(t.db.pool_for_tests())
            .await
            .unwrap()
            .iter()
            .map(|r| {
                (
                    sqlx::Row::get::<String, _>(r, "t"),
                    sqlx::Row::get::<String, _>(r, "c"),
                )
            })
            .filter(|(t, _)| !t.starts_with("_sqlx"))
            .collect();
        found.sort();
        let mut known: Vec<(String, String)> = SEALED_COLUMNS
            .iter()
            .map(|c| (c.table.to_string(), c.column.to_string()))
            .collect();
        known.sort();
        assert_eq!(found, known, "{}", t.name);
    }
}

async fn handle(url: &str, key_file: &std::path::Path) -> Db {
    Db::connect(url, Keyring::load(key_file).unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_rotation_resumes_while_two_servers_write() {
    for t in common::backends().await {
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("convene.key");
        // The test databases are sealed under this master key.
        Keyring::write_new(&key_file, &[42u8; 32]).unwrap();
        let servers = [
            handle(&t.url, &key_file).await,
            handle(&t.url, &key_file).await,
        ];
        let db = &servers[0];
        db.mark_key().await.unwrap();
        let owner = db
            .create_user("owner@example.org", "Owner", "correct horse battery", false)
            .await
            .unwrap();
        db.create_space("rot", "Rotation", "", true, &owner)
            .await
            .unwrap();
        let contact = |name: String| NewRecord {
            kind: Kind::Contact,
            level: Level::Members,
            title: name.clone(),
            body: String::new(),
            detail: Detail::Contact {
                name,
                email: Some("someone@example.org".into()),
                phone: Some("+255700000001".into()),
            },
            named: vec![],
        };
        // Written before the rotation, under key 1.
        let written: Arc<Mutex<HashMap<i64, String>>> = Arc::default();
        let scope = db.scope(Some(&owner), "rot").await.unwrap();
        for i in 0..120 {
            let name = format!("before {i}");
            let id = db
                .create_record(&scope, contact(name.clone()))
                .await
                .unwrap();
            written.lock().unwrap().insert(id, name);
        }
        assert_eq!(
            db.sealed_values_by_key()
                .await
                .unwrap()
                .keys()
                .copied()
                .collect::<Vec<_>>(),
            vec![1],
            "{}",
            t.name
        );

        // Two servers keep writing sealed values throughout.
        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for (w, server) in servers.iter().enumerate() {
            let (db, written, stop) = (server.clone(), written.clone(), stop.clone());
            let scope = db.scope(Some(&owner), "rot").await.unwrap();
            writers.push(tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let name = format!("server {w} contact {i}");
                    let id = db
                        .create_record(&scope, contact(name.clone()))
                        .await
                        .unwrap();
                    written.lock().unwrap().insert(id, name);
                    i += 1;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }));
        }

        // The rotation command is interrupted after three batches.
        let opts = RotateOptions {
            batch: 25,
            grace: Duration::from_millis(1500),
            stop_after: Some(3),
            ..RotateOptions::default()
        };
        let first = handle(&t.url, &key_file).await;
        let r = first.rotate_sealing_key(&key_file, &opts).await.unwrap();
        assert_eq!((r.target_key, r.resumed, r.finished), (2, false, false));
        // Three batches of at most 25 (the key check's single value is one of them).
        assert!((26..=75).contains(&r.resealed), "{}: {r:?}", t.name);
        first.close().await;
        let mixed = db.sealed_values_by_key().await.unwrap();
        assert!(mixed[&1] > 0 && mixed[&2] > 0, "{mixed:?}");
        // Both servers read values under either key meanwhile.
        for server in &servers {
            let scope = server.scope(Some(&owner), "rot").await.unwrap();
            let some: Vec<(i64, String)> = written
                .lock()
                .unwrap()
                .iter()
                .take(40)
                .map(|(k, v)| (*k, v.clone()))
                .collect();
            for (id, name) in some {
                let rec = server.get_record(&scope, Kind::Contact, id).await.unwrap();
                assert!(matches!(rec.detail, Detail::Contact { name: ref n, .. } if *n == name));
            }
        }

        // Run again (a new process): it resumes the same rotation, not a new one.
        let again = handle(&t.url, &key_file).await;
        let opts = RotateOptions {
            stop_after: None,
            ..opts
        };
        let r = again.rotate_sealing_key(&key_file, &opts).await.unwrap();
        assert_eq!(
            (r.target_key, r.resumed, r.finished),
            (2, true, true),
            "{}",
            t.name
        );
        // The servers seal under the new key now: what they write after the
        // rotation ended is under key 2 too.
        tokio::time::sleep(Duration::from_millis(200)).await;
        stop.store(true, Ordering::Relaxed);
        for w in writers {
            w.await.unwrap();
        }
        let counts = db.sealed_values_by_key().await.unwrap();
        assert_eq!(
            counts.keys().copied().collect::<Vec<_>>(),
            vec![2],
            "{counts:?}"
        );
        let rotation = again.rotation().await.unwrap().unwrap();
        assert!(rotation.finished_at.is_some());
        assert!(rotation.resealed >= 120 * 3, "{rotation:?}");

        // Every value written, before, during or after, reads back through a fresh
        // handle with the key file, and the key check and the audit chain hold.
        let fresh = handle(&t.url, &key_file).await;
        assert!(matches!(
            fresh.key_check().await.unwrap(),
            convene_domain::storage::KeyCheck::Opens
        ));
        let scope = fresh.scope(Some(&owner), "rot").await.unwrap();
        let all: BTreeMap<i64, String> = written
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        assert!(all.len() > 150, "the servers wrote: {}", all.len());
        for (id, name) in &all {
            let rec = fresh.get_record(&scope, Kind::Contact, *id).await.unwrap();
            assert!(
                matches!(rec.detail, Detail::Contact { name: ref n, ref phone, .. } if n == name && phone.as_deref() == Some("+255700000001")),
                "{id}"
            );
        }
        assert!(matches!(
            fresh.audit_verify().await.unwrap(),
            Verdict::Intact { .. }
        ));

        // A key file without the new key cannot read the data; retiring key 1 is
        // impossible (derived from the master key), and nothing is left under it.
        let retired = fresh.retire_sealing_keys(&key_file).await.unwrap();
        assert!(retired.is_empty());
        let old = dir.path().join("old.key");
        Keyring::write_new(&old, &[42u8; 32]).unwrap();
        let stale = handle(&t.url, &old).await;
        assert!(stale
            .get_record(&scope, Kind::Contact, *all.keys().next().unwrap())
            .await
            .is_err());

        // A second rotation moves everything to key 3; key 2 can then be retired.
        let r = fresh
            .rotate_sealing_key(
                &key_file,
                &RotateOptions {
                    grace: Duration::ZERO,
                    ..RotateOptions::default()
                },
            )
            .await
            .unwrap();
        assert_eq!((r.target_key, r.resumed, r.finished), (3, false, true));
        assert_eq!(fresh.retire_sealing_keys(&key_file).await.unwrap(), vec![2]);
        let text = std::fs::read_to_string(&key_file).unwrap();
        assert!(
            text.contains("seal-key 3 ") && !text.contains("seal-key 2 "),
            "{text}"
        );
        let reread = handle(&t.url, &key_file).await;
        let rec = reread
            .get_record(&scope, Kind::Contact, *all.keys().next().unwrap())
            .await
            .unwrap();
        assert!(matches!(rec.detail, Detail::Contact { .. }));
        for s in servers {
            s.close().await;
        }
    }
}
