//! The terminal summary `copysim run` prints: the answers in human units, with the exact figure
//! in parentheses where a planner may copy it. `--format json` prints `summary.json` instead.

use std::fmt::Write as _;

use serde_json::Value;

use super::human::{self, count, list, ms, nano_usd, num, ranked, secs_of, text, usd_of};

fn n(v: &Value) -> String {
    count(v.as_u64().unwrap_or(0))
}

fn joined(items: Vec<(String, u64)>, limit: usize) -> String {
    let shown: Vec<String> = items.iter().take(limit).map(|(k, c)| format!("{k} {}", count(*c))).collect();
    let more = items.len().saturating_sub(limit);
    if more > 0 { format!("{}, and {more} more", shown.join(", ")) } else { shown.join(", ") }
}

/// A duration with its exact seconds: `1 h (3612.949 s)`.
fn exact_secs(v: &Value) -> String {
    match num(v) {
        Some(s) if s >= 60.0 => format!("{} ({} s)", human::duration_s(s), text(v)),
        Some(s) => human::duration_s(s),
        None => "—".to_string(),
    }
}

/// The summary for a terminal, from `summary.json`'s value.
pub fn render(s: &Value, out_dir: &str) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "copysim {} · scenario {} · seed {} · {} → {}",
        text(&s["copysim_version"]),
        text(&s["scenario"]),
        text(&s["seed"]),
        text(&s["start"]),
        text(&s["end"])
    );
    if let Some(w) = s["window"].as_object() {
        // Cost bills the days that start in the window, each whole: say which.
        let billed = match (w.get("cost_from"), w.get("cost_to")) {
            (Some(a), Some(b)) => format!("; cost, the days {} → {}", text(a), text(b)),
            _ if !s["cost"].is_null() => "; cost, no day (none starts in the window)".to_string(),
            _ => String::new(),
        };
        let _ = writeln!(
            t,
            "  window    {} → {}: the statistics below cover this window; drills, storage and copy states at the end, and the CSV rows, the whole run{billed}",
            text(&w["from"]),
            text(&w["to"])
        );
    }
    let b = &s["backups"];
    let _ = writeln!(
        t,
        "  backups   {} taken ({} full, {} incremental), {} captured",
        n(&b["taken"]),
        n(&b["full"]),
        n(&b["incremental"]),
        human::bytes(b["bytes"].as_u64().unwrap_or(0))
    );
    copies(&mut t, s);
    let q = &s["queue_wait"];
    if q["started"].as_u64().unwrap_or(0) == 0 {
        // No wait was measured: "p50 0 s" would read as copies that started at once.
        let _ = writeln!(
            t,
            "  waits     no copy started, no wait to measure; {} throttled requests",
            n(&s["copies"]["throttled_requests"])
        );
    } else {
        let _ = writeln!(
            t,
            "  waits     {} of {} started copies waited; p50 {}, p95 {}, max {}; {} throttled requests",
            n(&q["waited"]),
            n(&q["started"]),
            secs_of(&ms(&q["p50_ms"])),
            exact_secs(&ms(&q["p95_ms"])),
            exact_secs(&ms(&q["max_ms"])),
            n(&s["copies"]["throttled_requests"])
        );
        // One DR region's waits behind its quota can hide in the fleet's percentiles.
        let by_region = s["queue_wait_by_region"].as_array().map(Vec::as_slice).unwrap_or_default();
        if by_region.len() > 1 {
            let each: Vec<String> = by_region
                .iter()
                .map(|r| {
                    format!(
                        "{} p95 {}, max {}",
                        r["region"].as_str().unwrap_or(""),
                        secs_of(&ms(&r["p95_ms"])),
                        secs_of(&ms(&r["max_ms"]))
                    )
                })
                .collect();
            let _ = writeln!(t, "  waits in  {} (copies into each DR region)", each.join("; "));
        }
    }
    let c = &s["cost"];
    if !c.is_null() {
        let _ = writeln!(
            t,
            "  cost      {} (storage {}, transfer {}, fast restore {}); run-rate {}/month",
            usd_of(&nano_usd(&c["total_nano_usd"])),
            usd_of(&nano_usd(&c["storage_nano_usd"])),
            usd_of(&nano_usd(&c["transfer_nano_usd"])),
            usd_of(&nano_usd(&c["fast_restore_nano_usd"])),
            usd_of(&nano_usd(&c["monthly_run_rate_nano_usd"]))
        );
        // Per region, when there are several: what each side of the copies costs.
        if let Some(regions) = c["by_region"].as_object().filter(|m| m.len() > 1) {
            let each: Vec<String> = regions
                .iter()
                .map(|(r, rc)| format!("{r} {}/month", usd_of(&nano_usd(&rc["monthly_run_rate_nano_usd"]))))
                .collect();
            let _ = writeln!(t, "  by region {} (run-rate; transfer billed where copies leave)", each.join(", "));
        }
    }
    recovery(&mut t, s);
    let a = &s["actions"];
    if a["ok"].as_u64().unwrap_or(0) + a["rejected"].as_u64().unwrap_or(0) > 0 {
        let _ = writeln!(t, "  actions   {} ok, {} rejected", n(&a["ok"]), n(&a["rejected"]));
    }
    for w in list(&s["warnings"]) {
        let _ = writeln!(t, "  WARNING   {}", text(w));
    }
    let violations: Vec<String> = list(&s["invariant_violations"]).iter().map(text).collect();
    if !violations.is_empty() {
        let _ = writeln!(t, "  INVARIANT VIOLATIONS: {}", violations.join("; "));
    }
    let _ = writeln!(t, "  wrote     {out_dir}/");
    t
}

