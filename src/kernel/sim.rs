//! The run loop: pops events in `(time, seq)` order and hands each to a [`Handler`], bounded by a horizon and a max-events guard.

use super::queue::EventQueue;
use super::time::{SimDuration, SimTime};

/// Where handlers schedule follow-up events; a thin view over the queue and the clock.
pub struct Scheduler<E> {
    now: SimTime,
    queue: EventQueue<E>,
}

impl<E: Copy> Scheduler<E> {
    /// The current simulated instant.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at the absolute instant `at` (never before now).
    pub fn at(&mut self, at: SimTime, event: E) {
        let at = at.max(self.now);
        self.queue.push(at, event);
    }

    /// Schedules `event` after `delay`.
    pub fn after(&mut self, delay: SimDuration, event: E) {
        self.queue.push(self.now + delay, event);
    }

    /// Number of events still scheduled.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

/// How many queued events a [`Handler`] is shown ahead of the one it handles.
pub const LOOK_AHEAD: usize = 3;

/// The model side of the loop: reacts to one event at a time.
pub trait Handler<E> {
    /// Handles `event` at `sched.now()`, scheduling follow-ups on `sched`.
    fn handle(&mut self, event: E, sched: &mut Scheduler<E>);

    /// Starts loading what handling `event` will read: it is queued `ahead` places after the
    /// event about to be handled (1 to [`LOOK_AHEAD`]; far ahead a handler loads what the event
    /// names, nearer what that in turn names, in cache by then). A hint only — it must change
    /// nothing — so the default does nothing.
    fn prefetch(&self, _event: &E, _ahead: usize) {}

    /// Whether [`Handler::prefetch`] is worth calling now (asked before every event; the
    /// default: never).
    fn prefetching(&self) -> bool {
        false
    }
}

/// Why a run stopped abnormally.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RunError {
    /// The max-events guard tripped: the scenario generates more events than allowed.
    #[error(
        "stopped after {processed} events at {at}: the max-events guard ({limit}) tripped; raise `max_events` in the scenario or shorten the horizon"
    )]
    TooManyEvents {
        /// Events processed before stopping.
        processed: u64,
        /// The configured limit.
        limit: u64,
        /// Simulated time when the guard tripped.
        at: SimTime,
    },
}

/// What a finished run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Events handled.
    pub events_processed: u64,
    /// Simulated time of the last handled event.
    pub last_event_at: SimTime,
    /// Events still scheduled after the horizon.
    pub events_left: usize,
}

/// A simulation: a clock, a queue, a horizon and an event budget.
pub struct Simulation<E> {
    sched: Scheduler<E>,
    horizon: SimTime,
    max_events: u64,
}

impl<E: Copy> Simulation<E> {
    /// A simulation that stops at `horizon` (events at exactly the horizon still run) or after `max_events`.
    pub fn new(horizon: SimTime, max_events: u64) -> Self {
        Self { sched: Scheduler { now: SimTime::ZERO, queue: EventQueue::with_capacity(1024) }, horizon, max_events }
    }

    /// The scheduler, to seed initial events before running.
    pub fn scheduler(&mut self) -> &mut Scheduler<E> {
        &mut self.sched
    }

    /// Runs until the queue is empty, the horizon passes or the guard trips.
    pub fn run<H: Handler<E>>(&mut self, handler: &mut H) -> Result<RunStats, RunError> {
        let mut processed: u64 = 0;
        while let Some(time) = self.sched.queue.peek_time() {
            if time > self.horizon {
                break;
            }
            if processed >= self.max_events {
                return Err(RunError::TooManyEvents { processed, limit: self.max_events, at: time });
            }
            let (time, event) = self.sched.queue.pop().expect("peeked");
            debug_assert!(time >= self.sched.now, "time went backwards");
            self.sched.now = time;
            if handler.prefetching() {
                for ahead in (1..=LOOK_AHEAD).rev() {
                    if let Some(next) = self.sched.queue.peek_queued(ahead - 1) {
                        handler.prefetch(next, ahead);
                    }
                }
            }
            handler.handle(event, &mut self.sched);
            processed += 1;
        }
        Ok(RunStats { events_processed: processed, last_event_at: self.sched.now, events_left: self.sched.queue.len() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo(Vec<(u64, u32)>);
    impl Handler<u32> for Echo {
        fn handle(&mut self, event: u32, sched: &mut Scheduler<u32>) {
            self.0.push((sched.now().as_ms(), event));
            if event < 3 {
                sched.after(SimDuration::from_ms(10), event + 1);
            }
        }
    }

    #[test]
    fn runs_follow_ups_in_order() {
        let mut sim = Simulation::new(SimTime(1_000), 100);
        sim.scheduler().at(SimTime(5), 0);
        let mut h = Echo(vec![]);
        let stats = sim.run(&mut h).unwrap();
        assert_eq!(h.0, vec![(5, 0), (15, 1), (25, 2), (35, 3)]);
        assert_eq!(stats.events_processed, 4);
    }

    #[test]
    fn horizon_stops_the_run() {
        let mut sim = Simulation::new(SimTime(20), 100);
        sim.scheduler().at(SimTime(5), 0);
        let mut h = Echo(vec![]);
        let stats = sim.run(&mut h).unwrap();
        assert_eq!(h.0.len(), 2);
        assert_eq!(stats.events_left, 1);
    }

    struct Forever;
    impl Handler<u32> for Forever {
        fn handle(&mut self, e: u32, sched: &mut Scheduler<u32>) {
            sched.after(SimDuration::from_ms(1), e);
        }
    }

    #[test]
    fn max_events_guard_is_an_error_not_a_hang() {
        let mut sim = Simulation::new(SimTime::MAX, 50);
        sim.scheduler().at(SimTime(0), 0);
        let err = sim.run(&mut Forever).unwrap_err();
        assert!(matches!(err, RunError::TooManyEvents { processed: 50, limit: 50, .. }));
        assert!(err.to_string().contains("max_events"));
    }
}
