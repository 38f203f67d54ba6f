//! English and Spanish: the language comes from `?lang=` (then remembered in a cookie),
//! else `Accept-Language`, else English; pages and API messages are in it, and every
//! answer says which (`<html lang>`, `Content-Language`, `Vary: Accept-Language`).

use serde_json::{Value, json};

use crate::common::pages::Browser;
use crate::common::*;
use crate::on_both_databases;

const SPANISH_BROWSER: &str = "es-MX,es;q=0.9,en;q=0.5";

async fn a_spanish_speaker_signs_up_in_spanish(backend: Backend) {
    let server = TestServer::start(backend).await;
    let browser = Browser::speaking(&server, SPANISH_BROWSER);
    let person = Person::new("hablante");

    let answer = browser
        .send(browser.request(reqwest::Method::GET, "/"))
        .await;
    assert_eq!(answer.status, 200);
    let home = answer.text;
    assert!(home.contains("<html lang=\"es\">"), "{home}");
    assert!(home.contains("Una cuenta para sus herramientas en línea"));
    assert!(home.contains("Crear una cuenta"));
    assert!(home.contains("de lunes a viernes, de 7 a. m. a 7 p. m., hora local"));
    // The way back to English, on the same page, in its own language.
    assert!(home.contains("href=\"/?lang=en\" lang=\"en\" hreflang=\"en\">English</a>"));

    let form = browser.page("/sign-up").await;
    assert!(form.contains(">Nombre de usuario</label>"));
    assert!(form.contains(">Contraseña</label>"));
    let refused = browser
        .post(
            &form,
            "/sign-up",
            &[
                ("username", &person.username),
                ("email", &person.email),
                ("password", "corta"),
            ],
        )
        .await;
    assert_eq!(refused.status, 400);
    assert!(refused.text.contains("Hay un problema"));
    assert!(
        refused
            .text
            .contains("Su contraseña debe tener al menos 12 caracteres."),
        "{}",
        refused.text
    );

    let mark = server.outbox_mark();
    let created = browser
        .post(
            &refused.text,
            "/sign-up",
            &[
                ("username", &person.username),
                ("email", &person.email),
                ("password", &person.password),
            ],
        )
        .await;
    assert_eq!(created.location.as_deref(), Some("/sign-up/confirm-email"));
    // The account keeps the language it was made in: the email is Spanish.
    let email = server.message_after(mark, &person.email).await;
    assert_eq!(
        email["subject"],
        "Confirme su correo electrónico para Secure Access"
    );
    let body = email["body"].as_str().expect("body");
    assert!(body.starts_with("Su código de confirmación de Secure Access es "));
    assert!(body.contains("\n\nEscríbalo en la página"), "{body}");
    assert!(body.contains("Vence en 24 horas y funciona una sola vez."));
    let code = server.code_after(mark, &person.email).await;
    let confirm = browser.page("/sign-up/confirm-email").await;
    assert!(confirm.contains("Confirme su dirección de correo electrónico"));
    assert!(confirm.contains("Funciona durante 24 horas."), "{confirm}");
    let wrong = browser
        .post(&confirm, "/sign-up/confirm-email", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status, 401);
    assert!(
        wrong
            .text
            .contains("Ese código no es correcto. Revíselo e inténtelo de nuevo.")
    );
    let confirmed = browser
        .post(&confirm, "/sign-up/confirm-email", &[("code", &code)])
        .await;
    assert_eq!(confirmed.location.as_deref(), Some("/second-factor/setup"));
    let setup = browser.page("/second-factor/setup").await;
    assert!(setup.contains("Agregue un segundo paso para proteger su cuenta"));
    assert!(setup.contains("Aplicación de autenticación (recomendada)"));
    // Signed in, the header is Spanish too.
    assert!(setup.contains(">Cerrar sesión</button>"));
}

