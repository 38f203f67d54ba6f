//! Authentication Context Class References (`acr`) in the vocabulary relying parties
//! of US federal identity services already use: identity assurance (IAL, NIST SP
//! 800-63A) and authenticator assurance (AAL, SP 800-63B) as URIs. The authorization
//! endpoint reads requested `acr_values`; the ID token's `acr` names what was met.

/// Identity not verified (self-asserted).
pub const IAL1: &str = "http://idmanagement.gov/ns/assurance/ial/1";
/// Identity verified (remote or in person proofing).
pub const IAL2: &str = "http://idmanagement.gov/ns/assurance/ial/2";
/// Multi-factor authentication.
pub const AAL2: &str = "http://idmanagement.gov/ns/assurance/aal/2";
/// Multi-factor authentication with a phishing-resistant authenticator.
pub const AAL2_PHISHING_RESISTANT: &str =
    "http://idmanagement.gov/ns/assurance/aal/2?phishing_resistant=true";

/// Every value listed in discovery's `acr_values_supported`.
pub const SUPPORTED: [&str; 4] = [IAL1, IAL2, AAL2, AAL2_PHISHING_RESISTANT];

/// Whether `acr` is one of [`SUPPORTED`] (exact match).
pub fn is_supported(acr: &str) -> bool {
    SUPPORTED.contains(&acr)
}

/// The supported values among a space-separated `acr_values` request parameter, in
/// the order given, without duplicates. Unknown values are dropped (OIDC Core
/// §3.1.2.1: `acr_values` is a voluntary request unless `claims` makes it essential).
pub fn requested(acr_values: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for value in acr_values.split(' ') {
        if let Some(known) = SUPPORTED.into_iter().find(|known| *known == value)
            && !out.contains(&known)
        {
            out.push(known);
        }
    }
    out
}
