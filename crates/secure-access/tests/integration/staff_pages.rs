//! The staff console and the password page as people with browsers (cookies, forms,
//! redirects; no JavaScript), on SQLite and PostgreSQL. Staff sign in with a password
//! and an authenticator app; callers and visitors use their own browsers:
//! - the help desk finds a caller, reads the reason code, runs the phone check, and
//!   reads the temporary password; the caller signs in with it, chooses a password and
//!   enters the letter's code;
//! - a failed check sends the caller in person; the clerk records two photo IDs; the
//!   help desk completes with a temporary password; the caller finishes the same way;
//! - a new user verified in person finishes with their own password and the letter;
//! - roles, one's own account, signed-out browsers, forged forms and the daily limit.

use serde_json::{Value, json};

use crate::common::applicant::*;
use crate::common::pages::*;
use crate::common::*;
use crate::on_both_databases;
use crate::staff_console::{answer, failed_online, history, staff_server};

/// The password callers choose after a temporary one.
const NEW_PASSWORD: &str = "copper lantern meadow violin";

fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Staff, callers, and the phone check's form
// ---------------------------------------------------------------------------------------

/// A staff member with an authenticator app and `roles`; returns the app's secret.
async fn staff_account(server: &TestServer, name: &str, roles: &[&str]) -> String {
    crate::common::staff::staff_member(server, &api_client(), name, roles)
        .await
        .secret
}

/// Sign in at `/sign-in` with a password; the browser and where it led.
async fn signs_in(server: &TestServer, username: &str, password: &str) -> (Browser, Page) {
    let browser = Browser::with_user_agent(server, "Mozilla/5.0 (Staff pages test)");
    let form = browser.page("/sign-in").await;
    let answer = browser
        .post(
            &form,
            "/sign-in",
            &[("username", username), ("password", password)],
        )
        .await;
    (browser, answer)
}

