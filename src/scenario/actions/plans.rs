//! Plans (and plain schedules) stopped, started again, or deleted at a time.

use super::{Act, ActionDef, BuildCx, Effect, Effects, Reach};
use crate::scenario::events::plan_action;

/// `disable_plan`.
pub(super) const DISABLE_PLAN: ActionDef = ActionDef {
    name: "disable_plan",
    required: &["policy"],
    optional: &["plan"],
    description: "the plan (all the policy's plans without `plan`; or a schedule named by `policy`) stops: no backups, no deletions; its backups stay",
    build: |b| build(b, Change::Disable),
};

/// `enable_plan`.
pub(super) const ENABLE_PLAN: ActionDef = ActionDef {
    name: "enable_plan",
    required: &["policy"],
    optional: &["plan"],
    description: "a disabled plan runs again from its next occurrence",
    build: |b| build(b, Change::Enable),
};

/// `delete_plan`.
pub(super) const DELETE_PLAN: ActionDef = ActionDef {
    name: "delete_plan",
    required: &["policy"],
    optional: &["plan"],
    description: "deletes the plan — or, without `plan`, the policy and all its plans; existing backups stay",
    build: |b| build(b, Change::Delete),
};

fn build(b: &mut BuildCx<'_, '_>, change: Change) -> Option<Box<dyn super::Act>> {
    let schedules = plan_action(b.ctx, b.e, b.schedules, b.policies)?;
    Some(Box::new(Plans { schedules, change }))
}

/// What happens to the plans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    /// They stop: no backups, no deletions.
    Disable,
    /// They run again from their next occurrence (unless deleted).
    Enable,
    /// They are deleted (a policy's deletion deletes all its plans); existing backups stay.
    Delete,
}

/// Plans (indices into the scenario's schedules) stopped, started or deleted.
#[derive(Debug)]
struct Plans {
    schedules: Vec<u32>,
    change: Change,
}

fn plan_names(cx: &dyn Effects, schedules: &[u32]) -> String {
    schedules.iter().map(|&i| cx.plan_name(i)).collect::<Vec<_>>().join(", ")
}

impl Act for Plans {
    fn reaches(&self) -> Reach {
        Reach::Nothing
    }

    fn enables(&self) -> &[u32] {
        if self.change == Change::Enable { &self.schedules } else { &[] }
    }

    fn target(&self, cx: &dyn Effects) -> String {
        plan_names(cx, &self.schedules)
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        if self.change != Change::Enable {
            let delete = self.change == Change::Delete;
            for &i in &self.schedules {
                cx.stop_plan(i, delete);
            }
            let what = if delete { "deleted; existing backups stay" } else { "stopped" };
            return Ok(format!("{} {what}", plan_names(cx, &self.schedules)));
        }
        let enabled: Vec<u32> = self.schedules.iter().copied().filter(|&i| !cx.plan_deleted(i)).collect();
        for &i in &enabled {
            cx.start_plan(i);
        }
        if enabled.is_empty() {
            Err(format!("{} was deleted and cannot be enabled", plan_names(cx, &self.schedules)))
        } else {
            Ok(format!("{} enabled", plan_names(cx, &enabled)))
        }
    }
}
