//! Regions and the providers and partitions they belong to.

use super::ids::RegionId;

/// A cloud service whose rules govern a region: an opaque handle into the provider registry
/// (`providers::registry`), which alone knows how many there are and what each one does. The
/// model only carries it around, indexes per-provider tables with it and prints its name.
#[derive(Clone, Copy, Debug)]
pub struct Provider {
    index: u8,
    name: &'static str,
}

impl Provider {
    /// The provider at `index` in the registry, named `name` in scenario files and reports.
    pub const fn new(index: u8, name: &'static str) -> Self {
        Self { index, name }
    }

    /// Its position in the registry (per-provider tables are indexed by it).
    pub const fn index(self) -> usize {
        self.index as usize
    }

    /// The name used in scenario files and reports.
    pub const fn name(self) -> &'static str {
        self.name
    }
}

impl PartialEq for Provider {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}

impl Eq for Provider {}

impl PartialOrd for Provider {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Provider {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.index.cmp(&other.index)
    }
}

impl std::hash::Hash for Provider {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.index.hash(state);
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
