//! The XLSForm reader on fixture forms (written by `fixtures/xlsform/make_fixtures.py`),
//! on hand-made expressions, and on arbitrary bytes.

use convene_domain::polls::xlsform::{
    parse_expr, read_xlsform, CmpOp, Expr, Operand, QuestionKind, XlsFormError,
};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/xlsform")
            .join(name),
    )
    .unwrap()
}

#[test]
fn reads_a_supported_form_with_translations_and_skip_logic() {
    let form = read_xlsform(&fixture("consultation.xlsx")).unwrap();
    assert_eq!(form.title.as_deref(), Some("Valley consultation"));
    assert_eq!(form.form_id.as_deref(), Some("valley_2026"));
    assert_eq!(form.version.as_deref(), Some("1"));
    assert_eq!(form.default_language.as_deref(), Some("en"));
    assert_eq!(form.languages, ["en", "ur"]);
    let names: Vec<&str> = form.questions.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "intro",
            "age",
            "gender",
            "displaced",
            "needs",
            "distance",
            "message"
        ]
    );
    let q = |n: &str| form.questions.iter().find(|q| q.name == n).unwrap();
    assert_eq!(q("intro").kind, QuestionKind::Note);
    assert_eq!(q("age").kind, QuestionKind::Integer);
    assert_eq!(q("distance").kind, QuestionKind::Decimal);
    assert_eq!(q("message").kind, QuestionKind::Text);
    assert_eq!(q("age").row, 3);
    assert!(q("age").required && q("gender").required && q("displaced").required);
    assert!(!q("needs").required && !q("message").required);
    assert_eq!(q("age").label["ur"], "آپ کی عمر کیا ہے؟");
    assert_eq!(q("age").hint["en"], "In years");
    assert_eq!(q("age").constraint_message["en"], "Between 15 and 119");
    assert_eq!(
        q("age").constraint,
        Some(Expr::And(
            Box::new(Expr::Compare(
                Operand::Current,
                CmpOp::Ge,
                Operand::Number(15.0)
            )),
            Box::new(Expr::Compare(
                Operand::Current,
                CmpOp::Lt,
                Operand::Number(120.0)
            )),
        ))
    );
    let QuestionKind::SelectMultiple(needs) = &q("needs").kind else {
        panic!("needs is not select_multiple");
    };
    assert_eq!(needs.name, "needs");
    let choices: Vec<&str> = needs.choices.iter().map(|c| c.name.as_str()).collect();
    // A numeric choice name is read as "3", not "3.0".
    assert_eq!(choices, ["water", "land", "3"]);
    assert_eq!(needs.choices[0].label["ur"], "پانی");
    assert!(matches!(q("gender").kind, QuestionKind::SelectOne(ref l) if l.choices.len() == 3));
    assert_eq!(
        q("needs").relevant,
        Some(Expr::Compare(
            Operand::Field("displaced".into()),
            CmpOp::Eq,
            Operand::Text("yes".into())
        ))
    );
    assert_eq!(
        q("distance").relevant,
        Some(Expr::And(
            Box::new(Expr::Selected("needs".into(), "water".into())),
            Box::new(Expr::Not(Box::new(Expr::Compare(
                Operand::Field("age".into()),
                CmpOp::Lt,
                Operand::Number(18.0)
            )))),
        ))
    );
    assert!(matches!(q("message").relevant, Some(Expr::Or(..))));
}

#[test]
fn lists_every_unsupported_feature_and_mistake_and_imports_nothing() {
    let Err(XlsFormError::Rejected(problems)) = read_xlsform(&fixture("unsupported.xlsx")) else {
        panic!("the form was accepted");
    };
    let found: Vec<(String, u32, String, bool)> = problems
        .iter()
        .map(|p| (p.sheet.clone(), p.row, p.column.clone(), p.unsupported))
        .collect();
    let want = [
        ("choices", 2, "media::image", true),
        ("survey", 2, "appearance", true),
        ("survey", 2, "type", true),
        ("survey", 4, "calculation", true),
        ("survey", 4, "type", true),
        ("survey", 5, "type", true),
        ("survey", 6, "type", true),
        ("survey", 7, "type", false),
        ("survey", 8, "required", true),
        ("survey", 8, "relevant", true),
        ("survey", 9, "name", false),
    ];
    for (sheet, row, col, unsupported) in want {
        assert!(
            found.contains(&(sheet.into(), row, col.into(), unsupported)),
            "missing {sheet} row {row} column {col:?}: {problems:#?}"
        );
    }
    assert_eq!(found.len(), want.len(), "{problems:#?}");
    let text = XlsFormError::Rejected(problems).to_string();
    assert!(
        text.contains("sheet survey, row 5, column type: not supported: the type \"end group\""),
        "{text}"
    );
    assert!(text.contains("count-selected"), "{text}");
}

