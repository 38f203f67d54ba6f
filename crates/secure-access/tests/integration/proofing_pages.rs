//! The identity-proofing pages as a person with a browser (cookies, forms, redirects; no
//! JavaScript): a new account lands on the identity page, a bad SSN is tied to its field
//! and never echoed back, details that match nothing get an alert that names no field,
//! the pages follow the step graph; and with records loaded, a person proofs online end
//! to end, or gets a letter, whose printed code verifies them.

use crate::common::pages::*;
use crate::common::*;
use crate::on_both_databases;

pub(crate) const FIELDS: [(&str, &str); 12] = [
    ("first_name", "Roberta"),
    ("middle_name", ""),
    ("last_name", "Testperson"),
    ("suffix", ""),
    ("date_of_birth", "1980-04-15"),
    ("ssn", "900-12-3456"),
    ("filing_status", "married_filing_jointly"),
    ("street", "123 Example St"),
    ("unit", "Apt 4"),
    ("city", "Springfield"),
    ("state", "VA"),
    ("zip", "22150-1234"),
];

/// The identity form with one field replaced.
pub(crate) fn identity_with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    FIELDS
        .iter()
        .map(|&(name, typed)| (name, if name == field { value } else { typed }))
        .collect()
}

/// Sign up and confirm the email through the pages; returns where confirming led.
pub(crate) async fn sign_up_with_pages(
    server: &TestServer,
    browser: &Browser,
    person: &Person,
) -> String {
    let form = browser.get("/sign-up").await;
    assert_eq!(form.status, 200);
    let mark = server.outbox_mark();
    let created = browser
        .post(
            &form.text,
            "/sign-up",
            &[
                ("username", &person.username),
                ("email", &person.email),
                ("password", &person.password),
            ],
        )
        .await;
    assert_eq!(created.status, 303);
    assert_eq!(created.location.as_deref(), Some("/sign-up/confirm-email"));
    let code = server.code_after(mark, &person.email).await;
    let confirm = browser.get("/sign-up/confirm-email").await;
    let confirmed = browser
        .post(&confirm.text, "/sign-up/confirm-email", &[("code", &code)])
        .await;
    assert_eq!(confirmed.status, 303);
    confirmed.location.expect("confirming redirects")
}

