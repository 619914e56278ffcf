//! The event queue: a monotone radix queue ordered by `(time, push order)`.
//!
//! **Ordering contract:** events pop in increasing time; events scheduled for the same
//! instant pop in the order they were pushed (FIFO). Nothing else (not the payload, not a
//! hash) takes part in the order, so a run is reproducible.
//!
//! **How:** a discrete-event run never schedules into its past, so the queue is a radix
//! queue over the bytes of the time (a hierarchical timing wheel). An event waits in slot
//! `(level, digit)`: `level` is the highest byte in which its time differs from `last` (the
//! time last popped) and `digit` its time's value in that byte. Level 0 holds the events that
//! differ from `last` in the low byte alone — one slot per millisecond, popped from the
//! lowest. When level 0 runs dry, the lowest occupied slot of the lowest occupied level is
//! emptied: `last` moves to the start of that slot's span and its events fall into lower
//! levels. An event falls at most once per level (twice for the hour ahead), so a push or a
//! pop is a few dozen instructions whatever the queue's length, with no sift through a heap.
//!
//! **Why ties stay FIFO:** a slot is only ever appended to, and in push order. A push appends
//! an event pushed after every event queued. A slot that empties falls into lower slots that
//! are all empty then (every lower level is, or it would not be emptied), in its own order.
//! So each slot holds its events in push order, and level 0's slots are single instants.
//! Pushing a time earlier than the last one popped is a bug (it panics).

use super::time::SimTime;

/// One scheduled event.
#[derive(Clone, Copy)]
struct Entry<E> {
    time: u64,
    event: E,
}

/// Levels: one per byte of a `u64` time.
const LEVELS: usize = 8;
/// Slots per level: one per value of a byte.
const SLOTS: usize = 256;
/// 64-bit words of a level's occupancy bitmap.
const WORDS: usize = SLOTS / 64;

/// Room a slot keeps once read through (entries): a burst (every volume's backup of one hour
/// landing in one slot) would otherwise stay allocated in each of the 2,048 slots it passes.
const KEPT_ROOM: usize = 256;

/// An emptied slot's vector, with at most [`KEPT_ROOM`] room kept.
fn kept_room<T>(v: Vec<T>) -> Vec<T> {
    if v.capacity() > KEPT_ROOM { Vec::with_capacity(KEPT_ROOM) } else { v }
}

/// A priority queue of events keyed by `(time, push order)`; FIFO among ties. Events are
/// small and `Copy` (ids into the model), so a slot being popped is read from the front by
/// an index and cleared once read through, keeping up to [`KEPT_ROOM`] of its room.
pub struct EventQueue<E> {
    /// Slot `(level, digit)` at `level * SLOTS + digit`.
    slots: Vec<Vec<Entry<E>>>,
    /// Per level, which slots hold events.
    occupied: [[u64; WORDS]; LEVELS],
    /// Bit `l`: level `l` holds events.
    levels: u8,
    /// While level 0 holds events: its lowest occupied slot, the next to pop from...
    cur: usize,
    /// ...and how many of that slot's events were popped already.
    head: usize,
    /// The floor of every queued time: the time last popped (or the start of the slot last emptied).
    last: u64,
    len: usize,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty queue (`capacity` is a hint it has no use for: slots grow as needed and keep their room).
    pub fn with_capacity(_capacity: usize) -> Self {
        Self {
            slots: (0..LEVELS * SLOTS).map(|_| Vec::new()).collect(),
            occupied: [[0; WORDS]; LEVELS],
            levels: 0,
            cur: 0,
            head: 0,
            last: 0,
            len: 0,
        }
    }

    /// Files `entry` in its slot relative to `last`.
    #[inline]
    fn file(&mut self, entry: Entry<E>) {
        let level = (63 - ((entry.time ^ self.last) | 1).leading_zeros()) as usize / 8;
        let digit = (entry.time >> (8 * level)) as usize & (SLOTS - 1);
        self.slots[level * SLOTS + digit].push(entry);
        self.occupied[level][digit / 64] |= 1 << (digit % 64);
        if level == 0 && (self.levels & 1 == 0 || digit < self.cur) {
            // Earlier than the slot being popped: that one was not started (its time is above
            // `last`, the time last popped), so popping moves to this one.
            debug_assert!(self.levels & 1 == 0 || self.head == 0);
            self.cur = digit;
            self.head = 0;
        }
        self.levels |= 1 << level;
    }

    /// The lowest occupied slot of `level` (which holds events).
    #[inline]
    fn lowest(&self, level: usize) -> usize {
        let words = &self.occupied[level];
        let w = words.iter().position(|&w| w != 0).expect("an occupied level");
        w * 64 + words[w].trailing_zeros() as usize
    }

    /// Marks slot `(level, digit)` empty.
    #[inline]
    fn vacate(&mut self, level: usize, digit: usize) {
        self.occupied[level][digit / 64] &= !(1 << (digit % 64));
        if self.occupied[level] == [0; WORDS] {
            self.levels &= !(1 << level);
        }
    }

