//! `copysim init [--provider P]`: prints a commented starter scenario that validates as it is.

use super::{CliError, out};
use crate::model::Provider;

/// Starter scenarios by provider name; each validates and runs (tested below).
const STARTERS: &[(&str, &str)] = &[
    ("aws_ebs", include_str!("../../assets/init/aws_ebs.toml")),
    ("oci", include_str!("../../assets/init/oci.toml")),
    ("aws_fsx", include_str!("../../assets/init/aws_fsx.toml")),
    ("ibm_vpc", include_str!("../../assets/init/ibm_vpc.toml")),
    ("huawei_cbr", include_str!("../../assets/init/huawei_cbr.toml")),
];

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Whose rules the starter uses: aws_ebs, oci, aws_fsx, ibm_vpc or huawei_cbr.
    #[arg(long, default_value = "aws_ebs")]
    pub provider: String,
}

/// The starter scenario for `provider`.
pub fn starter(provider: &str) -> Option<&'static str> {
    STARTERS.iter().find(|(name, _)| *name == provider).map(|(_, text)| *text)
}

/// Runs the subcommand: the starter goes to stdout (`copysim init > my.toml`).
pub fn exec(args: Args) -> Result<(), CliError> {
    let text = starter(&args.provider).ok_or_else(|| {
        let names: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
        CliError::Input(format!("--provider {}: expected one of {}", args.provider, names.join(", ")))
    })?;
    out(text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_a_starter_for_every_provider_and_each_validates() {
        for p in Provider::ALL {
            let text = starter(p.name()).unwrap_or_else(|| panic!("no starter for {}", p.name()));
            let s = crate::scenario::parse(text, &format!("init/{}.toml", p.name()))
                .unwrap_or_else(|e| panic!("{}: {e}", p.name()));
            assert!(s.world.regions.iter().all(|r| r.provider == p), "{}", p.name());
        }
        assert_eq!(STARTERS.len(), Provider::ALL.len());
    }
}
