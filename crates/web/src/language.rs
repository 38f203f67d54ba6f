//! Which language each request is answered in, and saying so.
//!
//! The choice, strongest first: `?lang=` on any address (a person's explicit choice,
//! then remembered in the `sa_lang` cookie for a year), the cookie, then the browser's
//! `Accept-Language`; English when none names a language we speak. The handler runs
//! with the choice in a task-local ([`crate::locale`]), so pages and API errors read
//! it without every handler passing it on. Every answer says `Content-Language` and
//! `Vary: Accept-Language`. A signed-in person's explicit choice becomes their
//! account's language too (messages and letters); an account made by a request keeps
//! the request's language.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use sa_i18n::Lang;

use crate::cookies;
use crate::locale::{PARAMETER, RequestLanguage};
use crate::state::AppState;

/// The cookie that remembers an explicit choice.
pub const COOKIE: &str = "sa_lang";
const REMEMBER_SECS: i64 = 365 * 24 * 3600;

pub async fn choose(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let (explicit, here) = explicit_choice(request.uri());
    let cookie_name = cookies::name(COOKIE, app.config.secure_cookies);
    let remembered =
        cookies::read(request.headers(), &cookie_name).and_then(|v| Lang::from_tag(&v));
    let preferred = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::negotiate);
    let lang = explicit.or(remembered).or(preferred).unwrap_or_default();
    if let Some(chosen) = explicit {
        remember_for_account(&app, request.headers(), chosen).await;
    }
    let mut response =
        crate::locale::within(RequestLanguage { lang, here }, next.run(request)).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    headers.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    if let Some(chosen) = explicit
        && remembered != Some(chosen)
        && let Some(cookie) = cookies::set(
            &cookie_name,
            chosen.code(),
            app.config.secure_cookies,
            Some(REMEMBER_SECS),
        )
    {
        headers.append(header::SET_COOKIE, cookie);
    }
    response
}

/// A signed-in person's explicit choice is also their account's language (for
/// messages and letters). Anyone else, or a failure, changes nothing: the page still
/// answers in the language chosen.
async fn remember_for_account(app: &AppState, headers: &axum::http::HeaderMap, lang: Lang) {
    let Some(token) = crate::extract::session_token(headers, app.config.secure_cookies) else {
        return;
    };
    let Ok(auth) = app.services.sessions().authenticate(&token).await else {
        return;
    };
    if let Err(error) = app.services.security().choose_language(&auth, lang).await {
        tracing::warn!(%error, "the account's language was not saved");
    }
}

/// The query parameters the pages read, kept in the links to another language. The
/// OpenID Connect and SAML endpoints keep all theirs (the protocol request must
/// survive); any other parameter is left out, so a page never repeats what an outsider
/// put in its address.
const PAGE_PARAMETERS: [&str; 7] = [
    "username", "sent", "token", "done", "recorded", "created", "helped",
];

fn kept(path: &str, name: &str) -> bool {
    path.starts_with("/oidc/") || path.starts_with("/saml/") || PAGE_PARAMETERS.contains(&name)
}

/// The language `?lang=` names (if one we speak), and the address without it.
fn explicit_choice(uri: &axum::http::Uri) -> (Option<Lang>, String) {
    let path = uri.path().to_owned();
    let Some(query) = uri.query() else {
        return (None, path);
    };
    let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(query) else {
        return (None, path);
    };
    let mut chosen = None;
    let mut kept_pairs = Vec::with_capacity(pairs.len());
    for (name, value) in pairs {
        if name == PARAMETER {
            chosen = chosen.or_else(|| Lang::from_tag(&value));
        } else if kept(&path, &name) {
            kept_pairs.push((name, value));
        }
    }
    let rest = serde_urlencoded::to_string(&kept_pairs).unwrap_or_default();
    let here = if rest.is_empty() {
        path
    } else {
        format!("{path}?{rest}")
    };
    (chosen, here)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::link_in;

    #[test]
    fn the_choice_leaves_the_rest_of_the_address_alone() {
        let uri: axum::http::Uri = "/verify/phone?lang=es&sent=1".parse().unwrap_or_default();
        let (lang, here) = explicit_choice(&uri);
        assert_eq!(lang, Some(Lang::Es));
        assert_eq!(here, "/verify/phone?sent=1");
        assert_eq!(link_in(&here, Lang::En), "/verify/phone?sent=1&lang=en");
        let uri: axum::http::Uri = "/sign-in?lang=xx".parse().unwrap_or_default();
        assert_eq!(explicit_choice(&uri), (None, "/sign-in".to_owned()));
        let uri: axum::http::Uri = "/".parse().unwrap_or_default();
        assert_eq!(link_in(&explicit_choice(&uri).1, Lang::Es), "/?lang=es");
        // What the pages do not read is not repeated; protocol requests are whole.
        let uri: axum::http::Uri = "/sign-in?next=https%3A%2F%2Fevil.example&username=ana"
            .parse()
            .unwrap_or_default();
        assert_eq!(explicit_choice(&uri).1, "/sign-in?username=ana");
        let uri: axum::http::Uri = "/oidc/authorize?client_id=app&state=x%20y"
            .parse()
            .unwrap_or_default();
        assert_eq!(
            explicit_choice(&uri).1,
            "/oidc/authorize?client_id=app&state=x+y"
        );
    }
}
