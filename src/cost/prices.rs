//! The price book: default prices per provider, each with its public source and as-of date,
//! overridable per scenario, per region and per region pair. Where no public figure was found
//! (OCI, IBM, Huawei, FSx backup storage), the book says so and a scenario that needs the price
//! must supply it.

use std::collections::BTreeMap;

use crate::model::{Provider, RegionId, World};

/// What is priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    /// Backup storage, per GB-month.
    Storage,
    /// Inter-region transfer, per GB.
    Transfer,
    /// Fast restore, per zone-hour (EBS: per DSU-hour per availability zone).
    FastRestore,
}

impl Item {
    /// Report name.
    pub fn name(self) -> &'static str {
        match self {
            Item::Storage => "storage",
            Item::Transfer => "transfer",
            Item::FastRestore => "fast_restore",
        }
    }
    /// Unit of the quantity.
    pub fn unit(self) -> &'static str {
        match self {
            Item::Storage => "GB-day",
            Item::Transfer => "GB",
            Item::FastRestore => "zone-hour",
        }
    }
    /// The scenario field that sets it.
    pub fn field(self) -> &'static str {
        match self {
            Item::Storage => "storage_per_gb_month",
            Item::Transfer => "transfer_per_gb",
            Item::FastRestore => "fast_restore_per_zone_hour",
        }
    }
}

/// One entry of the default book.
#[derive(Clone, Copy, Debug)]
pub struct DefaultPrice {
    /// Provider.
    pub provider: Provider,
    /// Item.
    pub item: Item,
    /// Price in nano-dollars per unit; `None`: no public figure was found.
    pub nano_usd: Option<u64>,
    /// Where it comes from.
    pub source: &'static str,
    /// As of.
    pub as_of: &'static str,
}

const AWS_TRANSFER: &str = "AWS data transfer between regions: mostly $0.02 per GB (us-east-1 ↔ us-east-2 $0.01; some Asia and Middle East pairs about $0.08)";

/// The default book. `nano_usd: None` entries must be supplied by a scenario that needs them.
pub const DEFAULTS: &[DefaultPrice] = &[
    DefaultPrice {
        provider: Provider::AwsEbs,
        item: Item::Storage,
        nano_usd: Some(50_000_000),
        source: "Amazon EBS pricing: snapshot storage, standard tier, $0.05 per GB-month (archive tier $0.0125, 90-day minimum, not modelled)",
        as_of: "2025-11",
    },
    DefaultPrice {
        provider: Provider::AwsEbs,
        item: Item::Transfer,
        nano_usd: Some(20_000_000),
        source: AWS_TRANSFER,
        as_of: "2025-11",
    },
    DefaultPrice {
        provider: Provider::AwsEbs,
        item: Item::FastRestore,
        nano_usd: Some(750_000_000),
        source: "Amazon EBS Fast Snapshot Restore: $0.75 per DSU-hour per availability zone",
        as_of: "2025-11",
    },
    DefaultPrice {
        provider: Provider::AwsFsx,
        item: Item::Storage,
        nano_usd: None,
        source: "no public per-GB FSx for Lustre backup figure in copysim's sources: supply it",
        as_of: "",
    },
    DefaultPrice {
        provider: Provider::AwsFsx,
        item: Item::Transfer,
        nano_usd: Some(20_000_000),
        source: AWS_TRANSFER,
        as_of: "2025-11",
    },
    DefaultPrice {
        provider: Provider::AwsFsx,
        item: Item::FastRestore,
        nano_usd: None,
        source: "FSx has no fast restore",
        as_of: "",
    },
    DefaultPrice {
        provider: Provider::Oci,
        item: Item::Storage,
        nano_usd: None,
        source: "no public per-GB OCI backup figure was found: supply it",
        as_of: "",
    },
    DefaultPrice {
        provider: Provider::Oci,
        item: Item::Transfer,
        nano_usd: None,
        source: "no public per-GB OCI inter-region figure was found: supply it",
        as_of: "",
    },
    DefaultPrice {
        provider: Provider::Oci,
        item: Item::FastRestore,
        nano_usd: None,
        source: "not modelled for OCI",
        as_of: "",
    },
    DefaultPrice {
        provider: Provider::IbmVpc,
        item: Item::Storage,
        nano_usd: None,
        source: "no public per-GB IBM snapshot figure was found: supply it",
        as_of: "",
    },
    DefaultPrice {
        provider: Provider::IbmVpc,
        item: Item::Transfer,
        nano_usd: None,
        source: "no public per-GB IBM cross-region figure was found: supply it",
        as_of: "",
    },
    DefaultPrice {
        provider: Provider::IbmVpc,
        item: Item::FastRestore,
        nano_usd: None,
        source: "IBM fast restore is billed per zone per hour regardless of snapshot size; no public figure was found: supply it",
        as_of: "",
    },
    DefaultPrice {
        provider: Provider::HuaweiCbr,
        item: Item::Storage,
        nano_usd: None,
        source: "no public per-GB Huawei CBR vault figure was found: supply it (vault capacity is billed to the destination)",
        as_of: "",
    },
    DefaultPrice {
        provider: Provider::HuaweiCbr,
        item: Item::Transfer,
        nano_usd: None,
        source: "Huawei bills replication traffic to the source region; no public figure was found: supply it",
        as_of: "",
    },
    DefaultPrice {
        provider: Provider::HuaweiCbr,
        item: Item::FastRestore,
        nano_usd: None,
        source: "not modelled for Huawei",
        as_of: "",
    },
];

