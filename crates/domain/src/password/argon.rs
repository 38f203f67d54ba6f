//! The Argon2id parameters (OWASP ASVS 4.0.3 V2.4: m = 19456 KiB, t = 2, p = 1) and the
//! hasher built from them, with an optional pepper (Argon2 "secret").

use argon2::{Algorithm, Argon2, Params, Version};

use crate::{DomainError, DomainResult};

/// Argon2id memory cost in KiB (OWASP ASVS 4.0.3 V2.4.4 / OWASP cheat sheet minimum).
pub const ARGON2_MEMORY_KIB: u32 = 19_456;
pub const ARGON2_ITERATIONS: u32 = 2;
pub const ARGON2_PARALLELISM: u32 = 1;

pub(super) fn argon2(pepper: Option<&[u8]>) -> DomainResult<Argon2<'_>> {
    let params = Params::new(
        ARGON2_MEMORY_KIB,
        ARGON2_ITERATIONS,
        ARGON2_PARALLELISM,
        None,
    )
    .map_err(|e| DomainError::unavailable(format!("argon2 params: {e}")))?;
    match pepper {
        Some(secret) => {
            Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, params)
                .map_err(|e| DomainError::unavailable(format!("argon2 pepper: {e}")))
        }
        None => Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params)),
    }
}
