//! `private_key_jwt` client authentication as the token endpoint runs it:
//! `sa_oidc::unverified_client_id` (which client's keys to use), `sa_oidc::verify_jwt`
//! against that client's registered JWKS, then `sa_oidc::check_client_assertion` on the
//! verified claims.
//!
//! The key set is fixed: the RFC 7515 A.2 (RS256) and A.3 (ES256) public keys, the A.3
//! key once more under the `kid` this target signs with. Input, after a mode byte:
//! - mode 0: the bytes are a token (as an attacker would send it);
//! - mode 1: the bytes are claims, which this target signs with the A.3 key, so the
//!   fuzzer explores `check_client_assertion` behind a valid signature;
//! - mode 2: a JWKS (up to the first newline) and a token: arbitrary registered keys.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sa_oidc::assertion::{MAX_ASSERTION_LIFETIME_SECS, MAX_JTI_LEN};
use sa_oidc::{
    SigningAlg, SigningKey, check_client_assertion, jwks, unverified_client_id, verify_jwt,
};
use serde_json::{Value, json};

const CLIENT: &str = "rp-1";
const AUDIENCES: [&str; 2] = [
    "https://id.example.gov/oidc/token",
    "https://id.example.gov",
];
const NOW: i64 = 1_700_000_000;
const KID: &str = "rp-1-key";

/// RFC 7515 A.3's P-256 private scalar `d` (public test vector).
const RFC_A3_D: [u8; 32] = [
    0x8e, 0x9b, 0x10, 0x9e, 0x71, 0x90, 0x98, 0xbf, 0x98, 0x04, 0x87, 0xdf, 0x1f, 0x5d, 0x77, 0xe9,
    0xcb, 0x29, 0x60, 0x6e, 0xbe, 0xd2, 0x26, 0x3b, 0x5f, 0x57, 0xc2, 0x13, 0xdf, 0x84, 0xf4, 0xb2,
];

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag, content.len() as u8];
    out.extend_from_slice(content);
    out
}

/// PKCS#8 of a P-256 scalar (SEC 1 `ECPrivateKey` inside RFC 5208), as the unit tests
/// of sa-oidc build it.
fn ec_pkcs8(d: &[u8]) -> Vec<u8> {
    let mut ec_private_key = der(0x02, &[1]);
    ec_private_key.extend(der(0x04, d));
    let mut algorithm = vec![0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    algorithm.extend([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);
    let mut body = der(0x02, &[0]);
    body.extend(der(0x30, &algorithm));
    body.extend(der(0x04, &der(0x30, &ec_private_key)));
    der(0x30, &body)
}

struct Fixture {
    key: SigningKey,
    jwks: Value,
    rfc_tokens: [&'static str; 2],
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        assert!(sa_oidc::backend_supported());
        let key = SigningKey::from_pkcs8(KID, SigningAlg::Es256, &ec_pkcs8(&RFC_A3_D))
            .expect("the RFC 7515 A.3 key loads");
        let rsa = json!({
            "kty": "RSA",
            "n": "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
            "e": "AQAB"
        });
        let ec = json!({
            "kty": "EC",
            "crv": "P-256",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
        });
        let jwks = jwks(&[key.public_jwk(), rsa, ec]);
        Fixture {
            key,
            jwks,
            rfc_tokens: [
                "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw",
                "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q",
            ],
        }
    })
}

/// What the token endpoint does with a `client_assertion`.
fn authenticate(token: &str, keys: &Value) {
    let client_id = unverified_client_id(token).unwrap_or_else(|_| CLIENT.to_owned());
    let Ok(verified) = verify_jwt(token, keys) else {
        return;
    };
    assert!(verified.header.is_object() && verified.claims.is_object());
    check(&verified.claims, &client_id);
}

/// `check_client_assertion`, and what an accepted assertion must have satisfied.
fn check(claims: &Value, client_id: &str) {
    for now in [NOW, i64::MAX, i64::MIN] {
        if let Ok(jti) = check_client_assertion(claims, client_id, &AUDIENCES, now) {
            assert_eq!(claims["iss"].as_str(), Some(client_id));
            assert_eq!(claims["sub"].as_str(), Some(client_id));
            assert!(!jti.is_empty() && jti.len() <= MAX_JTI_LEN);
            let exp = claims["exp"]
                .as_i64()
                .or_else(|| claims["exp"].as_f64().map(|f| f as i64));
            assert!(exp.is_some_and(
                |exp| exp > now && exp <= now.saturating_add(MAX_ASSERTION_LIFETIME_SECS)
            ));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let fixture = fixture();
    let text = String::from_utf8_lossy(rest);
    match mode % 3 {
        0 => authenticate(&text, &fixture.jwks),
        1 => {
            let Ok(claims) = serde_json::from_slice::<Value>(rest) else {
                return;
            };
            let Ok(token) = fixture.key.sign_jwt(&claims) else {
                assert!(!claims.is_object());
                return;
            };
            let verified = verify_jwt(&token, &fixture.jwks).expect("our own signature verifies");
            assert_eq!(verified.claims, claims);
            check(&verified.claims, CLIENT);
            authenticate(&token, &fixture.jwks);
        }
        _ => {
            let (keys, token) = text.split_once('\n').unwrap_or((&text, ""));
            let Ok(keys) = serde_json::from_str::<Value>(keys) else {
                return;
            };
            authenticate(token, &keys);
            for token in fixture.rfc_tokens {
                let _ = verify_jwt(token, &keys);
            }
        }
    }
});
