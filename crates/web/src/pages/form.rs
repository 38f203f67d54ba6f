//! Form errors for the pages: listed in a summary at the top (each linking to its
//! field) and shown beside the field they belong to.

use sa_domain::DomainError;

use crate::error::ApiError;

pub struct FormError {
    pub field: Option<String>,
    pub message: String,
}

#[derive(Default)]
pub struct FormErrors {
    pub items: Vec<FormError>,
}

impl FormErrors {
    pub fn none() -> Self {
        Self::default()
    }

    /// The status to answer with and the error to show.
    pub fn from_domain(error: DomainError) -> (axum::http::StatusCode, Self) {
        let api = ApiError::from(error);
        (
            api.status,
            Self {
                items: vec![FormError {
                    field: api.field,
                    message: api.message,
                }],
            },
        )
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The message for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|e| e.field.as_deref() == Some(field))
            .map(|e| e.message.as_str())
    }

    /// Whether `field` has an error (for CSS classes and `aria-invalid`).
    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }
}

/// Errors a form shows itself; anything else becomes a page or redirect.
pub fn is_form_error(error: &DomainError) -> bool {
    !matches!(
        error,
        DomainError::Unauthenticated
            | DomainError::WrongStep { .. }
            | DomainError::Unavailable { .. }
    )
}

/// One `<option>` of a select.
pub struct SelectOption {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

/// Options labelled as given (names that are the same in every language).
pub fn options(all: &[(&'static str, &'static str)], chosen: &str) -> Vec<SelectOption> {
    all.iter()
        .map(|&(value, label)| SelectOption {
            value,
            label: label.to_owned(),
            selected: value == chosen,
        })
        .collect()
}

/// Options whose labels are catalogue ids, in the request's language.
pub fn translated_options(all: &[(&'static str, &'static str)], chosen: &str) -> Vec<SelectOption> {
    let lang = crate::locale::current();
    all.iter()
        .map(|&(value, id)| SelectOption {
            value,
            label: sa_i18n::text(lang, id),
            selected: value == chosen,
        })
        .collect()
}
