//! Duplicate names: every name a scenario declares is declared once. A second declaration is an
//! error at the second occurrence that names the line of the first. Regions, accounts, keys,
//! volumes, fleets and instances are checked where they are built; schedules, policies, plans,
//! vaults, region codes, cost prices and the items of `grants`, `share_with` and `tags` lists
//! here, on the raw file.

use std::collections::BTreeMap;

use super::build::Ctx;
use super::file::{S, ScenarioFile};

/// The names of one kind seen so far, with the line of each first declaration.
pub(super) struct Declared {
    what: &'static str,
    first: BTreeMap<String, usize>,
}

impl Declared {
    /// An empty set of `what`s (`"schedule"`, `"vault"`, …).
    pub(super) fn new(what: &'static str) -> Self {
        Declared { what, first: BTreeMap::new() }
    }

    /// True the first time `name` is seen; after that an error at `name` naming the first line.
    pub(super) fn first(&mut self, ctx: &mut Ctx<'_>, name: &S, field: &str) -> bool {
        let line = ctx.line_of(name.span().start);
        match self.first.get(name.get_ref()) {
            None => {
                self.first.insert(name.get_ref().clone(), line);
                true
            }
            Some(&first) => {
                let message = format!("{} `{}` is declared twice (first at line {first})", self.what, name.get_ref());
                ctx.err(name.span(), field, message);
                false
            }
        }
    }

    /// The line `name` was first declared on, if it was.
    pub(super) fn line(&self, name: &str) -> Option<usize> {
        self.first.get(name).copied()
    }
}

/// The first of `names` equal to `name` (the earlier declaration of a duplicate).
pub(super) fn first_named<'a>(names: impl IntoIterator<Item = &'a S>, name: &str) -> Option<&'a S> {
    names.into_iter().find(|n| n.get_ref() == name)
}

/// Reports a second declaration of `name`, the first being `first`.
pub(super) fn twice(ctx: &mut Ctx<'_>, what: &str, name: &S, first: Option<&S>) {
    let line = first.map_or(0, |f| ctx.line_of(f.span().start));
    ctx.err(name.span(), "name", format!("{what} `{}` is declared twice (first at line {line})", name.get_ref()));
}

/// Reports a fleet whose name is already a volume's or an earlier fleet's.
pub(super) fn fleet_twice(ctx: &mut Ctx<'_>, raw: &ScenarioFile, name: &S) {
    let all = raw.volumes.iter().map(|v| &v.name).chain(raw.fleets.iter().map(|f| &f.name));
    let line = first_named(all, name.get_ref()).map_or(0, |f| ctx.line_of(f.span().start));
    let name_s = name.get_ref();
    let message = format!(
        "fleet `{name_s}` is declared twice: `{name_s}` already names a volume or fleet (first at line {line})"
    );
    ctx.err(name.span(), "name", message);
}

/// Duplicates that need no resolution: schedules, policies (and a policy named like a schedule),
/// plans within a policy, vaults within an account, region codes.
pub(super) fn check(ctx: &mut Ctx<'_>, raw: &ScenarioFile) {
    let mut schedules = Declared::new("schedule");
    for s in &raw.schedules {
        schedules.first(ctx, &s.name, "name");
    }
    let mut policies = Declared::new("policy");
    for p in &raw.policies {
        if let Some(line) = schedules.line(p.name.get_ref()) {
            let message = format!(
                "`{}` already names a schedule (line {line}); events could not tell them apart",
                p.name.get_ref()
            );
            ctx.err(p.name.span(), "name", message);
        }
        policies.first(ctx, &p.name, "name");
        let mut plans = Declared::new("plan");
        for plan in &p.plans {
            plans.first(ctx, &plan.name, "name");
        }
    }
    for a in &raw.accounts {
        let mut vaults = Declared::new("vault");
        for v in &a.vaults {
            vaults.first(ctx, &v.name, "name");
        }
    }
    check_blank(ctx, raw);
    check_codes(ctx, raw);
    check_prices(ctx, raw);
    check_lists(ctx, raw);
}

/// Every declared name holds a visible character: a blank one could not be told apart in the
/// reports' rows, nor referred to (keys are checked where they are built).
fn check_blank(ctx: &mut Ctx<'_>, raw: &ScenarioFile) {
    let named = (raw.regions.iter().map(|r| ("region", &r.name)))
        .chain(raw.accounts.iter().map(|a| ("account", &a.name)))
        .chain(raw.accounts.iter().flat_map(|a| a.vaults.iter().map(|v| ("vault", &v.name))))
        .chain(raw.volumes.iter().map(|v| ("volume", &v.name)))
        .chain(raw.fleets.iter().map(|f| ("fleet", &f.name)))
        .chain(raw.instances.iter().map(|i| ("instance", &i.name)))
        .chain(raw.schedules.iter().map(|s| ("schedule", &s.name)))
        .chain(raw.policies.iter().map(|p| ("policy", &p.name)))
        .chain(raw.policies.iter().flat_map(|p| p.plans.iter().map(|plan| ("plan", &plan.name))));
    let blank: Vec<(&str, &S)> = named.filter(|(_, n)| n.get_ref().trim().is_empty()).collect();
    for (what, name) in blank {
        let found = if name.get_ref().is_empty() { "an empty string" } else { "only blanks" };
        let a = if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        ctx.err(
            name.span(),
            "name",
            format!("expected {a} {what} name, found {found} (the reports could not show it)"),
        );
    }
}

