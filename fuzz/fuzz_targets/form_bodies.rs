//! Form-encoded input (`application/x-www-form-urlencoded` bodies and query strings):
//! arbitrary bytes through axum's `Form` and `Query` extractors into
//! - the query types of the JSON API that sa-web makes public
//!   (`api::admin::FunnelQuery`, `api::audit::{SearchQuery, ExportQuery}`,
//!   `api::staff::SearchQuery`);
//! - the generic shapes real handlers use: `Form<Vec<(String, String)>>` (the staff
//!   knowledge-check and in-person forms, followed here by their public question and
//!   answer rules) and `Query<HashMap<String, String>>` (`/oidc/authorize`, followed by
//!   its PKCE challenge and `acr_values` checks);
//! - the OpenID Connect token request (`/oidc/token`), followed by what the endpoint
//!   does with it before any storage: the client assertion (`unverified_client_id`,
//!   `verify_jwt`, `check_client_assertion`) and the PKCE verifier.
//!
//! The page form structs, the token form, the consent and logout forms and the CSRF
//! field are private to sa-web; the token form and the CSRF field are mirrored below
//! field for field (every page form is `String` fields with `#[serde(default)]`, which
//! the `Vec<(String, String)>` shape covers).
//!
//! Input: the first byte picks the target; the rest is the body or query string.
#![no_main]

use std::collections::HashMap;
use std::future::Future;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use axum::Form;
use axum::body::Body;
use axum::extract::{FromRequest, Query, Request};
use axum::http::Uri;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use libfuzzer_sys::fuzz_target;
use sa_domain::proofing::records::{RecordKind, ReferenceRecord, TaxReturn, parse_line};
use sa_domain::staff::{Answer, Question, answer_is_correct};
use sa_oidc::{
    check_client_assertion, is_valid_challenge, is_valid_verifier, unverified_client_id,
    verify_jwt, verify_pkce_s256,
};
use sa_web::api::{admin, audit, staff};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

/// Mirror of the private `sa_web::oidc::TokenForm` (keep the fields in step).
#[derive(Deserialize)]
#[allow(dead_code)]
struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_assertion_type: Option<String>,
    client_assertion: Option<String>,
    scope: Option<String>,
}

/// Mirror of the private CSRF field the page middleware reads from every POST body.
#[derive(Deserialize)]
struct TokenField {
    #[serde(default)]
    csrf_token: String,
}

/// RFC 7636 appendix B.
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// The bytes as a form body, and (when they make a valid URI) as a query string;
/// both through axum's extractors, compared with serde_urlencoded.
fn form<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let direct = serde_urlencoded::from_bytes::<T>(bytes).is_ok();
    let request = Request::builder()
        .method("POST")
        .uri("/fuzz")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(bytes.to_vec()))
        .expect("a request from bytes");
    let extracted = match block_on(Form::<T>::from_request(request, &())) {
        Ok(Form(value)) => Some(value),
        Err(rejection) => {
            let response = rejection.into_response();
            assert!(response.status().is_client_error());
            None
        }
    };
    assert_eq!(
        extracted.is_some(),
        direct,
        "Form and serde_urlencoded disagree"
    );
    if let Ok(text) = std::str::from_utf8(bytes)
        && let Ok(uri) = format!("/fuzz?{text}").parse::<Uri>()
    {
        match Query::<T>::try_from_uri(&uri) {
            Ok(_) => {}
            Err(rejection) => assert!(rejection.into_response().status().is_client_error()),
        }
    }
    extracted
}

/// The return the questions are asked about (2025; 2024 has no refund and no wages).
fn returns() -> &'static [TaxReturn] {
    static RETURNS: OnceLock<Vec<TaxReturn>> = OnceLock::new();
    RETURNS.get_or_init(|| {
        [
            r#"{"ssn":"900000001","tax_year":2025,"first_name":"Avery","last_name":"Sample","date_of_birth":"1980-04-01","filing_status":"single","address":{"street":"100 Example St","unit":"Apt 2","city":"Testville","state":"VA","zip":"22000-1234"},"agi":71000,"wages":65000,"refund":-120,"dependents":2}"#,
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

/// What the staff knowledge-check form does with its fields (the public rules only).
fn knowledge_check(fields: &[(String, String)]) {
    let fields: HashMap<&str, &str> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let questions: Vec<Question> = fields
        .get("questions")
        .unwrap_or(&"")
        .split(',')
        .filter_map(Question::parse)
        .collect();
    for question in &questions {
        let id = question.id();
        assert_eq!(Question::parse(&id), Some(*question));
        let answer = match (
            fields.get(format!("answer.{id}").as_str()),
            fields.get(format!("answer.{id}.street").as_str()),
            fields.get(format!("answer.{id}.zip").as_str()),
        ) {
            (_, Some(street), Some(zip)) => Answer::Address {
                street: (*street).to_owned(),
                zip: (*zip).to_owned(),
            },
            (Some(text), _, _) => Answer::Text(text.trim().to_owned()),
            _ => continue,
        };
        let _ = answer_is_correct(question, &answer, returns());
        let _ = question.prompt();
    }
}

fn token_request(form: &TokenForm) {
    if let Some(verifier) = &form.code_verifier {
        let valid = is_valid_verifier(verifier);
        let matched = verify_pkce_s256(verifier, CHALLENGE);
        assert!(!matched || valid);
    }
    if let Some(assertion) = &form.client_assertion {
        let client_id = form
            .client_id
            .clone()
            .or_else(|| unverified_client_id(assertion).ok())
            .unwrap_or_default();
        let keys = json!({ "keys": [{
            "kty": "EC", "crv": "P-256",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
        }]});
        if let Ok(verified) = verify_jwt(assertion, &keys) {
            let _ = check_client_assertion(
                &verified.claims,
                &client_id,
                &["https://id.example.gov/oidc/token"],
                1_700_000_000,
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    match selector % 8 {
        0 => {
            let _ = form::<admin::FunnelQuery>(bytes);
        }
        1 => {
            let _ = form::<audit::SearchQuery>(bytes);
        }
        2 => {
            let _ = form::<audit::ExportQuery>(bytes);
        }
        3 => {
            let _ = form::<staff::SearchQuery>(bytes);
        }
        4 => {
            if let Some(fields) = form::<Vec<(String, String)>>(bytes) {
                knowledge_check(&fields);
            }
        }
        5 => {
            if let Some(params) = form::<HashMap<String, String>>(bytes) {
                if let Some(challenge) = params.get("code_challenge") {
                    let _ = is_valid_challenge(challenge);
                }
                if let Some(acr) = params.get("acr_values") {
                    let requested = sa_oidc::assurance::requested(acr);
                    assert!(
                        requested
                            .iter()
                            .all(|a| sa_oidc::assurance::is_supported(a))
                    );
                }
            }
        }
        6 => {
            if let Some(token) = form::<TokenForm>(bytes) {
                token_request(&token);
            }
        }
        _ => {
            let _ = form::<TokenField>(bytes).map(|f| f.csrf_token.len());
        }
    }
});
