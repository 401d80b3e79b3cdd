//! Validation messages for forms, translated.

use convene_domain::error::Invalid;

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
