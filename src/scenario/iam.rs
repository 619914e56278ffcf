//! `[accounts.iam]`: OCI IAM statements parsed with their errors placed at the right column of
//! the raw string (escapes and multi-line strings included), and conditions that name a region
//! no `[[regions]]` table declares (by name or code) refused: such a condition can never match.

use super::build::Ctx;
use super::file::{IamFile, S};
use super::strings::raw_offset;
use crate::model::{IamPolicy, World};
use crate::providers::oci_iam::{self, Cond, Var};

/// The account's IAM policy; every statement that does not parse or names an unknown region is
/// reported (and left out).
pub(super) fn build_iam(ctx: &mut Ctx<'_>, world: &World, iam: &IamFile) -> IamPolicy {
    let mut statements = Vec::new();
    for s in &iam.statements {
        match oci_iam::parse(s.get_ref()) {
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
    for value in names {
        if world.regions.iter().any(|r| r.is_called(&value)) {
            continue;
        }
        let decoded = s.get_ref().find(&format!("'{value}'")).map_or(0, |i| i + 1);
        let (at, end) = (at_decoded(ctx, s, decoded), at_decoded(ctx, s, decoded + value.len()));
        let known: Vec<String> =
            world.regions.iter().map(|r| r.code.clone().unwrap_or_else(|| r.name.clone())).collect();
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