/// Lists that name each thing once: a key's `grants`, a schedule's or plan's `share_with`, and
/// the `tags` of volumes, fleets, instances and policies. A repeat would be silently merged (or
/// shared twice), so it is an error at the repeat that names the line of the first.
fn check_lists(ctx: &mut Ctx<'_>, raw: &ScenarioFile) {
    for k in &raw.keys {
        listed_once(ctx, &k.grants, "grants", "account");
    }
    for s in &raw.schedules {
        listed_once(ctx, &s.share_with, "share_with", "account");
    }
    for p in &raw.policies {
        listed_once(ctx, &p.tags, "tags", "tag");
        for plan in &p.plans {
            listed_once(ctx, &plan.share_with, "share_with", "account");
        }
    }
    let tagged = raw.volumes.iter().map(|v| &v.tags);
    for tags in tagged.chain(raw.fleets.iter().map(|f| &f.tags)).chain(raw.instances.iter().map(|i| &i.tags)) {
        listed_once(ctx, tags, "tags", "tag");
    }
}

/// Most user tags on one volume, fleet, instance or policy: IBM's figure ("You can add up to
/// 1,000 user tags for your resources"); the other documents give none. Every backup row
/// carries its volume's tags, so this bounds a row.
pub const MAX_TAGS: usize = 1_000;
/// Longest tag, in bytes (IBM's and AWS's tag keys: 128 characters).
pub const MAX_TAG_BYTES: usize = 128;

/// Every item of `items` equal to an earlier one is an error in `field` naming the first's line.
fn listed_once(ctx: &mut Ctx<'_>, items: &[S], field: &str, what: &str) {
    if field == "tags" {
        if let Some(past) = items.get(MAX_TAGS) {
            let message = format!(
                "expected at most {MAX_TAGS} tags (IBM: \"You can add up to 1,000 user tags for your resources\"), found {}",
                items.len()
            );
            ctx.err(past.span(), field, message);
            return;
        }
        for item in items.iter().filter(|t| t.get_ref().len() > MAX_TAG_BYTES) {
            let message = format!("expected a tag of at most {MAX_TAG_BYTES} bytes, found {}", item.get_ref().len());
            ctx.err(item.span(), field, message);
        }
    }
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items {
        // An empty account name is an unknown account, said where it is looked up.
        if field == "tags" && item.get_ref().trim().is_empty() {
            ctx.err(item.span(), field, "expected a tag, found an empty string (a policy could never select it)");
            continue;
        }
        let start = *first.entry(item.get_ref()).or_insert(item.span().start);
        if start != item.span().start {
            let line = ctx.line_of(start);
            let message = format!("{what} `{}` is listed twice (first at line {line})", item.get_ref());
            ctx.err(item.span(), field, message);
        }
    }
}

/// One price per provider (and region), one per region pair: a second would silently win.
fn check_prices(ctx: &mut Ctx<'_>, raw: &ScenarioFile) {
    let Some(cost) = &raw.cost else { return };
    let mut prices: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
    for p in &cost.get_ref().prices {
        let key = (p.provider.get_ref().clone(), p.region.as_ref().map(|r| r.get_ref().clone()));
        let line = ctx.line_of(p.provider.span().start);
        if let Some(first) = prices.insert(key.clone(), line) {
            prices.insert(key, first);
            let scope = p.region.as_ref().map_or(String::new(), |r| format!(" in {}", r.get_ref()));
            let message =
                format!("prices for {}{scope} are declared twice (first at line {first})", p.provider.get_ref());
            ctx.err(p.provider.span(), "provider", message);
        }
    }
    let mut pairs: BTreeMap<(String, String), usize> = BTreeMap::new();
    for t in &cost.get_ref().transfer {
        let key = (t.from.get_ref().clone(), t.to.get_ref().clone());
        let line = ctx.line_of(t.from.span().start);
        if let Some(first) = pairs.insert(key.clone(), line) {
            pairs.insert(key, first);
            let message = format!(
                "the transfer price {} → {} is declared twice (first at line {first})",
                t.from.get_ref(),
                t.to.get_ref()
            );
            ctx.err(t.from.span(), "from", message);
        }
    }
}

/// A region's `code` answers like its name in OCI policies: it must not collide with another
/// region's code or name.
fn check_codes(ctx: &mut Ctx<'_>, raw: &ScenarioFile) {
    let mut codes = Declared::new("region code");
    for (i, r) in raw.regions.iter().enumerate() {
        let Some(code) = &r.code else { continue };
        if code.get_ref().trim().is_empty() {
            ctx.err(code.span(), "code", "expected a short region code like `lhr`, found an empty string");
            continue;
        }
        if let Some(other) = raw.regions.iter().enumerate().find(|(j, o)| *j != i && o.name.get_ref() == code.get_ref())
        {
            let line = ctx.line_of(other.1.name.span().start);
            let message = format!("region code `{}` is the name of another region (line {line})", code.get_ref());
            ctx.err(code.span(), "code", message);
            continue;
        }
        codes.first(ctx, code, "code");
    }
}
