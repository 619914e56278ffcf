//! Facts derived from a copy, each defined once and read by every report.

use crate::model::{Copy, CopyKind};

/// Whether the copy's data arrived: it completed its transfer (and may have been deleted since).
pub fn transfer_completed(c: &Copy) -> bool {
    c.transfer_completed()
}

/// Bytes the copy moved over its link: all its bytes once the transfer completed, what moved
/// before the failure for a failed one, else 0 (a warm copy was
/// already there: it moved nothing during the run).
pub fn bytes_moved(c: &Copy) -> u64 {
    if c.trigger == crate::model::Trigger::Warm { 0 } else { c.moved_bytes }
}

/// Whether the copy counts in `by_kind`: its transfer completed, or (a share) it was accepted.
/// (A share its sharer deleted while still pending ends TERMINATED too, but never started.)
pub fn counts_by_kind(c: &Copy) -> bool {
    transfer_completed(c) && c.kind.is_some() && c.started_at.is_some()
}

/// Time between request and start, in ms, for a started copy or accepted share.
pub fn queue_wait_ms(c: &Copy) -> Option<u64> {
    c.started_at.get().map(|s| s.since(c.requested_at).as_ms())
}

/// Whether the copy moves data over a link (a share never does).
pub fn is_transfer(c: &Copy) -> bool {
    c.kind != Some(CopyKind::Share)
}
