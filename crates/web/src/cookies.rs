//! Cookie names and the few cookie operations the service needs (no cookie jar crate:
//! three cookies, read from one header and written with fixed attributes).
//!
//! With secure cookies the names carry the `__Host-` prefix (Secure, Path=/, no Domain:
//! the browser refuses any other site's attempt to set them). In development over plain
//! HTTP on loopback the prefix and `Secure` are dropped, since browsers reject
//! `__Host-` cookies without `Secure`.

use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION: &str = "sa_session";
pub const CSRF: &str = "sa_csrf";
pub const DEVICE: &str = "sa_device";

/// The cookie name as sent, with `__Host-` when secure.
pub fn name(base: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{base}")
    } else {
        base.to_owned()
    }
}

/// The value of cookie `name`, if the request has it.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// A `Set-Cookie` value. `max_age` of `None` makes a browser-session cookie.
pub fn set(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> Option<HeaderValue> {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        cookie.push_str("; Secure");
    }
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&cookie).ok()
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str, secure: bool) -> Option<HeaderValue> {
    set(name, "", secure, Some(0))
}
