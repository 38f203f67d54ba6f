//! [`Arg`]: a value a message is given (words, or a number that picks plural forms).

/// An argument of a message: words, or a number (which picks plural forms).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Words(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Words(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Words(value)
    }
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Number(value)
    }
}

impl From<&i64> for Arg {
    fn from(value: &i64) -> Self {
        Arg::Number(*value)
    }
}

/// What a template loop hands over.
impl From<&&i64> for Arg {
    fn from(value: &&i64) -> Self {
        Arg::Number(**value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Words(value.clone())
    }
}

impl From<u64> for Arg {
    fn from(value: u64) -> Self {
        Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Arg {
    fn from(value: usize) -> Self {
        Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<u32> for Arg {
    fn from(value: u32) -> Self {
        Arg::Number(i64::from(value))
    }
}