/// A staff member signed in through the pages with password and app code.
async fn staff_signs_in(server: &TestServer, name: &str, secret: &str) -> Browser {
    let (browser, signed) = signs_in(server, name, &Person::new(name).password).await;
    assert_eq!(signed.location.as_deref(), Some("/sign-in/second-factor"));
    let factor = browser.page("/sign-in/second-factor").await;
    let code = server.totp_now(secret);
    let done = browser
        .post(
            &factor,
            "/sign-in/second-factor",
            &[("method", "totp"), ("code", &code)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    assert_eq!(done.location.as_deref(), Some("/account/security"));
    browser
}

/// A staff member with `roles`, signed in through the pages.
async fn staff(server: &TestServer, name: &str, roles: &[&str]) -> Browser {
    let secret = staff_account(server, name, roles).await;
    staff_signs_in(server, name, &secret).await
}

/// The question ids on a phone-check page.
fn question_ids(html: &str) -> Vec<String> {
    between(html, "name=\"questions\" value=\"", "\"")
        .split(',')
        .map(str::to_owned)
        .collect()
}

/// Where the phone-check page posts its answers.
fn answers_action(html: &str) -> String {
    format!(
        "/staff/knowledge-checks/{}",
        between(html, "action=\"/staff/knowledge-checks/", "\"")
    )
}

/// The form's hidden fields and the caller's answers (right ones from the records).
fn answer_fields(html: &str, right: bool) -> Vec<(String, String)> {
    let ids = question_ids(html);
    let mut fields = vec![
        ("questions".to_owned(), ids.join(",")),
        (
            "account_id".to_owned(),
            between(html, "name=\"account_id\" value=\"", "\"").to_owned(),
        ),
    ];
    for id in &ids {
        let name = format!("answer.{id}");
        let answer = if right {
            answer(id)
        } else if id.starts_with("address") {
            json!({"street": "1 Nowhere Lane", "zip": "99999"})
        } else if id.starts_with("filing_status") {
            json!("head_of_household")
        } else {
            json!("0")
        };
        match answer {
            Value::Object(address) => {
                for part in ["street", "zip"] {
                    let value = address[part].as_str().unwrap().to_owned();
                    fields.push((format!("{name}.{part}"), value));
                }
            }
            Value::String(text) => fields.push((name, text)),
            other => fields.push((name, other.to_string())),
        }
    }
    fields
}

/// The temporary password on a result page.
fn temporary_password(html: &str) -> String {
    between(html, "id=\"temporary-password\">", "<").to_owned()
}

/// The person finishes in their own browser: with a temporary password they choose a
/// new one first; then the letter's code; then they add a way to sign in.
async fn caller_finishes(server: &TestServer, person: &Person, temporary: Option<&str>) {
    let password = temporary.unwrap_or(&person.password);
    let (browser, signed) = signs_in(server, &person.username, password).await;
    assert_eq!(signed.status, 303, "{}", signed.text);
    if temporary.is_some() {
        assert_eq!(signed.location.as_deref(), Some("/account/password"));
        // The letter's page waits until the password is chosen.
        let early = browser.get("/verify/mail/confirm").await;
        assert_eq!(early.location.as_deref(), Some("/account/password"));
        let form = browser.page("/account/password").await;
        assert!(
            !form.contains("name=\"current_password\""),
            "no current password"
        );
        let new = tag_with_id(&form, "new_password");
        assert!(new.contains("autocomplete=\"new-password\"") && new.contains("type=\"password\""));
        let weak = browser
            .post(
                &form,
                "/account/password",
                &[("new_password", "password12345")],
            )
            .await;
        assert_eq!(weak.status, 400);
        assert!(weak.text.contains("href=\"#new_password\""));
        assert!(tag_with_id(&weak.text, "new_password").contains("aria-invalid=\"true\""));
        assert!(!weak.text.contains("password12345"), "never written back");
        let changed = browser
            .post(
                &weak.text,
                "/account/password",
                &[("new_password", NEW_PASSWORD)],
            )
            .await;
        assert_eq!(changed.status, 303, "{}", changed.text);
        assert_eq!(changed.location.as_deref(), Some("/verify/mail/confirm"));
        // The temporary password worked once.
        let (_, again) = signs_in(server, &person.username, password).await;
        assert_eq!(again.status, 401);
    } else {
        assert_eq!(signed.location.as_deref(), Some("/verify/mail/confirm"));
    }
    let letters = server.letters(1).await;
    let letter = letters.last().unwrap();
    assert!(letter["to"].as_str().unwrap().contains("123 EXAMPLE ST"));
    let code = letter["code"].as_str().unwrap();
    let confirm = browser.page("/verify/mail/confirm").await;
    let verified = browser
        .post(&confirm, "/verify/mail/confirm", &[("code", code)])
        .await;
    assert_eq!(verified.status, 303, "{}", verified.text);
    assert_eq!(verified.location.as_deref(), Some("/second-factor/setup"));
}

// ---------------------------------------------------------------------------------------
// The journeys
// ---------------------------------------------------------------------------------------

async fn help_desk_verifies_a_caller_by_phone_with_pages(backend: Backend) {
    let server = staff_server(backend).await;
    let desk = staff(&server, "desk.pages", &["help_desk"]).await;
    let caller = Person::new("caller.pages");
    let account_id = failed_online(&server, &api_client(), &caller).await;

    // Found by username, and by last name and date of birth as typed online.
    let search = desk.page("/staff").await;
    assert!(search.contains("<label class=\"usa-label\" for=\"username\">"));
    assert!(!search.contains("Results"), "no search ran yet");
    let link =
        format!("<a class=\"usa-link\" href=\"/staff/accounts/{account_id}\">caller.pages</a>");
    // Searches are posted: a name and birth date never go in a URL.
    assert!(search.contains("<form class=\"usa-form\" method=\"post\" action=\"/staff\""));
    let found = desk
        .post(
            &search,
            "/staff",
            &[
                ("username", "caller.pages"),
                ("last_name", ""),
                ("date_of_birth", ""),
            ],
        )
        .await;
    assert_eq!(found.status, 200);
    assert!(found.text.contains(&link), "{}", found.text);
    assert!(found.text.contains("Proofing step: identity"));
    let by_name = desk
        .post(
            &search,
            "/staff",
            &[
                ("username", ""),
                ("last_name", "testperson"),
                ("date_of_birth", "1980-05-15"),
            ],
        )
        .await;
    assert!(by_name.text.contains(&link));
    let bad_date = desk
        .post(
            &search,
            "/staff",
            &[("last_name", "testperson"), ("date_of_birth", "15.05.1980")],
        )
        .await;
    assert_eq!(bad_date.status, 400);
    assert!(bad_date.text.contains("href=\"#date_of_birth\""));
    assert!(
        tag_with_id(&bad_date.text, "date_of_birth")
            .contains("aria-describedby=\"date_of_birth-hint date_of_birth-error\"")
    );

    // The account page shows why online proofing failed, and the actions.
    let account_path = format!("/staff/accounts/{account_id}");
    let account = desk.page(&account_path).await;
    assert!(
        account.contains("<code>date_of_birth_mismatch</code>"),
        "{account}"
    );
    assert!(account.contains(&format!("action=\"{account_path}/knowledge-checks\"")));
    assert!(account.contains(&format!("href=\"{account_path}/in-person\"")));
    assert!(account.contains("No in-person record is waiting"));
    assert!(tag_with_id(&account, "ssn").contains("autocomplete=\"off\""));

    // No SSN on file: the assistor must ask for it.
    let check_path = format!("{account_path}/knowledge-checks");
    let refused = desk.post(&account, &check_path, &[("ssn", "")]).await;
    assert_eq!(refused.status, 400);
    assert!(refused.text.contains("href=\"#ssn\""));
    assert!(tag_with_id(&refused.text, "ssn").contains("aria-invalid=\"true\""));
    let questions = desk.post(&refused.text, &check_path, &[("ssn", SSN)]).await;
    assert_eq!(questions.status, 200, "{}", questions.text);
    assert!(!questions.text.contains(SSN) && !questions.text.contains("900123456"));
    let ids = question_ids(&questions.text);
    assert_eq!(ids.len(), 4);
    for id in &ids {
        assert!(
            questions.text.contains(&format!("name=\"answer.{id}")),
            "{id}"
        );
    }
    if ids.iter().any(|id| id.starts_with("filing_status")) {
        assert!(
            questions
                .text
                .contains("<option value=\"head_of_household\">Head of household</option>")
        );
    }

    // An answer left out: 400, tied to its field, the others kept.
    let action = answers_action(&questions.text);
    let all = answer_fields(&questions.text, true);
    let mut partial = all.clone();
    let (left_out, _) = partial.remove(2);
    let (kept_name, kept_value) = partial[2].clone();
    let missing = desk.post(&questions.text, &action, &refs(&partial)).await;
    assert_eq!(missing.status, 400);
    assert!(missing.text.contains(&format!("href=\"#{left_out}\"")));
    let field = tag_with_id(&missing.text, &left_out);
    assert!(field.contains("aria-invalid=\"true\""), "{field}");
    assert!(field.contains(&format!("{left_out}-error")));
    if !kept_name.starts_with("answer.filing_status") {
        let kept = tag_with_id(&missing.text, &kept_name);
        assert!(kept.contains(&format!("value=\"{kept_value}\"")), "{kept}");
    }

    // The right answers: the temporary password, shown this once, and the letter.
    let passed = desk.post(&missing.text, &action, &refs(&all)).await;
    assert_eq!(passed.status, 200, "{}", passed.text);
    assert!(passed.text.contains("Caller verified"));
    assert!(passed.text.contains("it works once within 24 hours"));
    assert!(passed.text.contains("the code expires on March 23, 2026"));
    let temporary = temporary_password(&passed.text);
    assert_eq!(temporary.len(), 14, "{temporary}");
    let after = desk.page(&account_path).await;
    assert!(!after.contains(&temporary), "shown only once");
    assert!(after.contains("Proofing step: mail code; staff: help desk"));
    // A check is answered once.
    let again = desk.post(&passed.text, &action, &refs(&all)).await;
    assert_eq!(again.status, 409);

    server.letters(1).await;
    caller_finishes(&server, &caller, Some(&temporary.to_lowercase())).await;
    let history = history(&server, &caller.username).await;
    for kind in [
        "help_desk_check_started",
        "help_desk_verified",
        "temporary_password_used",
        "password_changed",
        "identity_verified",
    ] {
        assert!(history.contains(kind), "{kind} in {history}");
    }
    server.finish().await;
}

/// The in-person form's fields for two photo IDs (`extra` replaces or adds).
fn two_photo_ids<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("kind", "existing_user"),
        ("office", "TAC Springfield"),
        ("ssn", SSN),
        ("document_1_type", "drivers_license"),
        ("document_1_issuer", "Virginia DMV"),
        ("document_1_number_last4", "4321"),
        ("document_1_expires_on", "2030-01-01"),
        ("document_2_type", "passport"),
        ("document_2_issuer", "U.S. Department of State"),
        ("document_2_number_last4", "X987"),
        ("document_2_expires_on", "2031-06-30"),
        ("document_3_type", ""),
        ("document_3_issuer", ""),
        ("document_3_number_last4", ""),
        ("document_3_expires_on", ""),
        ("person_matches", "yes"),
    ];
    for &(name, value) in extra {
        fields.retain(|&(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

async fn help_desk_fail_then_in_person_then_completed_with_pages(backend: Backend) {
    let server = staff_server(backend).await;
    let desk = staff(&server, "desk.fail", &["help_desk"]).await;
    let clerk = staff(&server, "clerk.pages", &["assistance_center"]).await;
    let caller = Person::new("caller.referred");
    let account_id = failed_online(&server, &api_client(), &caller).await;
    let account_path = format!("/staff/accounts/{account_id}");

    // Wrong answers: referred in person, no temporary password.
    let account = desk.page(&account_path).await;
    let questions = desk
        .post(
            &account,
            &format!("{account_path}/knowledge-checks"),
            &[("ssn", SSN)],
        )
        .await;
    assert_eq!(questions.status, 200);
    let wrong = answer_fields(&questions.text, false);
    let failed = desk
        .post(
            &questions.text,
            &answers_action(&questions.text),
            &refs(&wrong),
        )
        .await;
    assert_eq!(failed.status, 200, "{}", failed.text);
    assert!(failed.text.contains("Caller not verified"));
    assert!(
        failed
            .text
            .contains("Refer the caller to a Taxpayer Assistance Center")
    );
    assert!(failed.text.contains("two government-issued photo IDs"));
    assert!(!failed.text.contains("temporary-password"));
    let (_, referred) = signs_in(&server, &caller.username, &caller.password).await;
    assert_eq!(referred.location.as_deref(), Some("/verify/help"));

    // At the assistance center: one photo ID is not enough; what was typed is kept,
    // except the SSN.
    let in_person = format!("{account_path}/in-person");
    let form = clerk.page(&in_person).await;
    assert!(form.contains("caller.referred"));
    assert!(form.contains("<option value=\"passport\">Passport</option>"));
    assert!(tag_with_id(&form, "ssn").contains("autocomplete=\"off\""));
    assert!(tag_with_id(&form, "person_matches").contains("required"));
    let one_id = two_photo_ids(&[
        ("document_2_type", ""),
        ("document_2_issuer", ""),
        ("document_2_number_last4", ""),
        ("document_2_expires_on", ""),
    ]);
    let refused = clerk.post(&form, &in_person, &one_id).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert!(refused.text.contains("href=\"#documents\""));
    assert!(refused.text.contains("id=\"documents-error\""));
    assert!(tag_with_id(&refused.text, "documents").contains("documents-error"));
    assert!(!refused.text.contains(SSN) && !refused.text.contains("900123456"));
    assert!(tag_with_id(&refused.text, "ssn").contains("value=\"\""));
    assert!(tag_with_id(&refused.text, "document_1_issuer").contains("value=\"Virginia DMV\""));
    assert!(tag_with_id(&refused.text, "kind-existing_user").contains("checked"));
    assert!(
        refused
            .text
            .contains("<option value=\"drivers_license\" selected>")
    );
    let saved = clerk
        .post(&refused.text, &in_person, &two_photo_ids(&[]))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let back = format!("{account_path}?recorded=1");
    assert_eq!(saved.location.as_deref(), Some(back.as_str()));
    let recorded = clerk.page(&back).await;
    assert!(recorded.contains("saved and sealed"));
    assert!(recorded.contains("TAC Springfield"));
    assert!(recorded.contains("Waiting for the help desk"));

    // The help desk completes with a temporary password, once.
    let account = desk.page(&account_path).await;
    let complete = format!("{account_path}/complete-in-person");
    assert!(account.contains(&format!("action=\"{complete}\"")));
    assert!(account.contains("Also issue a temporary password"));
    let completed = desk
        .post(&account, &complete, &[("temporary_password", "yes")])
        .await;
    assert_eq!(completed.status, 200, "{}", completed.text);
    assert!(completed.text.contains("Registration completed"));
    assert!(completed.text.contains("the code expires on"));
    let temporary = temporary_password(&completed.text);
    let again = desk.post(&completed.text, &complete, &[]).await;
    assert_eq!(again.status, 409);

    caller_finishes(&server, &caller, Some(&temporary)).await;
    let history = history(&server, &caller.username).await;
    for kind in [
        "help_desk_not_verified",
        "in_person_documents_checked",
        "in_person_completed",
        "identity_verified",
    ] {
        assert!(history.contains(kind), "{kind} in {history}");
    }
    server.finish().await;
}

async fn new_user_verified_in_person_with_pages(backend: Backend) {
    let server = staff_server(backend).await;
    let desk = staff(&server, "desk.walkin", &["help_desk"]).await;
    let clerk = staff(&server, "clerk.walkin", &["assistance_center"]).await;
    let person = Person::new("walk.in.pages");
    let account_id = failed_online(&server, &api_client(), &person).await;
    let account_path = format!("/staff/accounts/{account_id}");
    let in_person = format!("{account_path}/in-person");

    let new_user = |extra: &[(&'static str, &'static str)]| {
        let mut fields = vec![
            ("kind", "new_user"),
            ("office", "TAC Springfield"),
            ("ssn", ""),
            ("document_1_type", "state_id"),
            ("document_1_issuer", "Virginia DMV"),
            ("document_1_number_last4", "5555"),
            ("document_1_expires_on", "2029-12-31"),
            ("document_2_type", "social_security_card"),
            ("document_2_issuer", "SSA"),
            ("document_2_number_last4", "3456"),
            ("document_2_expires_on", ""),
        ];
        fields.extend_from_slice(extra);
        fields
    };
    // A date that cannot be read, and no confirmation that the person matches.
    let form = clerk.page(&in_person).await;
    let unreadable = clerk
        .post(
            &form,
            &in_person,
            &new_user(&[
                ("document_3_type", "passport"),
                ("document_3_expires_on", "next year"),
            ]),
        )
        .await;
    assert_eq!(unreadable.status, 400);
    assert!(unreadable.text.contains("href=\"#document_3_expires_on\""));
    assert!(
        tag_with_id(&unreadable.text, "document_3_expires_on").contains(
            "aria-describedby=\"document_3_expires_on-hint document_3_expires_on-error\""
        )
    );
    let unconfirmed = clerk
        .post(&unreadable.text, &in_person, &new_user(&[]))
        .await;
    assert_eq!(unconfirmed.status, 400);
    assert!(unconfirmed.text.contains("href=\"#person_matches\""));
    assert!(tag_with_id(&unconfirmed.text, "person_matches").contains("aria-invalid=\"true\""));
    let no_ssn = clerk
        .post(
            &unconfirmed.text,
            &in_person,
            &new_user(&[("person_matches", "yes")]),
        )
        .await;
    assert_eq!(no_ssn.status, 400);
    assert!(no_ssn.text.contains("href=\"#ssn\""));
    let saved = clerk
        .post(
            &no_ssn.text,
            &in_person,
            &new_user(&[("person_matches", "yes"), ("ssn", SSN)]),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);

    // Completed without a temporary password: the person uses their own.
    let account = desk.page(&account_path).await;
    let completed = desk
        .post(&account, &format!("{account_path}/complete-in-person"), &[])
        .await;
    assert_eq!(completed.status, 200, "{}", completed.text);
    assert!(completed.text.contains("Registration completed"));
    assert!(!completed.text.contains("temporary-password"));
    assert!(completed.text.contains("activation code"));
    server.letters(1).await;
    caller_finishes(&server, &person, None).await;
    server.finish().await;
}

async fn staff_pages_check_roles_sessions_and_forms(backend: Backend) {
    let server = staff_server(backend).await;
    let desk = staff(&server, "desk.roles", &["help_desk"]).await;
    let clerk = staff(&server, "clerk.roles", &["assistance_center"]).await;
    let nobody = staff(&server, "not.staff.pages", &[]).await;
    let caller = Person::new("caller.role.pages");
    let account_id = failed_online(&server, &api_client(), &caller).await;
    let account_path = format!("/staff/accounts/{account_id}");
    let check_path = format!("{account_path}/knowledge-checks");
    let in_person = format!("{account_path}/in-person");

    // Signed out: sign in first.
    let stranger = Browser::with_user_agent(&server, "Mozilla/5.0 (Signed out)");
    for path in [
        "/staff",
        account_path.as_str(),
        in_person.as_str(),
        "/account/password",
    ] {
        let answer = stranger.get(path).await;
        assert_eq!(answer.status, 303, "GET {path}");
        assert_eq!(answer.location.as_deref(), Some("/sign-in"), "GET {path}");
    }

    // Without a staff role: 403 pages.
    for path in ["/staff", account_path.as_str()] {
        let refused = nobody.get(path).await;
        assert_eq!(refused.status, 403, "GET {path}");
        assert!(refused.text.contains("does not have the role"));
    }
    // Each role only its own actions; every staff member sees the account.
    let account = clerk.page(&account_path).await;
    let refused = clerk.post(&account, &check_path, &[("ssn", SSN)]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.text.contains("does not have the role"));
    let refused = clerk
        .post(&account, &format!("{account_path}/complete-in-person"), &[])
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(desk.get(&in_person).await.status, 403);
    let account = desk.page(&account_path).await;
    let refused = desk.post(&account, &in_person, &two_photo_ids(&[])).await;
    assert_eq!(refused.status, 403);

    // Never on one's own account.
    use sa_domain::store::Store;
    let own = server
        .running()
        .store
        .account_by_username("desk.roles")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mine = desk.get(&format!("/staff/accounts/{own}")).await;
    assert_eq!(mine.status, 403);
    assert!(mine.text.contains("own account"));

    // A form without its CSRF token is refused before the journey runs.
    let forged = desk.post_raw(&check_path, &[("ssn", SSN)]).await;
    assert_eq!(forged.status, 403);
    assert!(forged.text.contains("This form has expired"));
    assert!(
        !history(&server, &caller.username)
            .await
            .contains("help_desk_check_started")
    );

    // A staff session that has not entered its second factor is not a staff session.
    let (half, signed) = signs_in(&server, "desk.roles", &Person::new("desk.roles").password).await;
    assert_eq!(signed.location.as_deref(), Some("/sign-in/second-factor"));
    let refused = half.get("/staff").await;
    assert_eq!(refused.status, 403);
    assert!(refused.text.contains("second factor"));

    // Three phone checks a day; the fourth waits, with Retry-After.
    for _ in 0..3 {
        let started = desk.post(&account, &check_path, &[("ssn", SSN)]).await;
        assert_eq!(started.status, 200);
    }
    let limited = desk.post(&account, &check_path, &[("ssn", SSN)]).await;
    assert_eq!(limited.status, 429);
    assert!(
        limited
            .retry_after
            .is_some_and(|secs| secs.parse::<u64>().is_ok_and(|s| s > 0))
    );
    assert!(limited.text.contains("Too many attempts. Try again in"));
    server.finish().await;
}

async fn a_person_changes_their_password_by_choice_with_pages(backend: Backend) {
    let server = TestServer::start(backend).await;
    let person = Person::new("changes.password");
    let (_, secret) = account_with_totp(&server, &api_client(), &person).await;

    // Before the second factor, the page sends the person to enter it.
    let (browser, signed) = signs_in(&server, &person.username, &person.password).await;
    assert_eq!(signed.location.as_deref(), Some("/sign-in/second-factor"));
    let early = browser.get("/account/password").await;
    assert_eq!(early.location.as_deref(), Some("/sign-in/second-factor"));
    let factor = browser.page("/sign-in/second-factor").await;
    let code = server.totp_now(&secret);
    let done = browser
        .post(
            &factor,
            "/sign-in/second-factor",
            &[("method", "totp"), ("code", &code)],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/account/security"));

    let form = browser.page("/account/password").await;
    assert!(tag_with_id(&form, "current_password").contains("autocomplete=\"current-password\""));
    let wrong = browser
        .post(
            &form,
            "/account/password",
            &[
                ("current_password", "not my password"),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.text.contains("href=\"#current_password\""));
    assert!(tag_with_id(&wrong.text, "current_password").contains("aria-invalid=\"true\""));
    let changed = browser
        .post(
            &wrong.text,
            "/account/password",
            &[
                ("current_password", &person.password),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.text);
    assert_eq!(changed.location.as_deref(), Some("/account/security"));

    let (_, old) = signs_in(&server, &person.username, &person.password).await;
    assert_eq!(old.status, 401);
    let (_, new) = signs_in(&server, &person.username, NEW_PASSWORD).await;
    assert_eq!(new.location.as_deref(), Some("/sign-in/second-factor"));
    server.finish().await;
}

/// Admins look after staff and help a person through the pages: the staff list, a
/// role given and taken away (the form keeps what was typed when a reason or username
/// is wrong), and a person turned off and on from their account page.
async fn admins_administer_staff_and_help_people_with_pages(backend: Backend) {
    let server = staff_server(backend).await;
    let admin = staff(&server, "pages.admin", &["admin"]).await;
    staff_account(&server, "new.helper", &[]).await;
    staff_account(&server, "a.person", &[]).await;

    let list = admin.page("/admin/staff").await;
    assert!(
        list.contains("pages.admin") && list.contains("admin ("),
        "{list}"
    );
    assert!(
        list.contains("totp"),
        "how the admin last signed in: {list}"
    );
    assert!(!list.contains("new.helper"), "not staff yet");

    // A typo in the username: shown on the form, with what was typed kept.
    let typo = admin
        .post(
            &list,
            "/admin/staff/roles",
            &[
                ("username", "no.such.person"),
                ("role", "help_desk"),
                ("change", "grant"),
                ("reason", "new hire"),
            ],
        )
        .await;
    assert_eq!(typo.status, 404, "{}", typo.text);
    assert!(
        typo.text.contains("value=\"no.such.person\""),
        "{}",
        typo.text
    );
    let granted = admin
        .post(
            &list,
            "/admin/staff/roles",
            &[
                ("username", "new.helper"),
                ("role", "help_desk"),
                ("change", "grant"),
                ("reason", "new hire"),
            ],
        )
        .await;
    assert_eq!(
        granted.location.as_deref(),
        Some("/admin/staff?done=granted")
    );
    let list = admin.page("/admin/staff?done=granted").await;
    assert!(
        list.contains("new.helper") && list.contains("The role was given"),
        "{list}"
    );
    let revoked = admin
        .post(
            &list,
            "/admin/staff/roles",
            &[
                ("username", "new.helper"),
                ("role", "help_desk"),
                ("change", "revoke"),
                ("reason", "left the team"),
            ],
        )
        .await;
    assert_eq!(
        revoked.location.as_deref(),
        Some("/admin/staff?done=revoked")
    );
    assert!(!admin.page("/admin/staff").await.contains("new.helper"));

    // Help a person from their account page: turn the account off, then on.
    let id = crate::staff_admin::account_id(&server, "a.person").await;
    let page = admin.page(&format!("/staff/accounts/{id}")).await;
    assert!(page.contains("Admin: help this person"), "{page}");
    let path = format!("/admin/accounts/{id}/help");
    let no_reason = admin
        .post(&page, &path, &[("action", "disable"), ("reason", "")])
        .await;
    assert_eq!(no_reason.status, 400, "{}", no_reason.text);
    assert!(no_reason.text.contains("Say why"), "{}", no_reason.text);
    let off = admin
        .post(
            &page,
            &path,
            &[("action", "disable"), ("reason", "reported stolen")],
        )
        .await;
    assert_eq!(
        off.location,
        Some(format!("/staff/accounts/{id}?helped=disable"))
    );
    let page = admin
        .page(&format!("/staff/accounts/{id}?helped=disable"))
        .await;
    assert!(
        page.contains("turned off by an admin") && page.contains("Turn the account on again"),
        "{page}"
    );
    let on = admin
        .post(
            &page,
            &path,
            &[("action", "enable"), ("reason", "owner confirmed")],
        )
        .await;
    assert_eq!(
        on.location,
        Some(format!("/staff/accounts/{id}?helped=enable"))
    );
    assert!(
        !admin
            .page(&format!("/staff/accounts/{id}"))
            .await
            .contains("turned off by an admin")
    );

    // Someone without the admin role sees neither.
    let desk = staff(&server, "desk.person", &["help_desk"]).await;
    assert_eq!(desk.get("/admin/staff").await.status, 403);
    assert!(
        !desk
            .page(&format!("/staff/accounts/{id}"))
            .await
            .contains("Admin: help this person")
    );
    server.finish().await;
}

on_both_databases!(
    admins_administer_staff_and_help_people_with_pages,
    help_desk_verifies_a_caller_by_phone_with_pages,
    help_desk_fail_then_in_person_then_completed_with_pages,
    new_user_verified_in_person_with_pages,
    staff_pages_check_roles_sessions_and_forms,
    a_person_changes_their_password_by_choice_with_pages,
);
