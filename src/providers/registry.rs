//! The provider registry: the one list of the clouds copysim models. A provider's position
//! here is its [`Provider::index`]; scenario names, per-provider parameter tables, default
//! prices and `[providers.<name>]` tables all come from this list. Adding a provider is a new
//! file with its [`CopyRules`] and one line here (see `docs/extending.md`).

use super::{CopyRules, aws_ebs, aws_fsx, huawei_cbr, ibm_vpc, oci};
use crate::model::{Provider, ProviderParams, World};

/// Every provider, in registry order: entry `i` is the provider whose `index()` is `i`.
#[rustfmt::skip]
static REGISTRY: &[&dyn CopyRules] = &[
    &oci::Oci,
    &aws_fsx::AwsFsx,
    &ibm_vpc::IbmVpc,
    &huawei_cbr::HuaweiCbr,
    &aws_ebs::AwsEbs,
];

/// Every provider's rules, in registry order.
pub fn all() -> &'static [&'static dyn CopyRules] {
    REGISTRY
}

/// The rules for `provider`.
pub fn rules(provider: Provider) -> &'static dyn CopyRules {
    // A `Provider` is only made by the provider files' constants, whose indices the
    // registry test checks: the index is always in range.
    REGISTRY[provider.index()]
}

/// The provider named `name` in scenario files, if any.
pub fn parse(name: &str) -> Option<Provider> {
    REGISTRY.iter().map(|r| r.provider()).find(|p| p.name() == name)
}

/// Every provider's scenario name, in registry order.
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|r| r.provider().name()).collect()
}

/// Every provider's default parameters, indexed by [`Provider::index`].
pub fn default_params() -> Vec<ProviderParams> {
    REGISTRY.iter().map(|r| r.default_params()).collect()
}

/// An empty world with every provider's default parameters (and the names of the keys they
/// keep per account and region: [`CopyRules::default_key_name`]).
pub fn new_world() -> World {
    let mut world = World::new(default_params());
    world.default_key_names = REGISTRY.iter().map(|r| r.default_key_name()).collect();
    world
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::{AWS_EBS, AWS_FSX, IBM_VPC, OCI};

    #[test]
    fn each_entry_sits_at_its_own_index_under_a_unique_name() {
        for (i, r) in all().iter().enumerate() {
            assert_eq!(r.provider().index(), i, "{}", r.provider().name());
            assert_eq!(parse(r.provider().name()), Some(r.provider()));
        }
        let mut names = names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all().len(), "provider names are unique");
    }

    #[test]
    fn documented_quotas() {
        // OCI "up to ten concurrent backups per tenancy ... from a specific source region";
        // FSx 5 in-progress copies per destination region; EBS "up to twenty concurrent snapshot copy requests".
        assert_eq!(rules(OCI).default_params().copy_concurrency, 10);
        assert_eq!(rules(AWS_FSX).default_params().copy_concurrency, 5);
        assert_eq!(rules(AWS_EBS).default_params().copy_concurrency, 20);
    }

    #[test]
    fn ibm_default_throughput_makes_a_3tb_copy_take_12_5_hours() {
        // "For example, creating a copy of a 3-TB storage volume in a remote region can take over
        // 12.5 hours." The figure is the calibration point: 3 TB in 12.5 h, to the second.
        let p = rules(IBM_VPC).default_params();
        let ms = 3_000_000_000_000u128 * 1000 / u128::from(p.copy_cap_bytes_per_s);
        assert_eq!(ms.div_ceil(1000), 45_000, "{ms} ms");
    }
}
