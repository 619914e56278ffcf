//! OCI IAM policy statements: a parser for the subset the copy documents use, and the evaluator the OCI rules ask.
//! (The statements themselves are model data, [`crate::model::iam`], so accounts hold them without
//! the model depending on this module.)
//!
//! Grammar: `Allow group <name> to <verb> <resource> in tenancy [where <cond>]`, where
//! `<cond>` is `<var> = '<value>'`, `<var> != '<value>'`, `all {<cond>, ...}` or
//! `any {<cond>, ...}`; variables are `request.permission`, `request.region` and
//! `target.region`. Verbs nest: inspect ⊂ read ⊂ use ⊂ manage.

pub use crate::model::iam::{Cond, Resource, Statement, Var, Verb};

/// A parse error at a byte offset within the statement.
pub type ParseError = crate::model::iam::PolicyParseError;

/// The three permissions a cross-region copy needs.
pub const VOLUME_BACKUP_READ: &str = "VOLUME_BACKUP_READ";
/// Needed in the source region.
pub const VOLUME_BACKUP_COPY: &str = "VOLUME_BACKUP_COPY";
/// Needed in the destination region.
pub const VOLUME_BACKUP_CREATE: &str = "VOLUME_BACKUP_CREATE";

/// The permissions `verb` grants on `resource` (the subset that matters to copies).
pub fn permissions(verb: Verb, resource: Resource) -> &'static [&'static str] {
    match (resource, verb) {
        (_, Verb::Inspect) => &["VOLUME_BACKUP_INSPECT"],
        (_, Verb::Read) => &["VOLUME_BACKUP_INSPECT", VOLUME_BACKUP_READ],
        (Resource::VolumeBackups, Verb::Use) => {
            &["VOLUME_BACKUP_INSPECT", VOLUME_BACKUP_READ, "VOLUME_BACKUP_UPDATE", VOLUME_BACKUP_COPY]
        }
        (Resource::VolumeFamily, Verb::Use) => &["VOLUME_BACKUP_INSPECT", VOLUME_BACKUP_READ, "VOLUME_BACKUP_UPDATE"],
        (Resource::VolumeBackups, Verb::Manage) => &[
            "VOLUME_BACKUP_INSPECT",
            VOLUME_BACKUP_READ,
            "VOLUME_BACKUP_UPDATE",
            VOLUME_BACKUP_COPY,
            VOLUME_BACKUP_CREATE,
            "VOLUME_BACKUP_DELETE",
        ],
        // "The aggregate resource type volume-family does not include the VOLUME_BACKUP_COPY permission"
        (Resource::VolumeFamily, Verb::Manage) => &[
            "VOLUME_BACKUP_INSPECT",
            VOLUME_BACKUP_READ,
            "VOLUME_BACKUP_UPDATE",
            VOLUME_BACKUP_CREATE,
            "VOLUME_BACKUP_DELETE",
        ],
    }
}

/// The request a statement is evaluated against.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The permission asked for.
    pub permission: &'a str,
    /// Names the region the request is made in answers to (name and short code).
    pub request_region: &'a [&'a str],
    /// Names the copy's target region answers to.
    pub target_region: &'a [&'a str],
}

impl Cond {
    fn eval(&self, req: &Request<'_>) -> bool {
        match self {
            Cond::Cmp { var, value, negated } => {
                let hit = match var {
                    Var::Permission => req.permission == value,
                    Var::RequestRegion => req.request_region.iter().any(|r| r == value),
                    Var::TargetRegion => req.target_region.iter().any(|r| r == value),
                };
                hit != *negated
            }
            Cond::All(cs) => cs.iter().all(|c| c.eval(req)),
            Cond::Any(cs) => cs.iter().any(|c| c.eval(req)),
        }
    }
}

impl Statement {
    /// Whether this statement grants `group` the request.
    pub fn allows(&self, group: &str, req: &Request<'_>) -> bool {
        self.group == group
            && permissions(self.verb, self.resource).contains(&req.permission)
            && self.condition.as_ref().is_none_or(|c| c.eval(req))
    }
}

/// Whether any of `statements` grants `group` the request.
pub fn allowed(statements: &[Statement], group: &str, req: &Request<'_>) -> bool {
    statements.iter().any(|s| s.allows(group, req))
}

