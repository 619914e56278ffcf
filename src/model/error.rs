//! A provider's answer to a request that failed or was refused: a stable code and a message,
//! kept typed from the rule that raises it to the summary that counts it.

use std::fmt;

/// A provider-style error: `code` is what a program matches on (the summary counts codes;
/// tests compare them), `message` what a person reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderError {
    /// The service's error code, e.g. `InvalidRegion`, `BackupService.ShareLimit`. EBS reports a
    /// key failure only as a state message, which is then the code (with an empty message).
    pub code: &'static str,
    /// Details, worded as the service would.
    pub message: String,
}

impl ProviderError {
    /// An error with `code` and `message`.
    pub fn new(code: &'static str, message: impl fmt::Display) -> Self {
        Self { code, message: message.to_string() }
    }

    /// An error that is only a code (or a state message).
    pub fn code(code: &'static str) -> Self {
        Self { code, message: String::new() }
    }
}

/// `code: message`, or the code alone — the text of the `error` column.
impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() { f.write_str(self.code) } else { write!(f, "{}: {}", self.code, self.message) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_code_colon_message_or_the_code_alone() {
        assert_eq!(ProviderError::new("InvalidRegion", "no such region").to_string(), "InvalidRegion: no such region");
        assert_eq!(ProviderError::code("Given key ID is not accessible").to_string(), "Given key ID is not accessible");
    }
}
