//! Validation messages for forms, translated.

use convene_domain::error::{Invalid, RowError};

use crate::context::Ctx;

#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    items: Vec<(String, String)>,
}

impl FormErrors {
    pub fn from_invalid(ctx: &Ctx, invalid: &[Invalid]) -> Self {
        FormErrors {
            items: invalid
                .iter()
                .map(|i| (i.field.to_string(), ctx.t(i.key)))
                .collect(),
        }
    }

    pub fn one(ctx: &Ctx, field: &str, key: &str) -> Self {
        FormErrors {
            items: vec![(field.to_string(), ctx.t(key))],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn messages(&self) -> Vec<String> {
        self.items.iter().map(|(_, m)| m.clone()).collect()
    }

    /// The message for a field, if it failed.
    pub fn field(&self, name: &str) -> String {
        self.items
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.items.iter().any(|(f, _)| f == name)
    }
}

/// One problem of a refused file, in the viewer's language: "Gazetteer, line 3,
/// column C: This P-code appears earlier…" (the sheet's name is the message
/// `places-sheet-<sheet>`; a boundary file counts features, not lines).
pub fn row_problem(ctx: &Ctx, e: &RowError) -> String {
    let mut at = ctx.t(&format!("places-sheet-{}", e.sheet));
    if e.line > 0 {
        let key = if e.sheet == "boundaries" {
            "places-problem-feature"
        } else if ["persons", "organizations", "posts", "memberships", "areas"].contains(&e.sheet) {
            // A Popolo list: its items are counted, not its lines.
            "places-problem-item"
        } else {
            "places-problem-line"
        };
        at.push_str(", ");
        at.push_str(&ctx.t1(key, "line", e.line));
    }
    if !e.column.is_empty() {
        at.push_str(", ");
        at.push_str(&ctx.t1("places-problem-column", "column", &e.column));
    }
    format!("{at}: {}", ctx.t(e.key))
}
