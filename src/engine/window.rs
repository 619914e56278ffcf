//! The measurement window's share of the counters the engine, the planner's quota gates and the
//! links keep for the whole run (plan counters, quota waits and peaks, link traffic and peaks).
//!
//! A count only grows, so the window's count is the count when the window closes minus the
//! count when it opens. A peak (the most slots of a quota held at once, its longest queue, the
//! most transfers on a link, their highest aggregate rate, the longest deletion wait) restarts,
//! when the window opens, from the level standing then, so it is the peak within the window.
//! The window opens before the first event at or after `measure_from` and closes before the
//! first event after `measure_to` (or at the horizon): `[from, to]`, both ends included, as every
//! other statistic of the summary. Without a window, the counters are the whole run's, untouched.

use super::PlanStats;
use crate::kernel::{SimDuration, SimTime};
use crate::model::World;
use crate::planner::Planner;

/// One quota gate's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuotaCounts {
    /// Most slots held at once.
    pub in_flight_peak: u32,
    /// Copies that had to wait.
    pub waits: u64,
    /// Longest queue.
    pub queue_peak: u64,
}

/// One link's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkCounts {
    /// Bytes carried by the transfers that ended (and, at the horizon, by those still moving).
    pub bytes_carried: u64,
    /// Transfers that ended.
    pub transfers: u64,
    /// Most transfers at once.
    pub active_peak: u32,
    /// Highest aggregate rate.
    pub rate_sum_peak_bytes_per_s: u64,
}

/// The counters over the measurement window (the whole run without one), by scenario plan,
/// quota gate and link index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Measured {
    /// Per schedule or plan.
    pub plans: Vec<PlanStats>,
    /// Per quota gate (gates are made as first used: a gate made after the window opened
    /// counts from zero).
    pub quotas: Vec<QuotaCounts>,
    /// Per link.
    pub links: Vec<LinkCounts>,
}

impl Measured {
    /// The counters as they stand.
    pub fn now(plans: &[PlanStats], planner: &Planner, world: &World) -> Self {
        Self {
            plans: plans.to_vec(),
            quotas: planner
                .gates()
                .quotas()
                .iter()
                .map(|g| QuotaCounts {
                    in_flight_peak: g.in_flight_peak,
                    waits: g.wait_count,
                    queue_peak: g.queue_peak as u64,
                })
                .collect(),
            links: world
                .links
                .iter()
                .map(|l| LinkCounts {
                    bytes_carried: l.bytes_carried,
                    transfers: l.transfers_finished,
                    active_peak: l.active_peak,
                    rate_sum_peak_bytes_per_s: l.rate_sum_peak_bytes_per_s,
                })
                .collect(),
        }
    }

    /// What happened between `opened` and `self` (taken later, its peaks restarted at
    /// `opened`): counts subtracted, peaks as they are.
    fn since(mut self, opened: &Measured) -> Self {
        for (p, o) in self.plans.iter_mut().zip(&opened.plans) {
            *p = p.since(o);
        }
        for (q, o) in self.quotas.iter_mut().zip(&opened.quotas) {
            q.waits -= o.waits;
        }
        for (l, o) in self.links.iter_mut().zip(&opened.links) {
            l.bytes_carried -= o.bytes_carried;
            l.transfers -= o.transfers;
        }
        self
    }
}

/// Where a run is in its measurement window.
#[derive(Debug)]
pub(super) struct Window {
    from: SimTime,
    to: SimTime,
    /// The counters when the window opened.
    opened: Option<Measured>,
    /// The counters when it closed.
    closed: Option<Measured>,
}

impl Window {
    /// The window `[from, to]`.
    pub(super) fn new(from: SimTime, to: SimTime) -> Self {
        Self { from, to, opened: None, closed: None }
    }

    /// The instant from which the next event opens or closes the window (`SimTime::MAX`: none).
    pub(super) fn next_mark(&self) -> SimTime {
        match (&self.opened, &self.closed) {
            (None, _) => self.from,
            (Some(_), None) => self.to + SimDuration::from_ms(1),
            (Some(_), Some(_)) => SimTime::MAX,
        }
    }

    /// Before an event at `now` (at or after [`Window::next_mark`]), or at the horizon
    /// (`now` = `None`): opens the window, restarting the peaks, and closes it, as due.
    pub(super) fn mark(
        &mut self,
        now: Option<SimTime>,
        plans: &mut [PlanStats],
        planner: &mut Planner,
        world: &mut World,
    ) {
        if self.opened.is_none() && now.is_none_or(|t| t >= self.from) {
            self.opened = Some(Measured::now(plans, planner, world));
            for p in plans.iter_mut() {
                p.deletion_wait_ms_max = 0;
            }
            planner.restart_peaks();
            for l in &mut world.links {
                l.restart_peaks();
            }
        }
        if self.opened.is_some() && self.closed.is_none() && now.is_none_or(|t| t > self.to) {
            self.closed = Some(Measured::now(plans, planner, world));
        }
    }

    /// The window's counters (after the horizon's [`Window::mark`]).
    pub(super) fn measured(self) -> Measured {
        let opened = self.opened.unwrap_or_default();
        self.closed.unwrap_or_default().since(&opened)
    }
}