    /// Schedules `event` at `time`, after every event already scheduled for that time.
    pub fn push(&mut self, time: SimTime, event: E) {
        assert!(time.0 >= self.last, "an event scheduled before the last one popped");
        self.file(Entry { time: time.0, event });
        self.len += 1;
    }

    /// Makes level 0 hold the earliest events, if any is queued; whether it does.
    #[inline]
    fn settle(&mut self) -> bool {
        while self.levels & 1 == 0 {
            if self.levels == 0 {
                return false;
            }
            self.fall();
        }
        true
    }

    /// Empties the lowest occupied slot (level 0 being empty) into the levels below it.
    fn fall(&mut self) {
        let level = self.levels.trailing_zeros() as usize;
        let digit = self.lowest(level);
        self.vacate(level, digit);
        let mut falling = std::mem::take(&mut self.slots[level * SLOTS + digit]);
        // The start of the slot's span: `last`'s higher bytes, `digit`, then zeros.
        let above = if level + 1 == LEVELS { 0 } else { self.last >> (8 * (level + 1)) << (8 * (level + 1)) };
        self.last = above | ((digit as u64) << (8 * level));
        for &e in &falling {
            self.file(e);
        }
        falling.clear();
        self.slots[level * SLOTS + digit] = kept_room(falling);
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        if !self.settle() {
            return None;
        }
        let slot = &mut self.slots[self.cur];
        let e = slot[self.head];
        self.head += 1;
        if self.head == slot.len() {
            slot.clear();
            if slot.capacity() > KEPT_ROOM {
                *slot = Vec::with_capacity(KEPT_ROOM);
            }
            self.head = 0;
            self.vacate(0, self.cur);
            if self.levels & 1 != 0 {
                self.cur = self.lowest(0);
            }
        }
        self.last = e.time;
        self.len -= 1;
        Some((SimTime(e.time), e.event))
    }

    /// The time of the earliest event, if any.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        self.settle().then(|| SimTime(self.slots[self.cur][self.head].time))
    }

    /// The events `ahead` places behind the earliest one, if they are queued for the same
    /// instant as it and already in order (a look ahead that costs no work: anything else is
    /// `None`). A handler uses it to start loading what those events will read.
    #[inline]
    pub fn peek_queued(&self, ahead: usize) -> Option<&E> {
        if self.levels & 1 == 0 {
            return None;
        }
        self.slots[self.cur].get(self.head + ahead).map(|e| &e.event)
    }

    /// Number of scheduled events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no event is scheduled.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order() {
        let mut q = EventQueue::new();
        q.push(SimTime(30), 'c');
        q.push(SimTime(10), 'a');
        q.push(SimTime(20), 'b');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['a', 'b', 'c']);
    }

    #[test]
    fn ties_pop_in_insertion_order() {
        let mut q = EventQueue::new();
        for i in 0..100 {
            q.push(SimTime(7), i);
        }
        q.push(SimTime(3), -1);
        let order: Vec<i32> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order[0], -1);
        assert_eq!(&order[1..], &(0..100).collect::<Vec<_>>()[..]);
    }

    #[test]
    fn matches_a_sorted_reference_while_events_are_pushed_between_pops() {
        // A run's pattern: pops interleaved with pushes at or after the time popped, with many
        // ties (times drawn from a few values) and far-apart times.
        let mut q = EventQueue::new();
        let mut reference: Vec<(u64, u64)> = Vec::new(); // (time, push order)
        let mut seed: u64 = 7;
        let mut rand = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 33
        };
        let mut pushed = 0u64;
        let mut now = 0u64;
        let mut popped = Vec::new();
        for round in 0..20_000 {
            for _ in 0..rand() % 3 {
                let at = now + [0, 1, 5, 1_000, 3_600_000, rand() % 100_000, rand() << 20][(rand() % 7) as usize];
                q.push(SimTime(at), pushed);
                reference.push((at, pushed));
                pushed += 1;
            }
            if round % 2 == 0
                && let Some((t, e)) = q.pop()
            {
                assert!(t.0 >= now);
                now = t.0;
                popped.push((t.0, e));
            }
        }
        while let Some((t, e)) = q.pop() {
            popped.push((t.0, e));
        }
        assert!(q.is_empty());
        reference.sort_unstable();
        assert_eq!(popped, reference);
    }

    #[test]
    fn times_in_every_byte_up_to_the_last_instant() {
        let mut q = EventQueue::new();
        let times = [u64::MAX, 0, 1 << 63, 255, 256, u64::MAX, 1 << 40, (1 << 40) + 1, 1 << 63];
        for (i, &t) in times.iter().enumerate() {
            q.push(SimTime(t), i);
        }
        let mut expected: Vec<(u64, usize)> = times.iter().copied().zip(0..).collect();
        expected.sort_unstable();
        let order: Vec<(u64, usize)> = std::iter::from_fn(|| q.pop().map(|(t, e)| (t.0, e))).collect();
        assert_eq!(order, expected);
        assert_eq!(q.len(), 0);
    }
}
