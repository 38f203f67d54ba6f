//! The JSON API's request bodies: arbitrary bytes through the `ApiJson` (and
//! `OptionalJson`) extractor of sa-web into each request type of `crates/web/src/api/`,
//! then through the pure checks the handler runs before any storage (the same ones the
//! page twins use): username and password rules, codes, SSN and the rest of the
//! identity claim, account kinds and numbers, staff answers and documents, maintenance
//! times. Every rejection is rendered as the HTTP error response.
//!
//! Checked on every input, besides "no panic":
//! - the extractor accepts exactly what `serde_json::from_slice` accepts;
//! - a rejection is a 4xx whose message never repeats a string value of the body.
//!
//! Input: the first byte picks the request type (low 5 bits) and the content type
//! (high bits); the rest is the body.
#![no_main]

use std::future::Future;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use libfuzzer_sys::fuzz_target;
use sa_domain::codes::{normalise_activation_code, normalise_backup_code, normalise_numeric};
use sa_domain::journeys::{IdentityInput, normalise_username, parse_account_kind};
use sa_domain::password::{check_new_password, normalise};
use sa_domain::proofing::records::{
    RecordKind, ReferenceRecord, TaxReturn, normalise_account_number, normalise_ssn, parse_line,
};
use sa_domain::staff::{Question, VisitKind, answer_is_correct, check_documents};
use sa_web::api::{accounts, admin_dashboard, factors, password, proofing, sessions, staff};
use sa_web::error::ApiError;
use sa_web::extract::{ApiJson, OptionalJson};
use serde::de::DeserializeOwned;
use serde_json::Value;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 03 - 02);

/// Polls a future that never waits (an in-memory body) to completion.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

fn request(body: &[u8], content_type: Option<&str>) -> Request {
    let mut builder = Request::builder().method("POST").uri("/api/v1/fuzz");
    if let Some(content_type) = content_type {
        builder = builder.header(CONTENT_TYPE, content_type);
    }
    builder
        .body(Body::from(body.to_vec()))
        .expect("a request from bytes")
}