fn recovery(t: &mut String, s: &Value) {
    for r in list(&s["rpo"]) {
        let target = match num(&ms(&r["target_ms"])) {
            Some(tg) => format!(
                "; {} of the time above the {} target",
                human::percent(r["above_target_ppm"].as_u64().unwrap_or(0) as f64 / 1e6),
                human::duration_s(tg)
            ),
            None => String::new(),
        };
        let _ = writeln!(
            t,
            "  rpo       {}: p50 {}, p95 {}, max {}{target}",
            text(&r["region"]),
            secs_of(&ms(&r["p50_ms"])),
            exact_secs(&ms(&r["p95_ms"])),
            secs_of(&ms(&r["max_ms"]))
        );
    }
    for d in list(&s["drills"]) {
        if d["volumes"].as_u64().unwrap_or(0) + d["unprotected"].as_u64().unwrap_or(0) == 0 {
            let (drill, region) = (format!("drill {}", n(&d["drill"])), text(&d["failed_region"]));
            let _ = writeln!(t, "  {drill:<10}{region} out at {}: no volume there to restore", text(&d["outage_at"]));
            continue;
        }
        let mut lost = String::new();
        if d["no_copy"].as_u64().unwrap_or(0) > 0 {
            lost += &format!(", {} lost (no copy)", n(&d["no_copy"]));
        }
        if d["unprotected"].as_u64().unwrap_or(0) > 0 {
            lost += &format!(", {} more there had no DR copy configured", n(&d["unprotected"]));
        }
        // With several DR regions, where they were restored and each region's own figures.
        let into = list(&d["restored_into"]);
        if into.len() > 1 {
            let each: Vec<String> = into
                .iter()
                .map(|r| {
                    format!(
                        "{} in {}, RTO {} ready / {} hydrated, loss up to {}",
                        n(&r["restored"]),
                        text(&r["region"]),
                        secs_of(&ms(&r["rto_ready_ms"])),
                        secs_of(&ms(&r["rto_hydrated_ms"])),
                        secs_of(&ms(&r["data_loss_ms_max"]))
                    )
                })
                .collect();
            lost += &format!(" ({})", each.join("; "));
        }
        let _ = writeln!(
            t,
            "  {:<10}{} out at {}: {} of {} volumes restored{lost}, RTO {} ready / {} hydrated, data loss up to {}",
            format!("drill {}", n(&d["drill"])),
            text(&d["failed_region"]),
            text(&d["outage_at"]),
            n(&d["restored"]),
            n(&d["volumes"]),
            exact_secs(&ms(&d["rto_ready_ms"])),
            exact_secs(&ms(&d["rto_hydrated_ms"])),
            secs_of(&ms(&d["data_loss_ms_max"]))
        );
    }
}

