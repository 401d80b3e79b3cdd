//! What every CSV file Convene writes shares: the one guard against spreadsheet
//! formulas in cells.

/// A cell safe to open in a spreadsheet: text that a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// leading `'`; numbers with a sign (`-1`, `+0.5`), which Convene's own imports read
/// back, stay as they are.
pub fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.trim().parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formulas_are_neutralised_and_signed_numbers_kept() {
        for f in [
            "=1+1",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(csv_cell(f), format!("'{f}"), "{f:?}");
        }
        for n in ["-1", "+1", "-0.25", "1", "", "plain text", "#hxl+tag"] {
            assert_eq!(csv_cell(n), n, "{n:?}");
        }
    }
}