/// AWS region pairs with a documented non-default transfer price.
pub const AWS_PAIR_DEFAULTS: &[(&str, &str, u64)] =
    &[("us-east-1", "us-east-2", 10_000_000), ("us-east-2", "us-east-1", 10_000_000)];

/// The prices a run uses: defaults, then scenario overrides per provider, region and pair.
#[derive(Clone, Debug, Default)]
pub struct PriceBook {
    provider: BTreeMap<(Provider, Item), u64>,
    region: BTreeMap<(RegionId, Item), u64>,
    pair: BTreeMap<(RegionId, RegionId), u64>,
}

impl PriceBook {
    /// The default book for `world`'s regions.
    pub fn defaults(world: &World) -> Self {
        let mut book = PriceBook::default();
        for d in DEFAULTS {
            if let Some(n) = d.nano_usd {
                book.provider.insert((d.provider, d.item), n);
            }
        }
        for (a, b, n) in AWS_PAIR_DEFAULTS {
            if let (Some(&ra), Some(&rb)) = (world.region_names.get(*a), world.region_names.get(*b)) {
                let aws = |r: RegionId| matches!(world.region(r).provider, Provider::AwsEbs | Provider::AwsFsx);
                if aws(ra) && aws(rb) {
                    book.pair.insert((ra, rb), *n);
                }
            }
        }
        book
    }

    /// Sets a provider-wide price.
    pub fn set_provider(&mut self, provider: Provider, item: Item, nano_usd: u64) {
        self.provider.insert((provider, item), nano_usd);
    }
    /// Sets a price for one region.
    pub fn set_region(&mut self, region: RegionId, item: Item, nano_usd: u64) {
        self.region.insert((region, item), nano_usd);
    }
    /// Sets the transfer price of one region pair.
    pub fn set_pair(&mut self, from: RegionId, to: RegionId, nano_usd: u64) {
        self.pair.insert((from, to), nano_usd);
    }

    /// The price of `item` in `region` (region override, else the provider's), if any.
    pub fn price(&self, world: &World, region: RegionId, item: Item) -> Option<u64> {
        self.region.get(&(region, item)).or_else(|| self.provider.get(&(world.region(region).provider, item))).copied()
    }

    /// The transfer price of `from → to` (pair override, else the source region's).
    pub fn transfer(&self, world: &World, from: RegionId, to: RegionId) -> Option<u64> {
        self.pair.get(&(from, to)).copied().or_else(|| self.price(world, from, Item::Transfer))
    }
}

/// Dollars (as written in a scenario) to nano-dollars.
pub fn nano_from_dollars(d: f64) -> Option<u64> {
    (0.0..1e9).contains(&d).then(|| (d * 1e9).round() as u64)
}