async fn identity_page_checks_input_and_names_no_failed_field(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    let browser = Browser::with_user_agent(&server, "Mozilla/5.0 (Proofing pages test)");
    let person = Person::new("proofing.pages");

    let next = sign_up_with_pages(&server, &browser, &person).await;
    assert_eq!(
        next, "/verify/identity",
        "a new account goes on to proofing"
    );

    let page = browser.get("/verify/identity").await;
    assert_eq!(page.status, 200);
    assert!(
        page.text
            .contains("check what you enter against your most recent tax return.")
    );
    for (field, _) in FIELDS {
        assert!(
            page.text
                .contains(&format!("<label class=\"usa-label\" for=\"{field}\">")),
            "{field} has a label"
        );
        // The date of birth is three fields (month, day, year); its month list carries
        // the field's id, and the single field is still accepted from older forms.
        let name = if field == "date_of_birth" {
            "dob_month"
        } else {
            field
        };
        assert!(
            page.text.contains(&format!("name=\"{name}\"")),
            "{field} is in the form"
        );
    }
    let ssn = tag_with_id(&page.text, "ssn");
    assert!(ssn.contains("autocomplete=\"off\"") && ssn.contains("inputmode=\"numeric\""));
    assert!(
        page.text
            .contains("<option value=\"married_filing_jointly\">Married filing jointly</option>")
    );
    assert!(!page.text.contains("tries left"), "no note before any try");

    // A malformed SSN: 400, the message at the top linked to the field and tied to it;
    // what was typed is kept, except the SSN.
    let bad = browser
        .post(
            &page.text,
            "/verify/identity",
            &identity_with("ssn", "12345"),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.text.contains("There is a problem"));
    assert!(
        bad.text.contains("href=\"#ssn\""),
        "the summary links to the field"
    );
    assert!(bad.text.contains("id=\"ssn-error\""));
    let ssn = tag_with_id(&bad.text, "ssn");
    assert!(ssn.contains("aria-invalid=\"true\""));
    assert!(ssn.contains("aria-describedby=\"ssn-hint ssn-error\""));
    assert!(
        ssn.contains("value=\"\""),
        "the SSN is not written back: {ssn}"
    );
    assert!(!bad.text.contains("12345"));
    assert!(tag_with_id(&bad.text, "first_name").contains("value=\"Roberta\""));
    assert!(tag_with_id(&bad.text, "unit").contains("value=\"Apt 4\""));
    assert!(
        bad.text
            .contains("<option value=\"married_filing_jointly\" selected>")
    );

    // Well-formed details that match no record: 200 and an alert naming no field.
    let unmatched = browser.post(&bad.text, "/verify/identity", &FIELDS).await;
    assert_eq!(unmatched.status, 200);
    assert!(unmatched.text.contains("role=\"alert\""));
    assert!(
        unmatched
            .text
            .contains("match your information with our records")
    );
    assert!(!unmatched.text.contains("There is a problem"));
    for (field, _) in FIELDS {
        assert!(
            !unmatched.text.contains(&format!("href=\"#{field}\"")),
            "no field is named"
        );
    }
    assert!(!unmatched.text.contains("aria-invalid"));
    assert!(!unmatched.text.contains("usa-error-message"));
    assert!(!unmatched.text.contains("900-12-3456") && !unmatched.text.contains("900123456"));
    assert!(tag_with_id(&unmatched.text, "ssn").contains("value=\"\""));
    assert!(tag_with_id(&unmatched.text, "last_name").contains("value=\"Testperson\""));

    // The try counted: the page says how many are left.
    let again = browser.get("/verify/identity").await;
    assert_eq!(again.status, 200);
    assert!(again.text.contains("You have 4 tries left for now."));

    server.finish().await;
}

async fn proofing_pages_follow_the_step_graph(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    let browser = Browser::with_user_agent(&server, "Mozilla/5.0 (Proofing pages test)");

    // Signed out, the pages ask to sign in.
    let signed_out = browser.get("/verify/identity").await;
    assert_eq!(signed_out.location.as_deref(), Some("/sign-in"));

    let person = Person::new("proofing.steps");
    assert_eq!(
        sign_up_with_pages(&server, &browser, &person).await,
        "/verify/identity"
    );
    for later in [
        "/verify/financial-account",
        "/verify/phone",
        "/verify/phone/confirm",
        "/verify/mail/confirm",
        "/verify/help",
    ] {
        let answer = browser.get(later).await;
        assert_eq!(answer.status, 303, "GET {later}");
        assert_eq!(
            answer.location.as_deref(),
            Some("/verify/identity"),
            "GET {later} at the identity step"
        );
    }

    // A step taken out of order by POST is sent back too.
    let page = browser.get("/verify/identity").await;
    let letter = browser.post(&page.text, "/verify/mail", &[]).await;
    assert_eq!(letter.status, 303);
    assert_eq!(letter.location.as_deref(), Some("/verify/identity"));

    // A form without its CSRF token is refused before the journey runs.
    let forged = browser.post_raw("/verify/identity", &FIELDS).await;
    assert_eq!(forged.status, 403);
    let still = browser.get("/verify/identity").await;
    assert!(
        !still.text.contains("tries left"),
        "the forged form used no try"
    );

    server.finish().await;
}

/// The current page at `path`, asserting 200.
async fn page(browser: &Browser, path: &str) -> String {
    let answer = browser.get(path).await;
    assert_eq!(answer.status, 200, "GET {path}: {}", answer.text);
    answer.text
}

