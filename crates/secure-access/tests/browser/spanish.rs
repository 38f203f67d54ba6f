//! Key journeys in Spanish, with axe on every page: a person who picks "Español" on the
//! home page signs up, verifies their identity online with a texted code and lands on
//! their security page, every page in Spanish (`<html lang="es">`).

use crate::common::applicant::{self, *};
use crate::common::*;
use crate::driver::*;
use crate::journeys::enter_identity_pressing;

async fn signs_up_and_verifies_in_spanish(js: Js) {
    let Some(tools) = tools() else { return };
    let server =
        TestServer::start_with(Backend::Sqlite, |c| c.require_identity_verification = true).await;
    applicant::load_records(&server).await;
    let mut b = Browser::start(&tools, &server.base, "spanish-proofing", js).await;
    let person = Person::new("solicitante.es");

    b.goto("/").await;
    b.arrive("/", "home").await;
    b.follow("Español").await;
    b.arrive("/?lang=es", "inicio").await;
    let lang = b.script("return document.documentElement.lang").await;
    assert_eq!(lang.as_str(), Some("es"));
    b.says("Una cuenta para sus herramientas en línea").await;
    b.follow("Crear una cuenta").await;
    b.arrive("/sign-up", "crear-cuenta").await;
    let mark = server.outbox_mark();
    b.fill("username", &person.username).await;
    b.fill("email", &person.email).await;
    b.fill("password", &person.password).await;
    b.press("Crear la cuenta").await;
    b.arrive("/sign-up/confirm-email", "confirmar-correo").await;
    let code = server.code_after(mark, &person.email).await;
    b.fill("code", &code).await;
    b.press("Confirmar").await;
    b.arrive("/verify/identity", "identidad").await;
    b.says("Estado civil para efectos de la declaración").await;
    enter_identity_pressing(&mut b, "123 Example Street", "Continuar").await;
    b.arrive("/verify/financial-account", "cuenta-financiera")
        .await;
    b.choose("kind", "credit_card").await;
    b.fill("account_number", CARD_LAST_8).await;
    b.press("Continuar").await;
    b.arrive("/verify/phone", "telefono").await;
    let mark = server.outbox_mark();
    b.fill("phone", "(202) 555-0143").await;
    b.press("Envíenme un código por mensaje de texto").await;
    b.arrive("/verify/phone/confirm", "codigo-telefono").await;
    let code = server.code_after(mark, OWN_MOBILE).await;
    b.fill("code", &code).await;
    b.press("Verificar").await;
    b.arrive("/account/security", "seguridad").await;
    b.says("La seguridad de su cuenta").await;
    let lang = b.script("return document.documentElement.lang").await;
    assert_eq!(lang.as_str(), Some("es"));

    b.finish().await;
    server.finish().await;
}

crate::with_and_without_javascript!(signs_up_and_verifies_in_spanish);
