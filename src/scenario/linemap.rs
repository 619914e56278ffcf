//! Which line of the user's file each line of an edited copy of it is: `--set` and sweep axes
//! edit the scenario's text (a new key is a new line, a multi-line value adds lines, replacing a
//! list of tables removes them), and a mistake the edited text holds elsewhere must still be
//! reported at its line in the user's file.
//!
//! The lines are aligned as a patience diff does: the common start and end are matched, then
//! lines found exactly once on each side anchor the longest run in the same order, and the
//! stretches between anchors are aligned the same way. It takes about linear time, however large
//! the file; a changed line is matched to none.

use rustc_hash::FxHashMap;

/// The lines of an edited text mapped to the lines of the text it was edited from.
pub struct LineMap {
    /// The byte offset at which each line of the original text starts.
    old_starts: Vec<usize>,
    /// The byte offset at which each line of the edited text starts.
    new_starts: Vec<usize>,
    /// Per line of the edited text, the line of the original it is unchanged from, if any.
    old_of_new: Vec<Option<usize>>,
}

fn lines(text: &str) -> (Vec<usize>, Vec<&str>) {
    let mut starts = vec![0];
    starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
    let lines = text.split('\n').collect();
    (starts, lines)
}

impl LineMap {
    /// Aligns `new`, an edited copy, with `old`.
    pub fn new(old: &str, new: &str) -> Self {
        let (old_starts, a) = lines(old);
        let (new_starts, b) = lines(new);
        let mut old_of_new = vec![None; b.len()];
        let mut stack = vec![(0, a.len(), 0, b.len())];
        while let Some((mut alo, mut ahi, mut blo, mut bhi)) = stack.pop() {
            while alo < ahi && blo < bhi && a[alo] == b[blo] {
                old_of_new[blo] = Some(alo);
                alo += 1;
                blo += 1;
            }
            while alo < ahi && blo < bhi && a[ahi - 1] == b[bhi - 1] {
                old_of_new[bhi - 1] = Some(ahi - 1);
                ahi -= 1;
                bhi -= 1;
            }
            if alo == ahi || blo == bhi {
                continue;
            }
            let anchors = unique_anchors(&a[alo..ahi], &b[blo..bhi]);
            let (mut a0, mut b0) = (alo, blo);
            for (i, j) in anchors {
                let (i, j) = (alo + i, blo + j);
                old_of_new[j] = Some(i);
                stack.push((a0, i, b0, j));
                (a0, b0) = (i + 1, j + 1);
            }
            if (a0, b0) != (alo, blo) {
                stack.push((a0, ahi, b0, bhi));
            }
        }
        LineMap { old_starts, new_starts, old_of_new }
    }

    /// The offset in the original text of byte `offset` of the edited text, when its line is
    /// unchanged.
    pub fn old_offset(&self, offset: usize) -> Option<usize> {
        let line = self.new_starts.partition_point(|&s| s <= offset).checked_sub(1)?;
        let old = (*self.old_of_new.get(line)?)?;
        Some(self.old_starts[old] + (offset - self.new_starts[line]))
    }
}

/// The pairs `(i, j)` of lines `a[i] == b[j]` that occur once in `a` and once in `b`, as the
/// longest run increasing in both `i` and `j` (patience sorting), in order.
fn unique_anchors(a: &[&str], b: &[&str]) -> Vec<(usize, usize)> {
    // Per line text: (count in a, its index in a, count in b, its index in b).
    let mut seen: FxHashMap<&str, (u32, usize, u32, usize)> = FxHashMap::default();
    for (i, line) in a.iter().enumerate() {
        let e = seen.entry(line).or_insert((0, i, 0, 0));
        e.0 += 1;
    }
    for (j, line) in b.iter().enumerate() {
        if let Some(e) = seen.get_mut(line) {
            e.2 += 1;
            e.3 = j;
        }
    }
    // In `a`'s order (never the map's): the `b` index of each line unique on both sides.
    let pairs: Vec<(usize, usize)> = a
        .iter()
        .enumerate()
        .filter_map(|(i, line)| seen.get(line).filter(|e| e.0 == 1 && e.2 == 1).map(|e| (i, e.3)))
        .collect();
    // Longest increasing subsequence of the `b` indices.
    let mut tails: Vec<usize> = Vec::new(); // index into `pairs` of the smallest tail of each length
    let mut previous: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < j);
        previous[k] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut k = tails.last().copied();
    while let Some(at) = k {
        out.push(pairs[at]);
        k = previous[at];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(old: &str, new: &str) -> Vec<Option<usize>> {
        LineMap::new(old, new).old_of_new
    }

    #[test]
    fn inserted_removed_and_changed_lines_leave_the_others_matched() {
        let old = "a\nb\nc\nd\ne\n";
        assert_eq!(mapped(old, old), [Some(0), Some(1), Some(2), Some(3), Some(4), Some(5)]);
        assert_eq!(mapped(old, "a\nx\nb\nc\nd\ne\n"), [Some(0), None, Some(1), Some(2), Some(3), Some(4), Some(5)]);
        assert_eq!(mapped(old, "a\nc\nd\ne\n"), [Some(0), Some(2), Some(3), Some(4), Some(5)]);
        assert_eq!(
            mapped(old, "a\nB\nc\nx\ny\nd\ne\n"),
            [Some(0), None, Some(2), None, None, Some(3), Some(4), Some(5)]
        );
        // Lines moved and repeated: the unique ones anchor the rest.
        assert_eq!(
            mapped("k\n[t]\nu\nk\n[s]\nv\n", "x\n[t]\nu\nk\n[s]\nv\n")[1..],
            [Some(1), Some(2), Some(3), Some(4), Some(5), Some(6)]
        );
    }

    #[test]
    fn offsets_keep_their_column() {
        let map = LineMap::new("name = 1\nsize = \"x\"\n", "name = 1\ncode = 2\nsize = \"x\"\n");
        assert_eq!(map.old_offset(9), None, "the inserted line");
        assert_eq!(map.old_offset(18 + 7), Some(9 + 7));
        assert_eq!(map.old_offset(2), Some(2));
    }
}
