//! Errors a screen-reader user hears and can act on: after a bad form the error summary
//! is announced (`role="alert"`, or focused), links to each field at fault, and each of
//! those fields is `aria-invalid="true"` and described by its own error message, which
//! says something; no message floats free of its field. Following a summary link with
//! the keyboard puts the focus in that field.

use crate::common::applicant::{self, IDENTITY_CHOICES, IDENTITY_FIELDS};
use crate::common::*;
use crate::driver::*;

/// What the page's error markup gets wrong (empty when nothing), and the invalid fields.
const CHECK_ERRORS: &str = r##"
  const problems = [];
  const summary = document.querySelector(".usa-alert--error");
  if (!summary) {
    problems.push("no error summary");
  } else if (summary.getAttribute("role") !== "alert" && document.activeElement !== summary) {
    problems.push("the error summary is neither role=alert nor focused");
  }
  const invalid = [...document.querySelectorAll('[aria-invalid="true"]')];
  const describedBy = (el) => (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  for (const field of invalid) {
    const name = "#" + field.id;
    if (!field.id) problems.push("an invalid field has no id");
    if (!document.querySelector(`label[for="${field.id}"]`)) problems.push(name + ": no label");
    const ids = describedBy(field);
    for (const id of ids) {
      if (!document.getElementById(id)) problems.push(`${name}: aria-describedby names missing #${id}`);
    }
    const messages = ids.map((id) => document.getElementById(id))
      .filter((el) => el && el.classList.contains("usa-error-message"));
    if (messages.length !== 1) {
      problems.push(`${name}: described by ${messages.length} error messages, not 1`);
    } else if (!messages[0].textContent.trim()) {
      problems.push(`${name}: its error message is empty`);
    }
    if (summary && !summary.querySelector(`a[href="#${field.id}"]`)) {
      problems.push(`${name}: the summary does not link to it`);
    }
  }
  if (summary) {
    for (const link of summary.querySelectorAll('a[href^="#"]')) {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) problems.push(`summary link ${link.getAttribute("href")} goes nowhere`);
      else if (target.getAttribute("aria-invalid") !== "true") {
        problems.push(`summary link ${link.getAttribute("href")} goes to a field not marked invalid`);
      }
    }
  }
  for (const message of document.querySelectorAll(".usa-error-message")) {
    if (!invalid.some((field) => describedBy(field).includes(message.id))) {
      problems.push(`error message #${message.id || "(no id)"} is tied to no field`);
    }
  }
  return { problems, invalid: invalid.map((field) => field.id) };
"##;

/// Assert the page's errors are announced and tied, and exactly `fields` are invalid.
pub async fn assert_errors_tied(b: &Browser, fields: &[&str]) {
    let answer = b.script(CHECK_ERRORS).await;
    let problems: Vec<&str> = answer["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(
        problems.is_empty(),
        "errors on {} are not announced or tied:\n{}",
        b.path().await,
        problems.join("\n")
    );
    let invalid: Vec<&str> = answer["invalid"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str())
        .collect();
    assert_eq!(invalid, fields, "the fields marked invalid");
}

/// Tab to the summary's link for `field`, press Enter: the focus lands in the field.
async fn summary_link_focuses(b: &Browser, field: &str) {
    b.tab_until(&format!("the summary link to #{field}"), 30, |f| {
        f.tag == "a" && f.href_fragment() == Some(field)
    })
    .await;
    b.enter().await;
    let focused = b.focused().await;
    assert_eq!(
        focused.id, field,
        "the summary link moves the focus into its field"
    );
}

async fn errors_are_announced_and_tied_to_their_fields(js: Js) {
    let Some(tools) = tools() else { return };
    let server =
        TestServer::start_with(Backend::Sqlite, |c| c.require_identity_verification = true).await;
    applicant::load_records(&server).await;
    let mut b = Browser::start(&tools, &server.base, "form-errors", js).await;
    let person = Person::new("careless.typist");

    // Sign-up: a malformed email, then a weak password.
    b.goto("/sign-up").await;
    b.arrive("/sign-up", "sign-up").await;
    b.fill("username", &person.username).await;
    b.fill("email", "not-an-email").await;
    b.fill("password", "password12345").await;
    b.press("Create account").await;
    b.arrive("/sign-up", "sign-up-bad-email").await;
    b.says("There is a problem").await;
    assert_errors_tied(&b, &["email"]).await;
    summary_link_focuses(&b, "email").await;
    b.fill("email", &person.email).await;
    b.fill("password", "password12345").await;
    b.press("Create account").await;
    b.arrive("/sign-up", "sign-up-weak-password").await;
    assert_errors_tied(&b, &["password"]).await;
    summary_link_focuses(&b, "password").await;

    // Corrected, the account is made; the identity step refuses a malformed SSN.
    let mark = server.outbox_mark();
    b.fill("password", &person.password).await;
    b.press("Create account").await;
    b.arrive("/sign-up/confirm-email", "confirm-email").await;
    b.fill("code", "12").await;
    b.press("Confirm").await;
    b.arrive("/sign-up/confirm-email", "confirm-email-errors")
        .await;
    assert_errors_tied(&b, &["code"]).await;
    let code = server.code_after(mark, &person.email).await;
    b.fill("code", &code).await;
    b.press("Confirm").await;
    b.arrive("/verify/identity", "identity").await;
    for (id, value) in IDENTITY_FIELDS {
        b.fill(id, if id == "ssn" { "12345" } else { value }).await;
    }
    for (id, value) in IDENTITY_CHOICES {
        b.choose(id, value).await;
    }
    b.press("Continue").await;
    b.arrive("/verify/identity", "identity-errors").await;
    assert_errors_tied(&b, &["ssn"]).await;
    summary_link_focuses(&b, "ssn").await;

    b.finish().await;
    server.finish().await;
}

crate::with_and_without_javascript!(errors_are_announced_and_tied_to_their_fields);
