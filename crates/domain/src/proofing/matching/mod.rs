//! The match rules of `shared/spec/records.md` (written by the matching work in progress).
