//! Regions and the providers and partitions they belong to.

use super::ids::RegionId;

/// The five services copysim models. One provider per region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provider {
    /// Oracle Cloud Infrastructure Block Volume.
    Oci,
    /// Amazon FSx for Lustre.
    AwsFsx,
    /// IBM Cloud Backup for VPC.
    IbmVpc,
    /// Huawei Cloud Backup and Recovery (sharing).
    HuaweiCbr,
    /// Amazon EBS snapshots.
    AwsEbs,
}

impl Provider {
    /// Every provider, in a fixed order.
    pub const ALL: [Provider; 5] =
        [Provider::Oci, Provider::AwsFsx, Provider::IbmVpc, Provider::HuaweiCbr, Provider::AwsEbs];

    /// The name used in scenario files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Oci => "oci",
            Provider::AwsFsx => "aws_fsx",
            Provider::IbmVpc => "ibm_vpc",
            Provider::HuaweiCbr => "huawei_cbr",
            Provider::AwsEbs => "aws_ebs",
        }
    }

    /// Parses a scenario name.
    pub fn parse(s: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.name() == s)
    }
}

/// An AWS-style partition: copies never cross partitions on FSx.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Partition {
    /// The commercial regions.
    Commercial,
    /// China (Beijing, Ningxia).
    China,
    /// AWS GovCloud (US-East, US-West).
    Govcloud,
}

impl Partition {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Partition::Commercial => "commercial",
            Partition::China => "china",
            Partition::Govcloud => "govcloud",
        }
    }
    /// Parses a scenario name.
    pub fn parse(s: &str) -> Option<Partition> {
        [Partition::Commercial, Partition::China, Partition::Govcloud].into_iter().find(|p| p.name() == s)
    }
}

/// A region of one provider.
#[derive(Clone, Debug)]
pub struct Region {
    /// This region's id.
    pub id: RegionId,
    /// Its name, e.g. `us-east-1`, `uk-london-1`, `ca-mon`.
    pub name: String,
    /// A short code used by OCI policies (`lhr`, `fra`); matches as well as the name.
    pub code: Option<String>,
    /// The provider that runs it.
    pub provider: Provider,
    /// Its partition.
    pub partition: Partition,
    /// An opt-in region (FSx: no cross-region copies to or from it).
    pub opt_in: bool,
    /// Whether cross-region copies may start or end here (IBM: not in ca-mon, in-che).
    pub cross_region_copy: bool,
}

impl Region {
    /// True when `s` is this region's name or short code.
    pub fn is_called(&self, s: &str) -> bool {
        self.name == s || self.code.as_deref() == Some(s)
    }
}