/// Post the form on `path` to `path`, expecting a redirect; returns where to.
async fn submit(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> String {
    let form = page(browser, path).await;
    let answer = browser.post(&form, path, fields).await;
    assert_eq!(answer.status, 303, "POST {path}: {}", answer.text);
    answer.location.expect("redirect")
}

async fn passes_online_with_pages_only(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    crate::common::applicant::load_records(&server).await;
    let browser = Browser::with_user_agent(&server, "Mozilla/5.0 (Proofing online)");
    let person = Person::new("pages.online");
    assert_eq!(
        sign_up_with_pages(&server, &browser, &person).await,
        "/verify/identity"
    );
    let next = submit(&browser, "/verify/identity", &identity_with("zip", "22150")).await;
    assert_eq!(next, "/verify/financial-account");
    let next = submit(
        &browser,
        "/verify/financial-account",
        &[("kind", "credit_card"), ("account_number", "5678 9010")],
    )
    .await;
    assert_eq!(next, "/verify/phone");
    let mark = server.outbox_mark();
    let next = submit(&browser, "/verify/phone", &[("phone", "202-555-0143")]).await;
    assert_eq!(next, "/verify/phone/confirm");
    let code = server
        .code_after(mark, crate::common::applicant::OWN_MOBILE)
        .await;
    let next = submit(&browser, "/verify/phone/confirm", &[("code", &code)]).await;
    assert_eq!(next, "/account/security");
    // The new session cookie works: the security page shows the verification.
    let security = page(&browser, "/account/security").await;
    assert!(security.contains("Identity verified online"), "{security}");
    server.finish().await;
}

async fn gets_a_letter_and_activates_with_pages_only(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    crate::common::applicant::load_records(&server).await;
    let browser = Browser::with_user_agent(&server, "Mozilla/5.0 (Proofing by mail)");
    let person = Person::new("pages.mail");
    sign_up_with_pages(&server, &browser, &person).await;
    submit(
        &browser,
        "/verify/identity",
        &identity_with("street", "123 Example Street"),
    )
    .await;
    submit(
        &browser,
        "/verify/financial-account",
        &[
            ("kind", "mortgage"),
            ("account_number", crate::common::applicant::MORTGAGE),
        ],
    )
    .await;
    // The landline is in their name but is not a mobile: they are offered a letter.
    let phone_page = page(&browser, "/verify/phone").await;
    let refused = browser
        .post(
            &phone_page,
            "/verify/phone",
            &[("phone", crate::common::applicant::OWN_LANDLINE)],
        )
        .await;
    assert_eq!(refused.status, 200);
    assert!(refused.text.contains("role=\"alert\""));
    assert!(refused.text.contains("action=\"/verify/mail\""));
    let mailed = browser
        .post(&refused.text, "/verify/mail", &[("from", "phone")])
        .await;
    assert_eq!(mailed.status, 303);
    assert_eq!(
        mailed.location.as_deref(),
        Some("/verify/mail/confirm?sent=1")
    );
    let confirm = page(&browser, "/verify/mail/confirm?sent=1").await;
    assert!(
        confirm.contains("March 23, 2026"),
        "the code's expiry date is shown"
    );

    // The printed batch shows the code; typing it in verifies the person by mail.
    let printed = secure_access::commands::letters::print(
        &server.config,
        std::sync::Arc::new(server.clock.clone()),
    )
    .await
    .expect("print");
    assert_eq!(printed.letters, 1);
    let letter = server.letters(1).await.remove(0);
    let code = letter["code"].as_str().expect("code").to_owned();
    let pdf = std::fs::read(printed.pdf.expect("pdf")).expect("read pdf");
    assert!(pdf.windows(code.len()).any(|w| w == code.as_bytes()));
    let wrong = browser
        .post(
            &confirm,
            "/verify/mail/confirm",
            &[("code", "AAAA-BBBB-CCCC")],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.text.contains("href=\"#code\""));
    let next = submit(&browser, "/verify/mail/confirm", &[("code", &code)]).await;
    assert_eq!(next, "/second-factor/setup");
    server.finish().await;
}

on_both_databases!(
    passes_online_with_pages_only,
    gets_a_letter_and_activates_with_pages_only,
    identity_page_checks_input_and_names_no_failed_field,
    proofing_pages_follow_the_step_graph,
);
