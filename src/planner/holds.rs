//! What each copy holds (a quota slot, a lineage), by copy id: asked on every admission, grant
//! and release, so a lookup is an index, not a hash.
//!
//! Ids are dense and increase in request order, and the copies holding something at any moment
//! are those in flight or next in line: a few, close in id. The ids are cut into pages of
//! [`PAGE`]; a page is allocated when one of its copies first holds something and given back
//! when none does any more, and the run of pages spans only from the oldest holder's to the
//! newest's. Memory follows the holders, not the history: at most one page per holder, plus a
//! pointer per page between the oldest and the newest.

use super::gates::Hold;
use crate::model::CopyId;

/// Copies per page.
const PAGE: usize = 256;

/// One page: the holds of `PAGE` consecutive ids, and how many of them hold something.
#[derive(Debug)]
struct Page {
    holds: [Hold; PAGE],
    held: u32,
}

/// Holds by copy id; a copy holding nothing takes no room of its own.
#[derive(Debug, Default)]
pub struct Holds {
    /// Page `first + k` (covering ids `(first + k) * PAGE ..`) at `k`; `None` when none of its
    /// copies holds anything. Never starts with `None`.
    pages: std::collections::VecDeque<Option<Box<Page>>>,
    /// The page number of `pages[0]`.
    first: usize,
    /// Copies holding something.
    holders: usize,
}

impl Holds {
    /// Records that `copy` holds quota gate `g`.
    pub fn set_gate(&mut self, copy: CopyId, g: u32) {
        self.update(copy, |h| h.gate = Some(g));
    }

    /// Records that `copy` holds lineage gate `l`.
    pub fn set_lineage(&mut self, copy: CopyId, l: u32) {
        self.update(copy, |h| h.lineage = Some(l));
    }

    fn update(&mut self, copy: CopyId, set: impl FnOnce(&mut Hold)) {
        let (n, i) = (copy.index() / PAGE, copy.index() % PAGE);
        if self.pages.is_empty() {
            self.first = n;
        }
        while n < self.first {
            // An older copy than every holder (one back from an outage, say).
            self.pages.push_front(None);
            self.first -= 1;
        }
        let k = n - self.first;
        if self.pages.len() <= k {
            self.pages.resize_with(k + 1, || None);
        }
        let page = self.pages[k].get_or_insert_with(|| Box::new(Page { holds: [Hold::default(); PAGE], held: 0 }));
        let hold = &mut page.holds[i];
        if hold.is_empty() {
            page.held += 1;
            self.holders += 1;
        }
        set(hold);
    }

    /// Takes and clears what `copy` holds (nothing: the default).
    pub fn take(&mut self, copy: CopyId) -> Hold {
        let (n, i) = (copy.index() / PAGE, copy.index() % PAGE);
        let Some(k) = n.checked_sub(self.first) else { return Hold::default() };
        let Some(Some(page)) = self.pages.get_mut(k) else { return Hold::default() };
        let hold = std::mem::take(&mut page.holds[i]);
        if !hold.is_empty() {
            page.held -= 1;
            self.holders -= 1;
            if page.held == 0 {
                self.pages[k] = None;
                while let Some(None) = self.pages.front() {
                    self.pages.pop_front();
                    self.first += 1;
                }
                while let Some(None) = self.pages.back() {
                    self.pages.pop_back();
                }
            }
        }
        hold
    }

    /// Copies holding something now.
    pub fn len(&self) -> usize {
        self.holders
    }

    /// Whether no copy holds anything.
    pub fn is_empty(&self) -> bool {
        self.holders == 0
    }

    /// Pages allocated now, and pages spanned (live state, for tests).
    pub fn pages(&self) -> (usize, usize) {
        (self.pages.iter().filter(|p| p.is_some()).count(), self.pages.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hold_is_kept_until_taken_and_its_page_given_back_when_none_holds() {
        let mut h = Holds::default();
        h.set_lineage(CopyId(3), 7);
        h.set_gate(CopyId(3), 1);
        h.set_gate(CopyId(300), 2);
        assert_eq!((h.len(), h.pages()), (2, (2, 2)));
        let t = h.take(CopyId(3));
        assert_eq!((t.gate, t.lineage), (Some(1), Some(7)));
        assert_eq!((h.len(), h.pages()), (1, (1, 1)), "page 0 held only copy 3, and left the run");
        h.set_gate(CopyId(2), 4);
        assert_eq!(h.pages(), (2, 2), "an older copy than every holder");
        assert_eq!(h.take(CopyId(2)).gate, Some(4));
        assert_eq!(h.take(CopyId(3)).gate, None, "taken once");
        assert_eq!(h.take(CopyId(99_999)).gate, None, "never held, beyond every page");
        assert_eq!(h.take(CopyId(300)).gate, Some(2));
        assert!(h.is_empty());
        assert_eq!(h.pages(), (0, 0));
        h.set_gate(CopyId(1_000_000), 1);
        assert_eq!(h.pages(), (1, 1), "no room for the history before the holder");
    }

    #[test]
    fn holds_match_a_map_whatever_the_order() {
        let mut h = Holds::default();
        let mut reference = std::collections::BTreeMap::<u32, (Option<u32>, Option<u32>)>::new();
        let mut seed: u32 = 5;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let copy = (seed >> 8) % 2_000;
            match seed % 3 {
                0 => {
                    h.set_gate(CopyId(copy), seed % 5);
                    reference.entry(copy).or_default().0 = Some(seed % 5);
                }
                1 => {
                    h.set_lineage(CopyId(copy), seed % 7);
                    reference.entry(copy).or_default().1 = Some(seed % 7);
                }
                _ => {
                    let t = h.take(CopyId(copy));
                    assert_eq!((t.gate, t.lineage), reference.remove(&copy).unwrap_or_default());
                }
            }
            assert_eq!(h.len(), reference.len());
            let span = reference.keys().next().zip(reference.keys().next_back());
            let pages = span.map_or(0, |(lo, hi)| (*hi as usize / PAGE) - (*lo as usize / PAGE) + 1);
            assert_eq!(h.pages().1, pages, "the run spans the oldest holder's page to the newest's");
        }
    }
}
