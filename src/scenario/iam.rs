//! `[accounts.iam]`: IAM policy statements parsed by the provider whose policy language they are
//! written in ([`policy_parser`](crate::providers::CopyRules::policy_parser); OCI's), with their
//! errors placed at the right column of the raw string (escapes and multi-line strings
//! included), and conditions that name a region no `[[regions]]` table declares (by name or
//! code) refused: such a condition can never match.

use super::build::Ctx;
use super::file::{IamFile, S};
use super::strings::raw_offset;
use crate::model::iam::{Cond, Var};
use crate::model::{IamPolicy, World};
use crate::providers::{PolicyParser, registry};

/// The account's IAM policy; every statement that does not parse or names an unknown region is
/// reported (and left out).
pub(super) fn build_iam(ctx: &mut Ctx<'_>, world: &World, iam: &IamFile) -> IamPolicy {
    let mut statements = Vec::new();
    let Some(parse) = policy_parser(ctx, iam) else {
        return IamPolicy { group: iam.group.get_ref().clone(), statements };
    };
    for s in &iam.statements {
        match parse(s.get_ref()) {
            Ok(st) => {
                if check_regions(ctx, world, s, st.condition.as_ref()) {
                    statements.push(st);
                }
            }
            Err(e) => {
                let at = at_decoded(ctx, s, e.offset);
                ctx.err(at..at, "statements", format!("bad policy statement: {}", e.message));
            }
        }
    }
    IamPolicy { group: iam.group.get_ref().clone(), statements }
}

/// The policy language `[accounts.iam]` is written in: that of the provider that has IAM
/// policies (`CopyRules::policy_parser`; OCI is the only one today — a second would need the
/// table to say which language it is in). None at all is an error at the table's `group`.
fn policy_parser(ctx: &mut Ctx<'_>, iam: &IamFile) -> Option<PolicyParser> {
    let parser = registry::all().iter().find_map(|r| r.policy_parser());
    if parser.is_none() {
        ctx.err(iam.group.span(), "iam", "no provider governs copies by IAM policy statements");
    }
    parser
}

/// The source offset of byte `decoded` of string `s`'s value.
fn at_decoded(ctx: &Ctx<'_>, s: &S, decoded: usize) -> usize {
    let span = s.span();
    let raw = ctx.src().get(span.clone()).unwrap_or("");
    span.start + raw_offset(raw, decoded)
}

/// True when every region a condition names is declared; otherwise each unknown one is an error.
fn check_regions(ctx: &mut Ctx<'_>, world: &World, s: &S, cond: Option<&Cond>) -> bool {
    let mut names = Vec::new();
    if let Some(c) = cond {
        region_values(c, &mut names);
    }
    let mut ok = true;
    // Where to look for the next `'value'`: a region named twice is placed at each naming.
    let mut from: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for value in names {
        if world.regions.iter().any(|r| r.is_called(&value)) {
            continue;
        }
        if ctx.is_broken("region", &value) {
            ok = false; // the region's own mistake is reported where it is declared
            continue;
        }
        let quoted = format!("'{value}'");
        let after = from.get(&value).copied().unwrap_or(0);
        let decoded = s.get_ref().get(after..).and_then(|rest| rest.find(&quoted)).map_or(0, |i| after + i + 1);
        from.insert(value.clone(), decoded + value.len());
        let (at, end) = (at_decoded(ctx, s, decoded), at_decoded(ctx, s, decoded + value.len()));
        // A blank code or name is refused where it is declared: not listed.
        let known: Vec<String> = world
            .regions
            .iter()
            .map(|r| r.code.clone().filter(|c| !c.trim().is_empty()).unwrap_or_else(|| r.name.clone()))
            .filter(|k| !k.trim().is_empty())
            .collect();
        ctx.err(
            at..end,
            "statements",
            format!("the condition names region `{value}`, which no [[regions]] table declares by name or code (declared: {})", known.join(", ")),
        );
        ok = false;
    }
    ok
}

fn region_values(c: &Cond, out: &mut Vec<String>) {
    match c {
        Cond::Cmp { var: Var::RequestRegion | Var::TargetRegion, value, .. } => out.push(value.clone()),
        Cond::Cmp { .. } => {}
        Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| region_values(c, out)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn iam_statements_are_parsed_by_the_provider_that_has_iam_policies() {
        let text = "name = \"t\"\nstart = \"2026-01-01T00:00:00Z\"\nhorizon = \"1d\"\n\
            [[regions]]\nname = \"a\"\nprovider = \"oci\"\n\
            [[accounts]]\nname = \"acct\"\n[accounts.iam]\ngroup = \"G\"\n\
            statements = [\"Allow group G to manage volume-backups in tenancy\"]\n";
        let s = crate::scenario::parse(text, "t.toml").expect("valid");
        let iam = s.world.accounts[0].iam.as_ref().expect("an IAM policy");
        assert_eq!(iam.statements.len(), 1);
        let oci = crate::providers::rules(crate::providers::OCI);
        assert!(oci.policy_parser().is_some(), "OCI's statements are OCI's to parse");
        let others = crate::providers::registry::all().iter().filter(|r| r.policy_parser().is_some()).count();
        assert_eq!(others, 1, "one policy language: `[accounts.iam]` needs no field saying which");
    }
}
