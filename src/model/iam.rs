//! IAM policy statements as plain model data: an account holds them, the rules of the provider
//! whose policy language they are written in (today OCI's) parse and evaluate them. Kept in the
//! model so that `model` never imports `providers` (the dependency runs one way).

use std::fmt;

/// A statement that does not parse, at a byte offset within the statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyParseError {
    /// Byte offset in the statement.
    pub offset: usize,
    /// What was expected.
    pub message: String,
}

impl fmt::Display for PolicyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset + 1)
    }
}

/// An IAM verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verb {
    /// List.
    Inspect,
    /// Read.
    Read,
    /// Use.
    Use,
    /// Everything.
    Manage,
}

/// A resource type the statements can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    /// The individual `volume-backups` type (includes `VOLUME_BACKUP_COPY` at `use`).
    VolumeBackups,
    /// The aggregate `volume-family` (never includes `VOLUME_BACKUP_COPY`).
    VolumeFamily,
}

/// A condition variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Var {
    /// `request.permission`.
    Permission,
    /// `request.region`.
    RequestRegion,
    /// `target.region`.
    TargetRegion,
}

/// A `where` clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cond {
    /// `var = 'value'` (or `!=` when `negated`).
    Cmp {
        /// The variable.
        var: Var,
        /// The value compared with.
        value: String,
        /// `!=`.
        negated: bool,
    },
    /// `all {...}`.
    All(Vec<Cond>),
    /// `any {...}`.
    Any(Vec<Cond>),
}

/// One parsed `Allow` statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The group it grants.
    pub group: String,
    /// The verb.
    pub verb: Verb,
    /// The resource type.
    pub resource: Resource,
    /// The optional condition.
    pub condition: Option<Cond>,
    /// The statement's text, for reports.
    pub text: String,
}
