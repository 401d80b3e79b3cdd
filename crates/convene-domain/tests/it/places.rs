//! The gazetteer on every available engine: an HXL import with Urdu names, a
//! re-import that updates by code and removes nothing, a file with problems that
//! changes nothing, boundaries matched by code, the CSV download that imports
//! again, organisers only, audited.

use crate::common;

use convene_domain::demo::places::{boundaries_file, gazetteer_file};
use convene_domain::model::Role;
use convene_domain::places::{boundaries, gazetteer_csv, gazetteer_csv as reader};
use convene_domain::Error;

#[tokio::test]
async fn import_update_refuse_boundaries_and_download() {
    for t in common::backends().await {
        let db = &t.db;
        let pw = "a long enough password";
        let owner = db.create_user("o@x.org", "Owner", pw, false).await.unwrap();
        let member = db
            .create_user("m@x.org", "Member", pw, false)
            .await
            .unwrap();
        db.create_space("valley", "Valley", "", true, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "valley").await.unwrap();
        db.set_role(&so, "m@x.org", Some(Role::Member))
            .await
            .unwrap();
        let sm = db.scope(Some(&member), "valley").await.unwrap();

        let g = gazetteer_csv::read(gazetteer_file().as_bytes()).unwrap();
        assert_eq!(g.places.len(), 28, "{}", t.name);
        // Members may not import.
        assert!(matches!(
            db.import_gazetteer(&sm, &g).await,
            Err(Error::Forbidden)
        ));
        let s = db.import_gazetteer(&so, &g).await.unwrap();
        assert_eq!((s.added, s.updated), (28, 0));
        let regions = db.places_under(&sm, None).await.unwrap();
        assert_eq!(regions.len(), 4);
        let upper = db.place(&sm, "VL01").await.unwrap();
        assert_eq!(upper.name, "Upper Serran");
        assert_eq!(upper.name_in("ur"), "بالائی سیران");
        let districts = db.places_under(&sm, Some(upper.id)).await.unwrap();
        assert_eq!(districts.len(), 6);
        assert!(districts.iter().all(|d| d.level == 2));
        let hill = db.place(&sm, "VL0102").await.unwrap();
        let chain = db.place_ancestors(&sm, &hill).await.unwrap();
        assert_eq!(
            chain.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(),
            ["VL01"]
        );
        // Search by a name in any language, or by code.
        let found = db.search_places(&sm, "بیل", 10).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "VL0102");
        assert_eq!(db.search_places(&sm, "ks02", 10).await.unwrap().len(), 7);

        // A re-import with a renamed district and a new one updates and adds.
        let again = "#adm1+code,#adm1+name,#adm2+code,#adm2+name\n\
                     VL01,Upper Serran,VL0102,Bell Hill North\n\
                     VL01,Upper Serran,VL0107,New Town\n";
        let g2 = gazetteer_csv::read(again.as_bytes()).unwrap();
        let s = db.import_gazetteer(&so, &g2).await.unwrap();
        assert_eq!((s.added, s.updated), (1, 2));
        assert_eq!(
            db.place(&sm, "VL0102").await.unwrap().name,
            "Bell Hill North"
        );
        assert_eq!(db.all_places(&sm).await.unwrap().len(), 29);

        // A file with a problem is refused by the reader: nothing reaches the store.
        let bad = "#adm1+code,#adm1+name,#adm2+code,#adm2+name\nVL01,Upper,X1,A\nVL02,Lower,X1,A\n";
        let errs = gazetteer_csv::read(bad.as_bytes()).unwrap_err();
        assert_eq!((errs[0].line, errs[0].column.as_str()), (3, "C"));
        assert_eq!(db.all_places(&sm).await.unwrap().len(), 29);

        // Boundaries by code; the region's page can be drawn.
        let known = db.place_codes(&so).await.unwrap();
        let b = boundaries::read(boundaries_file().as_bytes(), &known, None).unwrap();
        assert_eq!((b.shapes.len(), b.unmatched), (28, 0));
        assert!(matches!(
            db.set_boundaries(&sm, &b).await,
            Err(Error::Forbidden)
        ));
        assert_eq!(db.set_boundaries(&so, &b).await.unwrap(), 28);
        let ids: Vec<i64> = districts.iter().map(|d| d.id).collect();
        let shapes = db.place_shapes(&sm, &ids).await.unwrap();
        assert_eq!(shapes.len(), 6);
        assert!(db.place(&sm, "VL01").await.unwrap().has_boundary);
        assert!(!db.place(&sm, "VL0107").await.unwrap().has_boundary);

        // The download imports again to the same gazetteer.
        let all = db.all_places(&sm).await.unwrap();
        let csv = convene_domain::places::gazetteer_hxl(&all);
        let back = reader::read(csv.as_bytes()).unwrap();
        assert_eq!(back.places.len(), 29);
        let s = db.import_gazetteer(&so, &back).await.unwrap();
        assert_eq!((s.added, s.updated), (0, 29));
        let after = db.all_places(&sm).await.unwrap();
        let strip = |v: &[convene_domain::places::Place]| {
            v.iter()
                .map(|p| (p.code.clone(), p.name.clone(), p.names.clone(), p.level))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&after), strip(&all));

        // Audited.
        let audit = db.audit_for_space(so.space().id, 100).await.unwrap();
        assert_eq!(
            audit.iter().filter(|e| e.action == "places.import").count(),
            3
        );
        assert!(audit.iter().any(|e| e.action == "places.boundaries"));
    }
}