/// The same JSON with every string value changed (ASCII letters and digits rotated,
/// lengths kept) and every object key left alone.
fn rotate_strings(value: &Value) -> Value {
    let rotate = |c: char| match c {
        'z' => 'a',
        'Z' => 'A',
        '9' => '0',
        c if c.is_ascii_alphanumeric() => char::from(c as u8 + 1),
        c => c,
    };
    match value {
        Value::String(s) => Value::String(s.chars().map(rotate).collect()),
        Value::Array(items) => Value::Array(items.iter().map(rotate_strings).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), rotate_strings(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn string_values(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| string_values(v, out)),
        Value::Object(members) => members.values().for_each(|v| string_values(v, out)),
        _ => {}
    }
}

/// A 4xx, and no submitted string value repeated in the message: when the body is
/// JSON, the message for the same body with its strings changed must not change the
/// way those strings did.
fn check_rejection<T: DeserializeOwned>(error: ApiError, body: &[u8], content_type: Option<&str>) {
    assert!(error.status.is_client_error(), "{}", error.status);
    if error.status == StatusCode::BAD_REQUEST
        && let Ok(value) = serde_json::from_slice::<Value>(body)
    {
        let rotated = rotate_strings(&value);
        let rotated_body = serde_json::to_vec(&rotated).unwrap_or_default();
        if let Err(other) = block_on(ApiJson::<T>::from_request(
            request(&rotated_body, content_type),
            &(),
        )) {
            let (mut originals, mut changed) = (Vec::new(), Vec::new());
            string_values(&value, &mut originals);
            string_values(&rotated, &mut changed);
            let same_template = error
                .message
                .chars()
                .take(24)
                .eq(other.message.chars().take(24));
            for (original, changed) in originals.iter().zip(&changed) {
                let echoed = original.chars().count() >= 4
                    && original != changed
                    && error.message.contains(original.as_str())
                    && error.message.replace(original.as_str(), changed) == other.message;
                assert!(
                    !echoed,
                    "the error message repeats a submitted value: {}",
                    error.message
                );
                // Part of a value: 8 characters of it in the message, gone once the value
                // changes while the error stays the same kind for the same field.
                let (a, b): (Vec<char>, Vec<char>) =
                    (original.chars().collect(), changed.chars().collect());
                for (wa, wb) in a.windows(8).zip(b.windows(8)) {
                    let (wa, wb): (String, String) = (wa.iter().collect(), wb.iter().collect());
                    let partly = wa != wb
                        && error.field == other.field
                        && same_template
                        && error.message.contains(&wa)
                        && !other.message.contains(&wa);
                    assert!(
                        !partly,
                        "the error message repeats part of a submitted value: {}",
                        error.message
                    );
                }
            }
        }
    }
    let response = error.into_response();
    assert!(response.status().is_client_error());
}

/// The body through `ApiJson<T>`, checked against plain serde_json.
fn api_json<T: DeserializeOwned>(body: &[u8], content_type: Option<&str>) -> Option<T> {
    let is_json = content_type.is_some_and(|c| {
        c.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    });
    let direct = serde_json::from_slice::<T>(body).is_ok();
    match block_on(ApiJson::<T>::from_request(request(body, content_type), &())) {
        Ok(ApiJson(value)) => {
            assert!(
                is_json && direct,
                "ApiJson accepted what serde_json refuses"
            );
            Some(value)
        }
        Err(error) => {
            if !is_json {
                assert_eq!(error.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
            } else {
                assert!(!direct, "ApiJson refused what serde_json accepts");
            }
            check_rejection::<T>(error, body, content_type);
            None
        }
    }
}

/// The body through `OptionalJson<T>` (an empty body is the default).
fn optional_json<T: DeserializeOwned + Default>(body: &[u8], content_type: Option<&str>) {
    match block_on(OptionalJson::<T>::from_request(
        request(body, content_type),
        &(),
    )) {
        Ok(OptionalJson(_)) => {}
        Err(error) => check_rejection::<T>(error, body, content_type),
    }
}

/// A domain rejection, rendered as the API would.
fn render<T>(result: Result<T, sa_domain::DomainError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            let response = ApiError::from(error).into_response();
            assert!(response.status().is_client_error() || response.status().is_server_error());
            None
        }
    }
}

fn codes(code: &str) {
    if let Some(digits) = normalise_numeric(code) {
        assert_eq!(digits.len(), 6);
    }
    if let Some(canonical) = normalise_backup_code(code) {
        assert_eq!(normalise_backup_code(&canonical), Some(canonical.clone()));
    }
    let _ = normalise_activation_code(code);
}

