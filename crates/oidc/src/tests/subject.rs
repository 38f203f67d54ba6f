use crate::pairwise_sub;

const SECRET: &[u8] = b"pairwise-secret-32-bytes-long!!!";

#[test]
fn same_account_and_sector_always_get_the_same_sub() {
    let first = pairwise_sub(SECRET, "rp.example.gov", "acct-1");
    assert_eq!(first, pairwise_sub(SECRET, "rp.example.gov", "acct-1"));
    assert_eq!(first.len(), 43);
    assert!(
        first
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
}

#[test]
fn each_sector_sees_a_different_sub_for_one_account() {
    assert_ne!(
        pairwise_sub(SECRET, "rp-a.example.gov", "acct-1"),
        pairwise_sub(SECRET, "rp-b.example.gov", "acct-1")
    );
}

#[test]
fn different_accounts_and_secrets_give_different_subs() {
    assert_ne!(
        pairwise_sub(SECRET, "rp", "acct-1"),
        pairwise_sub(SECRET, "rp", "acct-2")
    );
    assert_ne!(
        pairwise_sub(SECRET, "rp", "acct-1"),
        pairwise_sub(b"another secret", "rp", "acct-1")
    );
}

#[test]
fn sector_and_account_cannot_trade_characters() {
    assert_ne!(
        pairwise_sub(SECRET, "ab", "c"),
        pairwise_sub(SECRET, "a", "bc")
    );
}
