#![no_main]
//! What a respondent sends, against the consultation form of the XLSForm tests.

use std::sync::OnceLock;

use convene_domain::polls::PollDefinition;
use libfuzzer_sys::fuzz_target;

fn definition() -> &'static PollDefinition {
    static DEF: OnceLock<PollDefinition> = OnceLock::new();
    DEF.get_or_init(|| {
        let bytes =
            include_bytes!("../../crates/convene-domain/tests/fixtures/xlsform/consultation.xlsx");
        match convene_domain::polls::xlsform::read_xlsform(bytes) {
            Ok(d) => d,
            Err(e) => panic!("the consultation form no longer reads: {e:?}"),
        }
    })
}

fuzz_target!(|data: &[u8]| convene_domain::fuzz::answers(definition(), data));
