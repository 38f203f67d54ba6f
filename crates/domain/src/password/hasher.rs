//! The bounded Argon2id hasher: a fixed set of hashing threads, each reusing one
//! preallocated Argon2 memory, behind an admission check.
//!
//! ```text
//!  reserve() ── queue full? ─► Overloaded (before the caller does any other work)
//!     │ HashTurn (a place in the queue)
//!     ▼
//!  turn.verify()/hash() ── waits for one of `concurrency` permits ─► a hashing thread
//!                                                                    (its own Blocks)
//! ```
//!
//! Why threads of our own rather than the runtime's blocking pool: every Argon2id hash
//! needs 19 MiB. Allocated per hash on whichever pool thread ran it, freed buffers stay
//! in that thread's allocator arena, and a flood of sign-ins grew the process to
//! 0.65-0.9 GiB. Here memory is `concurrency` × 19 MiB, allocated once.

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use tokio::sync::{Semaphore, oneshot};
use zeroize::Zeroizing;

use super::policy::normalise;
use crate::{DomainError, DomainResult};

/// What a hashing thread runs: a closure given the thread's workspace.
type Job = Box<dyn FnOnce(&mut Workspace) + Send>;

/// Argon2id hashing, off the async runtime and bounded.
#[derive(Clone)]
pub struct PasswordHasher {
    inner: Arc<HasherInner>,
}

struct HasherInner {
    pepper: Option<Zeroizing<Vec<u8>>>,
    /// One per hashing thread: a holder's job always finds an idle thread.
    permits: Semaphore,
    /// Turns reserved and not yet running.
    waiting: AtomicUsize,
    max_waiting: usize,
    jobs: Mutex<mpsc::Sender<Job>>,
    /// A real hash of a random password, verified when the username is unknown so that
    /// both answers take the same time.
    dummy_hash: String,
}

impl PasswordHasher {
    /// `concurrency` hashes run at once on as many threads (usually the core count); at
    /// most `max_waiting` more may wait for a turn before callers are told the service
    /// is busy. The threads end when the last clone of the hasher is dropped.
    pub fn new(pepper: Option<&str>, concurrency: usize, max_waiting: usize) -> DomainResult<Self> {
        let pepper = pepper
            .filter(|p| !p.is_empty())
            .map(|p| Zeroizing::new(p.as_bytes().to_vec()));
        let concurrency = concurrency.max(1);
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..concurrency {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || hashing_thread(&receiver))
                .map_err(|e| DomainError::unavailable(format!("hashing thread: {e}")))?;
        }
        let random = crate::keys::hex(&crate::keys::random_bytes::<16>()[..]);
        let dummy_hash =
            Workspace::default().hash(pepper.as_deref().map(Vec::as_slice), &random)?;
        Ok(Self {
            inner: Arc::new(HasherInner {
                pepper,
                permits: Semaphore::new(concurrency),
                waiting: AtomicUsize::new(0),
                max_waiting,
                jobs: Mutex::new(sender),
                dummy_hash,
            }),
        })
    }

    /// Take a place in the queue now, or be told the service is busy, before doing any
    /// work that a refusal would waste (sign-in counts its attempt only after this).
    pub fn reserve(&self) -> DomainResult<HashTurn> {
        let inner = &self.inner;
        let queued = inner.waiting.fetch_add(1, Ordering::SeqCst);
        if queued >= inner.max_waiting + inner.permits.available_permits() {
            inner.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(DomainError::Overloaded {
                retry_after_secs: 2,
            });
        }
        Ok(HashTurn {
            inner: self.inner.clone(),
            queued: true,
        })
    }

    /// Turns reserved and waiting for a hashing thread (for metrics).
    pub fn queue_depth(&self) -> usize {
        self.inner.waiting.load(Ordering::Relaxed)
    }

    /// Hash a (normalised) password into a PHC string.
    pub async fn hash(&self, password: Zeroizing<String>) -> DomainResult<String> {
        self.reserve()?.hash(password).await
    }

    /// Verify a password against a stored PHC string. With `None`, verifies against a
    /// dummy hash and returns `false`, taking the same time as a real check.
    pub async fn verify(&self, password: &str, stored: Option<String>) -> DomainResult<bool> {
        self.reserve()?.verify(password, stored).await
    }
}

/// A reserved place in the hashing queue; dropping it unused gives the place back.
pub struct HashTurn {
    inner: Arc<HasherInner>,
    queued: bool,
}

