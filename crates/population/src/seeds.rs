//! Seeds: every person and every block of 100 draws from its own generator, seeded from
//! the population's seed and its index, so any part can be made again alone.

/// SplitMix64 finaliser.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Two numbers mixed into one well-spread seed.
pub(crate) fn mix(seed: u64, index: u64) -> u64 {
    splitmix(splitmix(seed) ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93))
}