/// How deep `all {…}` and `any {…}` may nest. OCI's own examples nest two levels; the limit
/// keeps parsing, evaluating and dropping a condition within any thread's stack.
pub const MAX_NESTING: usize = 32;

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    /// `all`/`any` blocks open at `pos`.
    depth: usize,
}

impl<'a> Parser<'a> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { offset: self.pos.min(self.src.len()), message: message.into() })
    }
    fn skip_ws(&mut self) {
        while self.src[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.src[self.pos..].chars().next().map_or(1, char::len_utf8);
        }
    }
    fn word(&mut self) -> &'a str {
        self.skip_ws();
        let start = self.pos;
        let rest = &self.src[start..];
        let len =
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')).unwrap_or(rest.len());
        self.pos += len;
        &self.src[start..start + len]
    }
    fn keyword(&mut self, kw: &str) -> Result<(), ParseError> {
        let save = self.pos;
        let w = self.word();
        if w.eq_ignore_ascii_case(kw) {
            Ok(())
        } else {
            self.pos = save;
            self.skip_ws();
            self.err(format!("expected `{kw}`, found `{w}`"))
        }
    }
    fn punct(&mut self, p: &str) -> bool {
        self.skip_ws();
        if self.src[self.pos..].starts_with(p) {
            self.pos += p.len();
            true
        } else {
            false
        }
    }
    fn quoted(&mut self) -> Result<String, ParseError> {
        self.skip_ws();
        if !self.punct("'") {
            return self.err("expected a quoted value like 'lhr'");
        }
        let rest = &self.src[self.pos..];
        match rest.find('\'') {
            Some(end) => {
                let v = rest[..end].to_string();
                self.pos += end + 1;
                Ok(v)
            }
            None => self.err("unterminated quoted value"),
        }
    }
    fn cond(&mut self) -> Result<Cond, ParseError> {
        let save = self.pos;
        let w = self.word();
        match w.to_ascii_lowercase().as_str() {
            "all" | "any" => {
                if !self.punct("{") {
                    return self.err(format!("expected `{{` after `{w}`"));
                }
                if self.depth == MAX_NESTING {
                    return self.err(format!(
                        "conditions nest more than {MAX_NESTING} levels deep (`all {{…}}`, `any {{…}}`); flatten them"
                    ));
                }
                self.depth += 1;
                let mut items = vec![self.cond()?];
                loop {
                    if self.punct(",") {
                        self.skip_ws();
                        if self.pos >= self.src.len() {
                            return self.err("expected a condition or `}`, found the end of the statement");
                        }
                        items.push(self.cond()?);
                    } else if self.punct("}") {
                        break;
                    } else {
                        return self.err("expected `,` or `}`");
                    }
                }
                self.depth -= 1;
                Ok(if w.eq_ignore_ascii_case("all") { Cond::All(items) } else { Cond::Any(items) })
            }
            "request.permission" | "request.region" | "target.region" => {
                let var = match w.to_ascii_lowercase().as_str() {
                    "request.permission" => Var::Permission,
                    "request.region" => Var::RequestRegion,
                    _ => Var::TargetRegion,
                };
                let negated = if self.punct("!=") {
                    true
                } else if self.punct("=") {
                    false
                } else {
                    return self.err("expected `=` or `!=`");
                };
                let value = self.quoted()?;
                Ok(Cond::Cmp { var, value, negated })
            }
            _ => {
                self.pos = save;
                self.skip_ws();
                self.err(format!(
                    "expected a condition (request.permission, request.region, target.region, all {{...}}, any {{...}}), found `{w}`"
                ))
            }
        }
    }
}

