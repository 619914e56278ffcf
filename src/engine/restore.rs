//! Honest restore points: a copy is a restore point in its destination only once its own
//! transfer and the transfer of every copy it builds on there have completed.
//!
//! An incremental copy may start while its base copy is still moving (OCI starts the next
//! copy of a lineage while the previous one runs) and may finish first; until the base is
//! complete, restoring from it is impossible. [`RestorePoints`] follows the copies that wait
//! for a base: it is told when copies start, complete and fail, and answers which copies
//! became restore points. A base that fails leaves the copies built on it never restorable:
//! the engine fails them ([`RestorePoints::take_broken`]).

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::CopyId;

/// Copies waiting for the copies they build on. Hash maps (Fx, deterministic), never iterated:
/// each is asked about one copy at a time, once or twice per copy of the run.
#[derive(Debug, Default)]
pub struct RestorePoints {
    /// Child → the base it waits for.
    blocked: FxHashMap<CopyId, CopyId>,
    /// Base → the children waiting for it.
    children: FxHashMap<CopyId, Vec<CopyId>>,
    /// Blocked children whose own transfer completed.
    done: FxHashSet<CopyId>,
    /// Copies still moving that build on a failed copy: they will never be restore points.
    dead: FxHashSet<CopyId>,
    /// Copies found building on a failed copy since the engine last asked (see [`Self::take_broken`]).
    broken: Vec<CopyId>,
}

impl RestorePoints {
    /// `copy` started over `base`; `base_ready` tells whether the base is a restore point already.
    pub fn started(&mut self, copy: CopyId, base: Option<CopyId>, base_ready: bool) {
        if let (Some(b), false) = (base, base_ready) {
            self.blocked.insert(copy, b);
            self.children.entry(b).or_default().push(copy);
        }
    }

    /// Whether `copy` still waits for a copy it builds on.
    pub fn is_blocked(&self, copy: CopyId) -> bool {
        self.blocked.contains_key(&copy)
    }

    /// `copy`'s transfer completed: the copies that became restore points now (it first, then
    /// those that waited for it, transitively), or none while it waits for its own base.
    /// (The answer owns its copies: in the common case, a copy nothing waits for, it is just
    /// that copy, with nothing allocated.)
    pub fn completed(&mut self, copy: CopyId) -> impl Iterator<Item = CopyId> + use<> {
        let ready = |first: Option<CopyId>, more: Vec<CopyId>| first.into_iter().chain(more);
        if self.blocked.is_empty() && self.children.is_empty() && self.dead.is_empty() {
            return ready(Some(copy), Vec::new()); // nothing waits on a base (the common case)
        }
        if self.dead.remove(&copy) {
            self.failed(copy);
            return ready(None, Vec::new());
        }
        if self.blocked.contains_key(&copy) {
            self.done.insert(copy);
            return ready(None, Vec::new());
        }
        if !self.children.contains_key(&copy) {
            return ready(Some(copy), Vec::new());
        }
        let mut out = vec![copy];
        let mut i = 0;
        while i < out.len() {
            for child in self.children.remove(&out[i]).unwrap_or_default() {
                self.blocked.remove(&child);
                if self.done.remove(&child) {
                    out.push(child);
                }
            }
            i += 1;
        }
        ready(None, out)
    }

    /// `copy` failed: it and every copy waiting on it, transitively, will never be restore points
    /// (those are told by [`Self::take_broken`], all of them at once, still moving or not).
    pub fn failed(&mut self, copy: CopyId) {
        self.dead.remove(&copy);
        let mut stack = vec![copy];
        while let Some(c) = stack.pop() {
            if let Some(children) = self.children.get(&c) {
                self.broken.extend_from_slice(children);
                stack.extend_from_slice(children);
            }
        }
        let mut stack = vec![copy];
        while let Some(c) = stack.pop() {
            if self.blocked.remove(&c).is_some() && !self.done.remove(&c) {
                self.dead.insert(c); // still moving: it completes into nothing
                continue;
            }
            stack.extend(self.children.remove(&c).unwrap_or_default());
        }
    }

    /// Whether copies were found building on a failed copy since [`Self::take_broken`] last ran.
    pub fn any_broken(&self) -> bool {
        !self.broken.is_empty()
    }

    /// The copies found building on a failed copy since the last call (the engine marks them
    /// [`broken`](crate::model::Copy::broken) in the world and fails them).
    pub fn take_broken(&mut self) -> Vec<CopyId> {
        std::mem::take(&mut self.broken)
    }

    /// Copies still waiting (live state, for tests).
    pub fn waiting(&self) -> usize {
        self.blocked.len() + self.dead.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: CopyId = CopyId(0);
    const B: CopyId = CopyId(1);
    const C: CopyId = CopyId(2);

    #[test]
    fn a_copy_over_a_ready_base_is_a_restore_point_when_it_completes() {
        let mut r = RestorePoints::default();
        r.started(B, Some(A), true);
        assert_eq!(r.completed(B).collect::<Vec<_>>(), vec![B]);
        assert_eq!(r.waiting(), 0);
    }

    #[test]
    fn increments_finishing_before_their_base_wait_for_it() {
        let mut r = RestorePoints::default();
        r.started(A, None, false);
        r.started(B, Some(A), false);
        r.started(C, Some(B), false);
        assert!(r.completed(C).next().is_none());
        assert!(r.completed(B).next().is_none());
        assert_eq!(r.completed(A).collect::<Vec<_>>(), vec![A, B, C]);
        assert_eq!(r.waiting(), 0);
    }

    #[test]
    fn a_child_still_moving_when_its_base_completes_is_ready_at_its_own_end() {
        let mut r = RestorePoints::default();
        r.started(B, Some(A), false);
        assert_eq!(r.completed(A).collect::<Vec<_>>(), vec![A]);
        assert!(!r.is_blocked(B));
        assert_eq!(r.completed(B).collect::<Vec<_>>(), vec![B]);
    }

    #[test]
    fn a_failed_base_leaves_its_children_never_restorable() {
        let mut r = RestorePoints::default();
        r.started(B, Some(A), false);
        r.started(C, Some(B), false);
        assert!(r.completed(C).next().is_none());
        assert!(r.completed(B).next().is_none());
        r.failed(A);
        assert_eq!(r.waiting(), 0);
        assert_eq!(r.take_broken(), vec![B, C], "both are told, once");
        assert!(r.take_broken().is_empty());
    }

    #[test]
    fn a_child_still_moving_when_its_base_fails_completes_into_nothing() {
        let mut r = RestorePoints::default();
        r.started(B, Some(A), false);
        r.started(C, Some(B), false);
        r.failed(A);
        assert_eq!(r.take_broken(), vec![B, C], "told while still moving");
        assert!(r.completed(B).next().is_none(), "B built on a failed copy");
        assert!(r.completed(C).next().is_none(), "C built on B");
        assert_eq!((r.waiting(), r.dead.len(), r.children.len()), (0, 0, 0));
    }
}