async fn the_choice_is_explicit_remembered_and_keeps_the_page(backend: Backend) {
    let server = TestServer::start(backend).await;
    let browser = Browser::speaking(&server, SPANISH_BROWSER);

    // The browser prefers Spanish; the person chooses English on the sign-in page, with
    // the username an app filled in.
    let spanish = browser.page("/sign-in?username=ana.lopez").await;
    assert!(spanish.contains("<h1>Iniciar sesión</h1>"));
    let link = "/sign-in?username=ana.lopez&#38;lang=en";
    assert!(spanish.contains(&format!("href=\"{link}\"")), "{spanish}");
    let english = browser
        .send(browser.request(reqwest::Method::GET, "/sign-in?username=ana.lopez&lang=en"))
        .await;
    assert_eq!(english.status, 200);
    assert!(english.text.contains("<html lang=\"en\">"));
    assert!(english.text.contains("<h1>Sign in</h1>"));
    assert!(
        english.text.contains("value=\"ana.lopez\""),
        "still the same form"
    );
    assert_eq!(browser.cookie("sa_lang").as_deref(), Some("en"));

    // Remembered: the next page is English without asking again.
    let next = browser.page("/password-reset").await;
    assert!(next.contains("<h1>Reset your password</h1>"));
    assert!(next.contains("href=\"/password-reset?lang=es\""));
    // And back to Spanish.
    let back = browser.page("/password-reset?lang=es").await;
    assert!(back.contains("<h1>Restablecer su contraseña</h1>"));
    assert_eq!(browser.cookie("sa_lang").as_deref(), Some("es"));

    // A language we do not speak changes nothing; a page that does not exist is
    // explained in the language in use.
    let unknown = browser.page("/sign-in?lang=tlh").await;
    assert!(unknown.contains("<h1>Iniciar sesión</h1>"));
    let missing = browser.get("/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert!(missing.text.contains("No se encontró la página"));
}

async fn every_answer_says_its_language(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    for (accept, expected) in [
        (Some("es-US,es;q=0.9"), "es"),
        (Some("en-GB"), "en"),
        (Some("fr-CA, de;q=0.8"), "en"),
        (None, "en"),
    ] {
        let mut request = client.get(server.url("/sign-in"));
        if let Some(accept) = accept {
            request = request.header("accept-language", accept);
        }
        let response = request.send().await.expect("answer");
        let header = |name: &str| {
            response
                .headers()
                .get_all(name)
                .iter()
                .map(|v| v.to_str().expect("ascii").to_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        assert_eq!(header("content-language"), expected, "{accept:?}");
        assert!(
            header("vary")
                .to_ascii_lowercase()
                .contains("accept-language"),
            "{accept:?}"
        );
        let page = response.text().await.expect("page");
        assert!(page.contains(&format!("<html lang=\"{expected}\">")));
    }
}

async fn api_messages_are_in_the_callers_language(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("api.hablante");
    sign_up_confirmed(&server, &client, &person).await;

    let refused = |accept: Option<&'static str>| {
        let mut request = client
            .post(server.url("/api/v1/sessions"))
            .json(&json!({"username": person.username, "password": "not the password at all"}));
        if let Some(accept) = accept {
            request = request.header("accept-language", accept);
        }
        request.send()
    };
    let spanish = refused(Some("es")).await.expect("answer");
    assert_eq!(spanish.status(), 401);
    assert_eq!(spanish.headers()["content-language"], "es");
    let body: Value = spanish.json().await.expect("json");
    assert_eq!(body["error"]["code"], "invalid_credentials");
    assert_eq!(
        body["error"]["message"],
        "El nombre de usuario o la contraseña no son correctos."
    );
    let english: Value = refused(None)
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(
        english["error"]["message"],
        "The username or password is not correct."
    );

    // A refused new password, with its argument and plural in Spanish.
    let weak = client
        .post(server.url("/api/v1/accounts"))
        .header("accept-language", "es-419")
        .json(&json!({"username": "otra.persona", "email": "otra@example.test", "password": "Password2026!"}))
        .send()
        .await
        .expect("answer");
    assert_eq!(weak.status(), 400);
    let body: Value = weak.json().await.expect("json");
    assert_eq!(body["error"]["field"], "password");
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("message")
            .starts_with("Esa contraseña"),
        "{body}"
    );
}

/// A signed-in person who switches language gets messages in it from then on.
async fn a_signed_in_choice_is_the_accounts_language(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("cambia.idioma");
    let token = sign_up_confirmed(&server, &client, &person).await;
    let browser = Browser::new(&server);
    browser.plant(&format!("sa_session={token}"));

    // English so far: the phone code is texted in English.
    let page = browser.page("/second-factor/setup/phone").await;
    assert!(page.contains("<h1>Add a phone for text messages</h1>"));
    let english = text_a_code(&server, &browser, &page).await;
    assert!(
        english.starts_with("Secure Access: your code is "),
        "{english}"
    );

    // The person switches to Spanish on a page: the next text is Spanish.
    let page = browser.page("/second-factor/setup/phone?lang=es").await;
    assert!(page.contains("<h1>Agregar un teléfono para mensajes de texto</h1>"));
    let spanish = text_a_code(&server, &browser, &page).await;
    assert!(
        spanish.starts_with("Secure Access: su código es ")
            && spanish.contains("Vence en 10 minutos."),
        "{spanish}"
    );
}

/// Send the phone form on `page` and return the text message the phone gets.
async fn text_a_code(server: &TestServer, browser: &Browser, page: &str) -> String {
    let mark = server.outbox_mark();
    let sent = browser
        .post(
            page,
            "/second-factor/setup/phone",
            &[("phone", "(202) 555-0143")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let text = server.message_after(mark, "+12025550143").await;
    assert_eq!(text["channel"], "sms");
    text["body"].as_str().expect("a body").to_owned()
}

/// Verifying identity in Spanish: the form, its errors, a mismatch, the financial and
/// phone steps, and a letter whose expiry date is written the Spanish way.
async fn a_spanish_speaker_verifies_and_asks_for_a_letter(backend: Backend) {
    use crate::proofing_pages::{identity_with, sign_up_with_pages};
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    crate::common::applicant::load_records(&server).await;
    let browser = Browser::speaking(&server, "es");
    let person = Person::new("verifica.carta");
    assert_eq!(
        sign_up_with_pages(&server, &browser, &person).await,
        "/verify/identity"
    );
    let form = browser.page("/verify/identity").await;
    for words in [
        "<h1>Verifique su identidad</h1>",
        "Estado civil para efectos de la declaración",
        ">Casado que presenta una declaración conjunta</option>",
        ">03 - marzo</option>",
        "Número de Seguro Social o ITIN",
        "(opcional)",
        "Otras formas de verificar",
    ] {
        assert!(form.contains(words), "{words} missing: {form}");
    }
    let bad_ssn = browser
        .post(&form, "/verify/identity", &identity_with("ssn", "12-34"))
        .await;
    assert_eq!(bad_ssn.status, 400);
    assert!(
        bad_ssn
            .text
            .contains("Escriba su número de Seguro Social o ITIN con 9 dígitos, como 123-45-6789.")
    );
    let unknown = browser
        .post(
            &form,
            "/verify/identity",
            &identity_with("last_name", "Nadie"),
        )
        .await;
    assert!(
        unknown
            .text
            .contains("No pudimos hacer coincidir su información")
            && unknown.text.contains("quedan"),
        "{}",
        unknown.text
    );
    let matched = browser
        .post(&form, "/verify/identity", &identity_with("zip", "22150"))
        .await;
    assert_eq!(
        matched.location.as_deref(),
        Some("/verify/financial-account")
    );
    let financial = browser.page("/verify/financial-account").await;
    assert!(financial.contains(">Hipoteca</option>"));
    let next = browser
        .post(
            &financial,
            "/verify/financial-account",
            &[
                ("kind", "mortgage"),
                ("account_number", crate::common::applicant::MORTGAGE),
            ],
        )
        .await;
    assert_eq!(next.location.as_deref(), Some("/verify/phone"));
    let phone = browser.page("/verify/phone").await;
    assert!(phone.contains("<h1>Confirme un teléfono a su nombre</h1>"));
    let refused = browser
        .post(
            &phone,
            "/verify/phone",
            &[("phone", crate::common::applicant::OWN_LANDLINE)],
        )
        .await;
    assert!(refused.text.contains("No pudimos confirmar ese teléfono."));
    let mailed = browser
        .post(&refused.text, "/verify/mail", &[("from", "phone")])
        .await;
    assert_eq!(mailed.status, 303);
    let confirm = browser.page("/verify/mail/confirm?sent=1").await;
    assert!(
        confirm.contains("el código vence el 23 de marzo de 2026"),
        "{confirm}"
    );
    assert!(confirm.contains("<h1>Escriba el código de su carta</h1>"));

    // The printed letter is in Spanish, accents and all, read back as a mail room's
    // tools read a PDF.
    let printed = secure_access::commands::letters::print(
        &server.config,
        std::sync::Arc::new(server.clock.clone()),
    )
    .await
    .expect("print");
    let pdf = printed.pdf.expect("a PDF");
    match pdf_text(&pdf) {
        Some(text) => {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for words in [
                "Usted pidió verificar su identidad",
                "escriba este código de activación:",
                "Este código vence el 23 de marzo de 2026.",
                "Nunca le pediremos este código por teléfono ni por correo electrónico.",
            ] {
                assert!(text.contains(words), "{words:?} not in the letter: {text}");
            }
        }
        None if std::env::var_os("CI").is_some() => {
            panic!("pdftotext (poppler-utils) is needed in CI to read the letter")
        }
        None => eprintln!("notice: pdftotext not found; the letter's text is not read back"),
    }
    server.finish().await;
}

/// The text of a PDF, by Debian's `pdftotext`, if installed.
fn pdf_text(pdf: &std::path::Path) -> Option<String> {
    let output = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    assert!(output.status.success(), "pdftotext failed on the letter");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Recovering an account online, in Spanish, from the sign-in page to the security
/// page whose history says so in Spanish.
async fn a_spanish_speaker_recovers_an_account_online(backend: Backend) {
    use crate::common::applicant::{CARD_LAST_8, OWN_MOBILE};
    let person = Person::new("recupera.es");
    let server = crate::recovery_verified::verified_account(backend, &person).await;
    let browser = Browser::speaking(&server, "es-US,es;q=0.9");
    let sign_in = browser.page("/sign-in").await;
    browser
        .post(
            &sign_in,
            "/sign-in",
            &[
                ("username", &person.username),
                ("password", &person.password),
            ],
        )
        .await;
    let factor = browser.page("/sign-in/second-factor").await;
    assert!(factor.contains("No puedo usar ninguno de estos métodos de inicio de sesión"));
    let options = browser.page("/account-reset").await;
    assert!(options.contains("Si no puede usar sus métodos de inicio de sesión"));
    assert!(options.contains("Verifique su identidad de nuevo en línea"));
    let form = browser.page("/account-reset/verify").await;
    assert!(
        form.contains("<h1>Verifique su identidad de nuevo</h1>"),
        "{form}"
    );
    let mut typo: Vec<(&str, &str)> = crate::proofing_pages::FIELDS.to_vec();
    typo[4] = ("date_of_birth", "1980-04-16");
    let wrong = browser
        .post(&form, "/account-reset/verify/identity", &typo)
        .await;
    assert!(
        wrong
            .text
            .contains("Eso no coincide con la identidad con la que se verificó esta cuenta."),
        "{}",
        wrong.text
    );
    browser
        .post(
            &wrong.text,
            "/account-reset/verify/identity",
            &crate::proofing_pages::FIELDS,
        )
        .await;
    let financial = browser.page("/account-reset/verify").await;
    assert!(financial.contains("Paso 2 de 3: una cuenta financiera"));
    browser
        .post(
            &financial,
            "/account-reset/verify/financial-account",
            &[("kind", "credit_card"), ("account_number", CARD_LAST_8)],
        )
        .await;
    let phone = browser.page("/account-reset/verify").await;
    assert!(phone.contains("Paso 3 de 3: un teléfono celular a su nombre"));
    let mark = server.settled_outbox_mark().await;
    browser
        .post(
            &phone,
            "/account-reset/verify/phone",
            &[("phone", OWN_MOBILE)],
        )
        .await;
    let code_page = browser.page("/account-reset/verify").await;
    assert!(code_page.contains("Paso 3 de 3: el código que le enviamos"));
    let code = server.code_after(mark, OWN_MOBILE).await;
    let done = browser
        .post(
            &code_page,
            "/account-reset/verify/phone/confirm",
            &[("code", &code)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    let security = browser.page("/account/security").await;
    assert!(security.contains("<h1>La seguridad de su cuenta</h1>"));
    assert!(
        security.contains("Identidad verificada de nuevo: se quitaron todos los métodos"),
        "{security}"
    );
    server.finish().await;
}

/// Emails follow the account's language whatever language a later request speaks,
/// "this wasn't me" links included; the history reads in the request's language.
async fn emails_follow_the_account_and_the_history_the_reader(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("correo.es");
    let mark = server.outbox_mark();
    let created = client
        .post(server.url("/api/v1/accounts"))
        .header("accept-language", "es-MX")
        .json(&json!({"username": person.username, "email": person.email, "password": person.password}))
        .send()
        .await
        .expect("answer");
    assert_eq!(created.status(), 201);
    let token: Value = created.json().await.expect("json");
    let token = token["session_token"].as_str().expect("token").to_owned();
    let code = server.code_after(mark, &person.email).await;
    let confirmed = client
        .post(server.url("/api/v1/accounts/email/confirm"))
        .bearer_auth(&token)
        .json(&json!({"code": code}))
        .send()
        .await
        .expect("answer");
    assert_eq!(confirmed.status(), 200);

    // A password reset asked for in English still writes to this person in Spanish.
    let mark = server.settled_outbox_mark().await;
    let asked = client
        .post(server.url("/api/v1/password-resets"))
        .header("accept-language", "en")
        .json(&json!({"username": person.username}))
        .send()
        .await
        .expect("answer");
    assert!(asked.status().is_success(), "{}", asked.status());
    let email = server.message_after(mark, &person.email).await;
    assert_eq!(
        email["subject"],
        "Su código para restablecer la contraseña de Secure Access"
    );
    let body = email["body"].as_str().expect("body");
    assert!(
        body.starts_with("Alguien pidió restablecer la contraseña"),
        "{body}"
    );
    assert!(
        body.contains("¿No fue usted? Abra este enlace para proteger su cuenta:"),
        "{body}"
    );
    assert!(body.contains("durante 7 días"), "{body}");
    assert!(!body.contains("This wasn't you"), "{body}");

    // An English account's history, read in Spanish.
    let english = Person::new("historial");
    let (token, _) = account_with_totp(&server, &client, &english).await;
    let security: Value = client
        .get(server.url("/api/v1/account/security"))
        .bearer_auth(&token)
        .header("accept-language", "es")
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    let events = security["events"].to_string();
    assert!(events.contains("Se creó la cuenta"), "{events}");
    assert!(
        events.contains("Se confirmó la dirección de correo electrónico"),
        "{events}"
    );
}

on_both_databases!(
    a_spanish_speaker_recovers_an_account_online,
    emails_follow_the_account_and_the_history_the_reader,
    a_spanish_speaker_verifies_and_asks_for_a_letter,
    a_signed_in_choice_is_the_accounts_language,
    a_spanish_speaker_signs_up_in_spanish,
    the_choice_is_explicit_remembered_and_keeps_the_page,
    every_answer_says_its_language,
    api_messages_are_in_the_callers_language,
);