/// The two returns the help desk's questions are drawn from (the older one has no
/// refund and no wages: amounts of zero are common).
fn returns() -> &'static [TaxReturn] {
    static RETURNS: OnceLock<Vec<TaxReturn>> = OnceLock::new();
    RETURNS.get_or_init(|| {
        [
            r#"{"ssn":"900000001","tax_year":2025,"first_name":"Avery","last_name":"Sample","date_of_birth":"1980-04-01","filing_status":"married_filing_jointly","address":{"street":"100 Example St","unit":"Apt 2","city":"Testville","state":"VA","zip":"22000-1234"},"agi":71000,"wages":65000,"refund":-120,"dependents":2}"#,
            r#"{"ssn":"900000001","tax_year":2024,"first_name":"Avery","last_name":"Sample","date_of_birth":"1980-04-01","filing_status":"single","address":{"street":"9 Old Rd","city":"Testville","state":"VA","zip":"22000"},"agi":12000,"wages":0,"refund":0,"dependents":0}"#,
        ]
        .iter()
        .filter_map(|line| match parse_line(RecordKind::TaxReturns, line) {
            Ok(ReferenceRecord::TaxReturn(r)) => Some(r),
            _ => None,
        })
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let content_type = match selector >> 5 {
        0..=4 => Some("application/json"),
        5 => Some("Application/JSON; charset=utf-8"),
        6 => Some("text/plain"),
        _ => None,
    };
    match selector & 0x1f {
        0 => {
            if let Some(b) = api_json::<accounts::SignUpRequest>(body, content_type) {
                let username = normalise_username(&b.username);
                let _ = render(check_new_password(&b.password, &username, &b.email));
            }
        }
        1 => {
            if let Some(b) = api_json::<accounts::CodeRequest>(body, content_type) {
                codes(&b.code);
            }
        }
        2 => {
            if let Some(b) = api_json::<admin_dashboard::ScheduleRequest>(body, content_type) {
                let _ = render(sa_web::maintenance::parse_utc("starts_at", &b.starts_at));
                let _ = render(sa_web::maintenance::parse_utc("ends_at", &b.ends_at));
            }
        }
        3 => optional_json::<factors::TotpRequest>(body, content_type),
        4 => {
            if let Some(b) = api_json::<factors::CodeRequest>(body, content_type) {
                codes(&b.code);
            }
        }
        5 => {
            let _ = api_json::<factors::PhoneRequest>(body, content_type);
        }
        6 => {
            if let Some(b) = api_json::<password::ChangePasswordRequest>(body, content_type) {
                let _ = b.current_password.as_deref().map(normalise);
                let _ = render(check_new_password(
                    &b.new_password,
                    "avery",
                    "avery@example.gov",
                ));
            }
        }
        7 => {
            if let Some(b) = api_json::<proofing::IdentityRequest>(body, content_type) {
                // What `POST /api/v1/proofing/identity` does before any lookup.
                let input = IdentityInput {
                    first_name: b.first_name,
                    middle_name: b.middle_name,
                    last_name: b.last_name,
                    suffix: b.suffix,
                    date_of_birth: b.date_of_birth,
                    ssn: b.ssn,
                    filing_status: b.filing_status,
                    street: b.address.street,
                    unit: b.address.unit,
                    city: b.address.city,
                    state: b.address.state,
                    zip: b.address.zip,
                };
                let _ = render(input.into_claim(TODAY));
            }
        }
        8 => {
            if let Some(b) = api_json::<proofing::FinancialAccountRequest>(body, content_type) {
                let _ = render(parse_account_kind(&b.kind));
                let _ = normalise_account_number(&b.account_number);
            }
        }
        9 => {
            let _ = api_json::<proofing::PhoneRequest>(body, content_type);
        }
        10 => {
            if let Some(b) = api_json::<sessions::SignInRequest>(body, content_type) {
                let _ = normalise_username(&b.username);
                let _ = normalise(&b.password);
            }
        }
        11 => optional_json::<sessions::SmsRequest>(body, content_type),
        12 => {
            if let Some(b) = api_json::<sessions::SecondFactorRequest>(body, content_type) {
                codes(&b.code);
            }
        }
        13 => {
            if let Some(b) = api_json::<staff::StartCheckRequest>(body, content_type) {
                // The staff journey reads a typed SSN as `normalise_ssn(ssn.trim())`.
                if let Some(ssn) = b.ssn {
                    let _ = normalise_ssn(ssn.trim());
                }
            }
        }
        14 => {
            if let Some(b) = api_json::<staff::AnswersRequest>(body, content_type) {
                for (id, answer) in &b.answers {
                    if let Some(question) = Question::parse(id) {
                        let _ = answer_is_correct(&question, answer, returns());
                    }
                }
            }
        }
        15 => {
            if let Some(b) = api_json::<staff::InPersonRequest>(body, content_type) {
                if let Some(ssn) = &b.ssn {
                    let _ = normalise_ssn(ssn.trim());
                }
                match staff::documents(b.documents) {
                    Ok(documents) => {
                        if let Some(kind) = VisitKind::parse(&b.kind) {
                            let _ = check_documents(kind, &documents, TODAY);
                        }
                    }
                    Err(error) => {
                        assert!(error.into_response().status().is_client_error());
                    }
                }
            }
        }
        16 => {
            let _ = api_json::<staff::CompleteRequest>(body, content_type);
        }
        _ => {
            // Any type, plain serde_json: the cheapest path, for corpus variety.
            let _ = serde_json::from_slice::<proofing::IdentityRequest>(body);
            let _ = serde_json::from_slice::<staff::InPersonRequest>(body);
        }
    }
});
