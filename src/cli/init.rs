//! `copysim init [--provider P]`: prints a commented starter scenario that validates as it is.

use super::{CliError, out};
use crate::providers::registry;

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Whose rules the starter uses: aws_ebs, oci, aws_fsx, ibm_vpc or huawei_cbr.
    #[arg(long, default_value = "aws_ebs")]
    pub provider: String,
}

/// The starter scenario for `provider` (each provider's `CopyRules::starter_scenario`).
pub fn starter(provider: &str) -> Option<&'static str> {
    registry::parse(provider).map(|p| crate::providers::rules(p).starter_scenario())
}

/// Runs the subcommand: the starter goes to stdout (`copysim init > my.toml`).
pub fn exec(args: Args) -> Result<(), CliError> {
    let text = starter(&args.provider).ok_or_else(|| {
        CliError::Input(format!("--provider {}: expected one of {}", args.provider, registry::names().join(", ")))
    })?;
    out(text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_a_starter_for_every_provider_and_each_validates() {
        for p in registry::all().iter().map(|r| r.provider()) {
            let text = starter(p.name()).unwrap_or_else(|| panic!("no starter for {}", p.name()));
            let s = crate::scenario::parse(text, &format!("init/{}.toml", p.name()))
                .unwrap_or_else(|e| panic!("{}: {e}", p.name()));
            assert!(s.world.regions.iter().all(|r| r.provider == p), "{}", p.name());
        }
    }
}