#[test]
fn expressions_of_the_supported_subset() {
    assert_eq!(
        parse_expr("${a} = 'x' or ${b} != \"y\" and not(${c} > 2.5)").unwrap(),
        Expr::Or(
            Box::new(Expr::Compare(
                Operand::Field("a".into()),
                CmpOp::Eq,
                Operand::Text("x".into())
            )),
            Box::new(Expr::And(
                Box::new(Expr::Compare(
                    Operand::Field("b".into()),
                    CmpOp::Ne,
                    Operand::Text("y".into())
                )),
                Box::new(Expr::Not(Box::new(Expr::Compare(
                    Operand::Field("c".into()),
                    CmpOp::Gt,
                    Operand::Number(2.5)
                )))),
            )),
        )
    );
    assert_eq!(
        parse_expr("(${a} <= -1)").unwrap(),
        Expr::Compare(Operand::Field("a".into()), CmpOp::Le, Operand::Number(-1.0))
    );
    for bad in [
        "",
        "${a} + 1 > 2",
        "count(${a}) > 1",
        "${a} = 'x",
        "${a",
        "${a} =",
        "selected(${a})",
        "${a} = 'x' xor ${b} = 'y'",
        "((((((((((((((((((((((((((((((((((${a} = 1))))))))))))))))))))))))))))))))))",
    ] {
        assert!(parse_expr(bad).is_err(), "{bad:?} accepted");
    }
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = read_xlsform(&bytes);
    }

    #[test]
    fn never_panics_on_damaged_forms(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20)) {
        let mut bytes = fixture("consultation.xlsx");
        for (i, b) in flips {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
        let _ = read_xlsform(&bytes);
    }

    #[test]
    fn never_panics_on_arbitrary_expressions(s in "[-$a-z{}()'\" .,=!<>0-9]{0,60}") {
        let _ = parse_expr(&s);
    }
}

/// The fixture with bytes of one of its XML parts changed, zipped again so that
/// the damage reaches the XML reader and the form reader (not only the zip checks).
fn damaged(part: usize, flips: &[(prop::sample::Index, u8)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(fixture("consultation.xlsx"))).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let target = part % zin.len();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if i == target && !data.is_empty() {
            for (at, b) in flips {
                let at = at.index(data.len());
                data[at] = *b;
            }
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_damaged_xml(
        part in 0usize..32,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), prop_oneof![any::<u8>(), Just(b'<'), Just(b'"'), Just(b'9')]), 1..8),
    ) {
        let _ = read_xlsform(&damaged(part, &flips));
    }
}

#[test]
fn rezipped_fixture_still_reads() {
    // Re-zipping without damage keeps the form readable.
    assert!(read_xlsform(&damaged(0, &[])).is_ok());
}

#[test]
fn a_definition_round_trips_through_json() {
    let form = read_xlsform(&fixture("consultation.xlsx")).unwrap();
    let json = serde_json::to_string(&form).unwrap();
    let back: convene_domain::polls::xlsform::PollDefinition = serde_json::from_str(&json).unwrap();
    assert_eq!(back, form);
}

fn rejected_with(bytes: &[u8], needle: &str) {
    match read_xlsform(bytes) {
        Err(XlsFormError::Rejected(problems)) => assert!(
            problems.iter().any(|p| p.to_string().contains(needle)),
            "{problems:?}"
        ),
        other => panic!("expected a rejection naming {needle}, got {other:?}"),
    }
}

#[test]
fn a_cell_far_away_is_refused_by_name_without_allocating_the_grid() {
    use convene_domain::testing::{alone, report_peak, run_alone};
    // Two cells, A1 and XFD1048576: a reader that allocates the declared grid asks
    // for 512 GiB and the process aborts; A1 and Z1048576 cost 0.9 GB that way.
    // The memory is measured in a process of its own, where no other test runs.
    if !alone() {
        let peak =
            run_alone("xlsform::a_cell_far_away_is_refused_by_name_without_allocating_the_grid");
        assert!(peak < 200 * 1024 * 1024, "peak memory {peak} bytes");
        return;
    }
    rejected_with(&fixture("far_xfd.xlsx"), "XFD1048576");
    rejected_with(&fixture("far_z.xlsx"), "Z1048576");
    report_peak();
}

#[test]
fn a_workbook_that_grows_past_the_limit_once_uncompressed_is_refused() {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(fixture("consultation.xlsx"))).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    // A part of 80 MB of spaces that compresses to well under 100 KB.
    out.start_file("xl/padding.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    let block = vec![b' '; 1024 * 1024];
    for _ in 0..80 {
        out.write_all(&block).unwrap();
    }
    let bomb = out.finish().unwrap().into_inner();
    assert!(bomb.len() < 200 * 1024, "{}", bomb.len());
    rejected_with(&bomb, "uncompressed");
}