impl HashTurn {
    /// [`PasswordHasher::hash`] in this turn.
    pub async fn hash(self, password: Zeroizing<String>) -> DomainResult<String> {
        let pepper = self.inner.pepper.clone();
        self.run(move |space| space.hash(pepper.as_deref().map(Vec::as_slice), &password))
            .await
    }

    /// [`PasswordHasher::verify`] in this turn.
    pub async fn verify(self, password: &str, stored: Option<String>) -> DomainResult<bool> {
        let pepper = self.inner.pepper.clone();
        let typed = password;
        let password = normalise(password);
        let is_real = stored.is_some();
        let phc = stored.unwrap_or_else(|| self.inner.dummy_hash.clone());
        if let Some(imported) = phc.strip_prefix(super::legacy::LEGACY_PREFIX) {
            // Moved over from an older tool: its own algorithm, and no pepper.
            let imported = imported.to_owned();
            let typed = Zeroizing::new(typed.to_owned());
            return self
                .run(move |_| super::legacy::verify(&typed, &password, &imported))
                .await;
        }
        let matched = self
            .run(move |space| space.verify(pepper.as_deref().map(Vec::as_slice), &password, &phc))
            .await?;
        Ok(matched && is_real)
    }

    async fn run<T: Send + 'static>(
        mut self,
        work: impl FnOnce(&mut Workspace) -> DomainResult<T> + Send + 'static,
    ) -> DomainResult<T> {
        let inner = self.inner.clone();
        let permit = inner.permits.acquire().await;
        self.leave_queue();
        let _permit = permit.map_err(|_| DomainError::unavailable("hasher closed"))?;
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |space| {
            // The caller may have gone away; nothing to do then.
            let _ = reply.send(work(space));
        });
        inner
            .jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .send(job)
            .map_err(|_| DomainError::unavailable("hashing threads stopped"))?;
        answer
            .await
            .map_err(|_| DomainError::unavailable("password hashing failed"))?
    }

    fn leave_queue(&mut self) {
        if std::mem::take(&mut self.queued) {
            self.inner.waiting.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Drop for HashTurn {
    fn drop(&mut self) {
        self.leave_queue();
    }
}

/// One hashing thread: take jobs until every sender is gone. A panicking job loses
/// only its own answer (the caller gets "unavailable"); the thread goes on.
fn hashing_thread(jobs: &Mutex<mpsc::Receiver<Job>>) {
    let mut space = Workspace::default();
    loop {
        let next = jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .recv();
        let Ok(job) = next else { return };
        let space_ref = &mut space;
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || job(space_ref))).is_err() {
            tracing::error!("a password hashing job panicked");
        }
    }
}

/// A hashing thread's Argon2 memory, allocated on first use and reused.
#[derive(Default)]
pub(super) struct Workspace {
    blocks: Vec<Block>,
}

impl Workspace {
    /// The PHC string of `password` with a new salt and the service's parameters (the
    /// same string `argon2`'s own `hash_password` produces).
    pub(super) fn hash(&mut self, pepper: Option<&[u8]>, password: &str) -> DomainResult<String> {
        let argon = super::argon::argon2(pepper)?;
        let salt = Salt::generate();
        let output = self.compute(&argon, password, &salt, Params::DEFAULT_OUTPUT_LEN)?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(argon.params()).map_err(hash_error)?,
            salt: Some(salt),
            hash: Some(output),
        };
        Ok(phc.to_string())
    }

    /// Whether `password` matches the PHC string (its own algorithm, version and
    /// parameters), compared in constant time.
    pub(super) fn verify(
        &mut self,
        pepper: Option<&[u8]>,
        password: &str,
        phc: &str,
    ) -> DomainResult<bool> {
        let stored = PasswordHash::new(phc).map_err(hash_error)?;
        let algorithm = Algorithm::try_from(stored.algorithm.as_str()).map_err(hash_error)?;
        let version = stored
            .version
            .map(Version::try_from)
            .transpose()
            .map_err(|e| DomainError::unavailable(format!("stored hash version: {e}")))?
            .unwrap_or_default();
        let params = Params::try_from(&stored).map_err(hash_error)?;
        let (Some(salt), Some(expected)) = (stored.salt, stored.hash) else {
            return Err(DomainError::unavailable("stored hash: no salt or hash"));
        };
        let argon = match pepper {
            Some(secret) => Argon2::new_with_secret(secret, algorithm, version, params)
                .map_err(|e| DomainError::unavailable(format!("argon2 pepper: {e}")))?,
            None => Argon2::new(algorithm, version, params),
        };
        let output = self.compute(&argon, password, &salt, expected.len())?;
        // `Output`'s equality is constant-time.
        Ok(output == expected)
    }

    fn compute(
        &mut self,
        argon: &Argon2<'_>,
        password: &str,
        salt: &[u8],
        len: usize,
    ) -> DomainResult<Output> {
        let count = argon.params().block_count();
        if self.blocks.len() < count {
            self.blocks.resize(count, Block::default());
        }
        let blocks = &mut self.blocks[..count];
        let mut out = Zeroizing::new(vec![0u8; len]);
        argon
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut *blocks)
            .map_err(hash_error)?;
        Output::new(&out).map_err(hash_error)
    }
}