fn copies(t: &mut String, s: &Value) {
    let c = &s["copies"];
    let by_kind = ranked(&c["by_kind"]);
    let done: u64 = by_kind.iter().map(|(_, v)| v).sum();
    let kinds: Vec<String> = by_kind.into_iter().map(|(k, v)| format!("{} {k}", count(v))).collect();
    let completed = if kinds.is_empty() {
        "none completed".to_string()
    } else {
        format!("{} completed ({})", count(done), kinds.join(", "))
    };
    let _ = writeln!(
        t,
        "  copies    {} requested, {completed}; {} moved",
        n(&c["requested"]),
        human::bytes(c["bytes_transferred"].as_u64().unwrap_or(0))
    );
    let _ = writeln!(t, "  states    {}", joined(ranked(&c["by_state"]), 8));
    if c["by_reason"].as_object().is_some_and(|m| !m.is_empty()) {
        let _ = writeln!(t, "  reasons   {}", joined(ranked(&c["by_reason"]), 4));
    }
    if c["by_error"].as_object().is_some_and(|m| !m.is_empty()) {
        let _ = writeln!(t, "  errors    {}", joined(ranked(&c["by_error"]), 4));
    }
    // Of the copies that moved data, as the sweeps' `full_copy_share` and the full-copies
    // warning count them: a copy that moves no data (EBS same region) and an accepted share are
    // neither full nor incremental.
    let kind = |k: &str| c["by_kind"][k].as_u64().unwrap_or(0);
    let (full, moved) = (kind("full"), kind("full") + kind("incremental"));
    if moved > 0 {
        let left_out: Vec<String> = ranked(&c["by_kind"])
            .into_iter()
            .filter(|(k, _)| k != "full" && k != "incremental")
            .map(|(k, v)| format!("{} {k}", count(v)))
            .collect();
        let _ = writeln!(
            t,
            "  full      {} of completed copies{} were full ({} of {}{})",
            human::percent(full as f64 / moved as f64),
            if left_out.is_empty() { "" } else { " that moved data" },
            count(full),
            count(moved),
            if left_out.is_empty() { String::new() } else { format!("; {} left out", left_out.join(", ")) }
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_in_human_units_with_the_exact_one_where_it_matters() {
        let s = serde_json::json!({
            "copysim_version": "0.1.0", "scenario": "q", "seed": 42, "start": "a", "end": "b",
            "backups": {"taken": 11480, "full": 240, "incremental": 11240, "bytes": 85358163483873u64},
            "copies": {"requested": 11440, "by_kind": {"full": 242, "incremental": 11198}, "by_state": {"AVAILABLE": 11419},
                       "by_reason": {}, "by_error": {}, "bytes_transferred": 0, "throttled_requests": 5066},
            "queue_wait": {"started": 11440, "waited": 5145, "p50_ms": 0, "p95_ms": 3612949, "max_ms": 27037740},
            "cost": {"total_nano_usd": 3543799141000u64, "storage_nano_usd": 1000000000, "transfer_nano_usd": 2000000000, "fast_restore_nano_usd": 0, "monthly_run_rate_nano_usd": 15398651029000u64},
            "rpo": [{"region": "us-west-2", "p50_ms": 9000000, "p95_ms": 32400000, "max_ms": 63000000, "target_ms": 7200000, "above_target_ppm": 599235}],
            "drills": [], "actions": {"ok": 0, "rejected": 0}, "invariant_violations": []
        });
        let out = render(&s, "outputs/q");
        assert!(out.contains("11,480 taken (240 full, 11,240 incremental), 85.4 TB captured"), "{out}");
        assert!(out.contains("p50 0 s, p95 1 h (3612.949 s), max 7 h 31 min (27037.740 s); 5,066 throttled"), "{out}");
        assert!(
            out.contains("$3,543.80 (storage $1.00, transfer $2.00, fast restore $0.00); run-rate $15,398.65/month"),
            "{out}"
        );
        assert!(out.contains("us-west-2: p50 2 h 30 min, p95 9 h (32400.000 s), max 17 h 30 min; 59.9 % of the time above the 2 h target"), "{out}");
        assert!(out.contains("2.1 % of completed copies were full (242 of 11,440)"), "{out}");
        assert!(!out.contains("reasons"), "no reasons, no line: {out}");
    }

    #[test]
    fn requests_none_of_which_completed_say_so() {
        // Twenty Huawei shares still pending: nothing completed, nothing to give reasons for.
        let s = serde_json::json!({
            "copysim_version": "0.1.0", "scenario": "q", "seed": 1, "start": "a", "end": "b",
            "backups": {"taken": 2, "full": 1, "incremental": 1, "bytes": 10},
            "copies": {"requested": 20, "by_kind": {}, "by_state": {"PENDING": 20},
                       "by_reason": {}, "by_error": {}, "bytes_transferred": 0, "throttled_requests": 0},
            "queue_wait": {"started": 0, "waited": 0, "p50_ms": 0, "p95_ms": 0, "max_ms": 0},
            "rpo": [], "drills": [], "actions": {"ok": 22, "rejected": 0}, "invariant_violations": []
        });
        let out = render(&s, "outputs/q");
        assert!(out.contains("20 requested, none completed; 0 B moved"), "{out}");
        assert!(!out.contains("reasons"), "{out}");
    }

    #[test]
    fn a_run_where_no_copy_started_shows_no_queue_wait_figures() {
        // Huawei shares move nothing and start no copy: "0 of 0 started copies waited; p50 0 s,
        // p95 0 s, max 0 s" read as copies that all started at once.
        let s = serde_json::json!({
            "copysim_version": "0.1.0", "scenario": "q", "seed": 1, "start": "a", "end": "b",
            "backups": {"taken": 2, "full": 1, "incremental": 1, "bytes": 10},
            "copies": {"requested": 3, "by_kind": {}, "by_state": {"PENDING": 3},
                       "by_reason": {}, "by_error": {}, "bytes_transferred": 0, "throttled_requests": 0},
            "queue_wait": {"started": 0, "waited": 0, "p50_ms": 0, "p95_ms": 0, "max_ms": 0},
            "rpo": [], "drills": [], "actions": {"ok": 3, "rejected": 0}, "invariant_violations": []
        });
        let out = render(&s, "outputs/q");
        assert!(out.contains("  waits     no copy started, no wait to measure; 0 throttled requests\n"), "{out}");
        assert!(!out.contains("p50"), "{out}");
    }
}
