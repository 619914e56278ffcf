//! The price book: default prices per provider (each provider's `CopyRules::default_prices`),
//! each with its public source and as-of date,
//! overridable per scenario, per region and per region pair. Where no public figure was found
//! (OCI, IBM, Huawei, FSx backup storage), the book says so and a scenario that needs the price
//! must supply it.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Provider, RegionId, World};
use crate::providers::{PriceDefault, registry, rules};

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
    /// Raw quantity (byte-milliseconds, bytes, zone-milliseconds) per unit of [`Item::unit`].
    pub fn raw_per_unit(self) -> u128 {
        match self {
            Item::Storage => super::BYTES_PER_GB * u128::from(super::MS_PER_DAY),
            Item::Transfer => super::BYTES_PER_GB,
            Item::FastRestore => 3_600_000,
        }
    }
    /// Unit of the quantity.
    pub fn unit(self) -> &'static str {
        match self {
            // GiB: the 2^30 bytes the providers' price lists call "GB", named so that cost.csv
            // and the terminal's decimal "GB" (10^9 bytes) are not the same word for two sizes.
            Item::Storage => "GiB-day",
            Item::Transfer => "GiB",
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

/// The prices a run uses: defaults, then scenario overrides per provider, region and pair.
#[derive(Clone, Debug, Default)]
pub struct PriceBook {
    provider: BTreeMap<(Provider, Item), u64>,
    region: BTreeMap<(RegionId, Item), u64>,
    pair: BTreeMap<(RegionId, RegionId), u64>,
    /// What the scenario priced for transfer: providers (by index), source regions, pairs.
    scenario_transfer: (BTreeSet<usize>, BTreeSet<RegionId>, BTreeSet<(RegionId, RegionId)>),
}

impl PriceBook {
    /// The default book for `world`'s regions.
    pub fn defaults(world: &World) -> Self {
        let mut book = PriceBook::default();
        for r in registry::all() {
            for item in [Item::Storage, Item::Transfer, Item::FastRestore] {
                if let Some(n) = default_price(r.provider(), item).nano_usd {
                    book.provider.insert((r.provider(), item), n);
                }
            }
            // A pair priced apart applies when both regions are the provider's.
            for (a, b, n) in r.default_prices().pairs {
                if let (Some(&ra), Some(&rb)) = (world.region_names.get(*a), world.region_names.get(*b)) {
                    let own = |x: RegionId| world.region(x).provider == r.provider();
                    if own(ra) && own(rb) {
                        book.pair.insert((ra, rb), *n);
                    }
                }
            }
        }
        book
    }

    /// Sets a provider-wide price.
    pub fn set_provider(&mut self, provider: Provider, item: Item, nano_usd: u64) {
        if item == Item::Transfer {
            self.scenario_transfer.0.insert(provider.index());
        }
        self.provider.insert((provider, item), nano_usd);
    }
    /// Sets a price for one region.
    pub fn set_region(&mut self, region: RegionId, item: Item, nano_usd: u64) {
        if item == Item::Transfer {
            self.scenario_transfer.1.insert(region);
        }
        self.region.insert((region, item), nano_usd);
    }
    /// Sets the transfer price of one region pair.
    pub fn set_pair(&mut self, from: RegionId, to: RegionId, nano_usd: u64) {
        self.scenario_transfer.2.insert((from, to));
        self.pair.insert((from, to), nano_usd);
    }

    /// The price of `item` in `region` (region override, else the provider's), if any.
    pub fn price(&self, world: &World, region: RegionId, item: Item) -> Option<u64> {
        self.region.get(&(region, item)).or_else(|| self.provider.get(&(world.region(region).provider, item))).copied()
    }

    /// Whether `from → to` is billed at a price copysim chose rather than the scenario: the
    /// scenario priced neither the pair, nor the source region's transfer, nor its provider's.
    pub fn transfer_is_default(&self, world: &World, from: RegionId, to: RegionId) -> bool {
        let (providers, regions, pairs) = &self.scenario_transfer;
        !pairs.contains(&(from, to))
            && !regions.contains(&from)
            && !providers.contains(&world.region(from).provider.index())
    }

    /// The transfer price of `from → to` (pair override, else the source region's).
    pub fn transfer(&self, world: &World, from: RegionId, to: RegionId) -> Option<u64> {
        self.pair.get(&(from, to)).copied().or_else(|| self.price(world, from, Item::Transfer))
    }
}

/// `provider`'s default price of `item`, with its source (`nano_usd: None`: no public figure;
/// a scenario that needs it must supply it).
pub fn default_price(provider: Provider, item: Item) -> PriceDefault {
    let d = rules(provider).default_prices();
    match item {
        Item::Storage => d.storage,
        Item::Transfer => d.transfer,
        Item::FastRestore => d.fast_restore,
    }
}

/// The dearest price a scenario may give, in US dollars per unit (GB-month, GB, zone-hour): the
/// dearest public price copysim knows is under $1, so more is a typo. It also keeps the ledger's
/// exact sums within `u128`: 2^64 bytes stored for a day at $100 per GB-month is about 2^127.
pub const MAX_PRICE_USD: f64 = 100.0;

/// Dollars (as written in a scenario) to nano-dollars: from 0 to [`MAX_PRICE_USD`].
pub fn nano_from_dollars(d: f64) -> Option<u64> {
    (0.0..=MAX_PRICE_USD).contains(&d).then(|| (d * 1e9).round() as u64)
}
