//! The value of a string enum that this version of the crate does not know.

use std::fmt;

/// A value an API enum sent that this version of the crate has no variant for.
///
/// It can only be made by reading a value: `Tracking::from("yes")` is always
/// `Tracking::Yes`, never an unknown `"yes"`, so two values that read the same compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    // Only string enums read unknown values, and an API may have none.
    #[allow(dead_code)]
    pub(crate) fn new(value: &str) -> UnknownValue {
        UnknownValue(value.to_owned())
    }

    /// The value as the API sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