/// Parses one statement.
pub fn parse(text: &str) -> Result<Statement, ParseError> {
    let mut p = Parser { src: text, pos: 0, depth: 0 };
    p.keyword("allow")?;
    p.keyword("group")?;
    let group = p.word().to_string();
    if group.is_empty() {
        return p.err("expected a group name");
    }
    p.keyword("to")?;
    let save = p.pos;
    let verb = match p.word().to_ascii_lowercase().as_str() {
        "inspect" => Verb::Inspect,
        "read" => Verb::Read,
        "use" => Verb::Use,
        "manage" => Verb::Manage,
        other => {
            p.pos = save;
            p.skip_ws();
            return p.err(format!("expected a verb (inspect, read, use, manage), found `{other}`"));
        }
    };
    let save = p.pos;
    let resource = match p.word() {
        "volume-backups" => Resource::VolumeBackups,
        "volume-family" => Resource::VolumeFamily,
        other => {
            p.pos = save;
            p.skip_ws();
            return p.err(format!("expected a resource type (volume-backups, volume-family), found `{other}`"));
        }
    };
    p.keyword("in")?;
    p.keyword("tenancy")?;
    p.skip_ws();
    let condition = if p.pos < text.len() {
        p.keyword("where")?;
        let c = p.cond()?;
        p.skip_ws();
        if p.pos < text.len() {
            return p.err("unexpected text after the condition");
        }
        Some(c)
    } else {
        None
    };
    Ok(Statement { group, verb, resource, condition, text: text.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(perm: &'a str, region: &'a [&'a str], target: &'a [&'a str]) -> Request<'a> {
        Request { permission: perm, request_region: region, target_region: target }
    }

    #[test]
    fn volume_family_does_not_include_copy_but_volume_backups_use_does() {
        // "The aggregate resource type `volume-family` does not include the `VOLUME_BACKUP_COPY` permission"
        let fam = parse("Allow group VolumeAdmins to manage volume-family in tenancy").unwrap();
        assert!(!fam.allows("VolumeAdmins", &req(VOLUME_BACKUP_COPY, &["phx"], &["iad"])));
        // "Allow group VolumeAdmins to use volume-backups in tenancy where request.permission='VOLUME_BACKUP_COPY'"
        let third = parse(
            "Allow group VolumeAdmins to use volume-backups in tenancy where request.permission='VOLUME_BACKUP_COPY'",
        )
        .unwrap();
        assert!(third.allows("VolumeAdmins", &req(VOLUME_BACKUP_COPY, &["phx"], &["iad"])));
        assert!(!third.allows("VolumeAdmins", &req(VOLUME_BACKUP_READ, &["phx"], &["iad"])));
    }

    #[test]
    fn conditions_nested_past_the_limit_are_a_parse_error_not_a_stack_overflow() {
        let nested = |n: usize| {
            format!(
                "Allow group G to manage volume-backups in tenancy where {}request.region = 'iad'{}",
                "all { ".repeat(n),
                " }".repeat(n)
            )
        };
        assert!(parse(&nested(MAX_NESTING)).is_ok());
        let e = parse(&nested(MAX_NESTING + 1)).unwrap_err();
        assert!(e.message.contains("nest more than 32 levels"), "{}", e.message);
        // Far past it (30,000 levels overflowed the stack): the same error, at once.
        let e = parse(&nested(30_000)).unwrap_err();
        assert!(e.message.contains("nest more than"), "{}", e.message);
    }

    #[test]
    fn nested_any_all_parse() {
        let s = parse("Allow group G to use volume-backups in tenancy where all {request.permission='VOLUME_BACKUP_COPY', any {request.region='lhr', request.region='fra'}, any{target.region='fra', target.region='lhr'}}").unwrap();
        assert!(s.allows("G", &req(VOLUME_BACKUP_COPY, &["lhr"], &["fra"])));
        assert!(!s.allows("G", &req(VOLUME_BACKUP_COPY, &["lhr"], &["phx"])));
        assert!(!s.allows("Other", &req(VOLUME_BACKUP_COPY, &["lhr"], &["fra"])));
    }

    #[test]
    fn the_documents_truncated_first_sample_line_is_a_clear_parse_error() {
        // The document prints this statement cut off after `request.region = 'lhr', `.
        let e = parse("Allow group MyTestGroup to use volume-backups in tenancy where all {request.permission='VOLUME_BACKUP_COPY', request.region = 'lhr', ").unwrap_err();
        assert!(e.message.contains("end of the statement"), "{e}");
    }

    #[test]
    fn errors_name_what_was_expected() {
        let e = parse("Allow group G to fly volume-backups in tenancy").unwrap_err();
        assert!(e.message.contains("expected a verb"));
        assert_eq!(e.offset, 17);
        let e = parse("Allow group G to read volume-backups in tenancy where request.region='lhr").unwrap_err();
        assert!(e.message.contains("unterminated"));
    }
}
