//! Cost: the price book ([`prices`]), storage accounting over time ([`storage`]) and the cost ledger ([`ledger`]) behind `cost.csv`.
//!
//! Money is integer nano-dollars (1e-9 USD), storage is integrated in byte-milliseconds: no
//! floating point reaches a figure, so costs are byte-identical on every machine.

pub mod ledger;
pub mod prices;
pub mod storage;

/// Bytes in a billing GB (AWS bills binary gigabytes).
pub const BYTES_PER_GB: u128 = 1 << 30;
/// Milliseconds in a billing month (730 hours, the usual monthly-estimate convention).
pub const MS_PER_MONTH: u128 = 730 * 3_600_000;
/// Milliseconds per day.
pub const MS_PER_DAY: u64 = 86_400_000;

/// Nano-dollars as `$1.234567` (six decimals, rounded to nearest).
pub fn usd(nano: u128) -> String {
    let micro = (nano + 500) / 1_000;
    format!("{}.{:06}", micro / 1_000_000, micro % 1_000_000)
}