fn hash_error(error: impl std::fmt::Display) -> DomainError {
    DomainError::unavailable(format!("argon2: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

    /// The `argon2` crate's own hashing, with the service's parameters.
    fn their_hash(pepper: Option<&[u8]>, password: &str) -> String {
        super::super::argon::argon2(pepper)
            .unwrap()
            .hash_password(password.as_bytes())
            .unwrap()
            .to_string()
    }

    /// The `argon2` crate's own verification.
    fn they_verify(pepper: Option<&[u8]>, password: &str, phc: &str) -> bool {
        super::super::argon::argon2(pepper)
            .unwrap()
            .verify_password(password.as_bytes(), &PasswordHash::new(phc).unwrap())
            .is_ok()
    }

    #[tokio::test]
    async fn unknown_user_verification_is_false_but_does_the_work() {
        let hasher = PasswordHasher::new(None, 1, 4).unwrap();
        assert!(!hasher.verify("anything at all", None).await.unwrap());
        let phc = hasher
            .hash(normalise("lantern mosaic tulip"))
            .await
            .unwrap();
        assert!(
            hasher
                .verify("lantern mosaic tulip", Some(phc))
                .await
                .unwrap()
        );
    }

    #[test]
    fn workspace_hashes_agree_with_the_argon2_crate_both_ways() {
        let mut space = Workspace::default();
        for pepper in [None, Some(&b"pepper"[..])] {
            let ours = space.hash(pepper, "lantern mosaic tulip").unwrap();
            assert!(
                ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
                "{ours}"
            );
            assert!(they_verify(pepper, "lantern mosaic tulip", &ours));
            assert!(!they_verify(pepper, "lantern mosaic tulips", &ours));
            let theirs = their_hash(pepper, "lantern mosaic tulip");
            assert!(
                space
                    .verify(pepper, "lantern mosaic tulip", &theirs)
                    .unwrap()
            );
            assert!(
                !space
                    .verify(pepper, "lantern mosaic tulips", &theirs)
                    .unwrap()
            );
        }
        // Older, smaller parameters on record still verify (the memory grows as needed).
        let small = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8, 1, 1, None).unwrap(),
        );
        use argon2::password_hash::PasswordHasher as _;
        let old = small.hash_password(b"older hash").unwrap().to_string();
        assert!(space.verify(None, "older hash", &old).unwrap());
        assert!(space.verify(None, "other", &old).is_ok_and(|ok| !ok));
    }

    /// A stored hash made by another implementation (the reference C code, through
    /// `argon2-cffi`) with the service's parameters: hashes stored before an upgrade of
    /// the `argon2` crate keep verifying.
    #[test]
    fn a_stored_hash_from_another_implementation_still_verifies() {
        let stored = "$argon2id$v=19$m=19456,t=2,p=1$yCjuSfoy1/rkmrKyWR877g$vVWUHoszhKuff3yKyNP9+S1tDyXUuMyOE6KHpLiZzgs";
        let mut space = Workspace::default();
        assert!(
            space
                .verify(None, "violet harbor piano meadow", stored)
                .unwrap()
        );
        assert!(
            !space
                .verify(None, "violet harbor piano meadoW", stored)
                .unwrap()
        );
    }

    #[tokio::test]
    async fn a_full_queue_answers_overloaded_instead_of_growing() {
        let hasher = PasswordHasher::new(None, 1, 1).unwrap();
        let held = hasher.inner.permits.acquire().await.unwrap();
        let first = hasher.reserve().unwrap();
        let refused = hasher.verify("lantern mosaic tulip", None).await;
        assert!(matches!(refused, Err(DomainError::Overloaded { .. })));
        drop(first);
        assert!(
            hasher.reserve().is_ok(),
            "a dropped turn gives its place back"
        );
        drop(held);
    }
}
