//! `report.html`: one self-contained page a planner can forward — the answers first (RPO against
//! its target, cost and run-rate, RTO per drill, full copies and why, failed and refused copies,
//! quota waits) in human units with the exact figure on hover, then the charts as inline SVG,
//! then detail tables in a deliberate order. Built from `summary.json` and the chart files alone
//! (so `copysim chart` can redraw it), rendered by a template engine that escapes every value.

use minijinja::{Environment, Value as Safe};
use serde::Serialize;
use serde_json::Value;

use super::human::{self, list, ms, nano_usd, num, ranked, text};

const TEMPLATE: &str = include_str!("report.html.j2");

/// A piece of text, with the exact figure it rounds (shown on hover).
#[derive(Clone, Debug, Serialize)]
struct P {
    text: String,
    exact: Option<String>,
}

fn t(text: impl Into<String>) -> P {
    P { text: text.into(), exact: None }
}

fn x(text: impl Into<String>, exact: impl Into<String>) -> P {
    P { text: text.into(), exact: Some(exact.into()) }
}

/// A headline card: one answer.
#[derive(Debug, Serialize)]
struct Card {
    id: &'static str,
    title: String,
    verdict: &'static str,
    verdict_text: &'static str,
    value: Vec<P>,
    lines: Vec<Vec<P>>,
}

/// A detail table cell.
#[derive(Debug, Serialize)]
struct Cell {
    text: String,
    exact: Option<String>,
    num: bool,
}

#[derive(Debug, Serialize)]
struct Table {
    id: &'static str,
    caption: &'static str,
    headers: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Serialize)]
struct Chart {
    name: String,
    caption: String,
    svg: Safe,
}

#[derive(Debug, Serialize)]
struct Meta {
    scenario: String,
    version: String,
    seed: String,
    start: String,
    end: String,
    window: Option<String>,
    source: String,
    sha256: String,
}

#[derive(Debug, Serialize)]
struct Page {
    meta: Meta,
    headline: Vec<Card>,
    charts: Vec<Chart>,
    /// A `--detail summary` run: no rows to draw charts from (the page says so instead of how
    /// to draw them).
    summary_detail: bool,
    tables: Vec<Table>,
    violations: usize,
}

fn secs(v: &Value) -> P {
    match num(v) {
        Some(s) => x(human::duration_s(s), format!("{} s", text(v))),
        None => t("—"),
    }
}

fn usd(v: &Value) -> P {
    match num(v) {
        Some(d) => x(human::usd(d), format!("${}", text(v))),
        None => t("—"),
    }
}

fn bytes(v: &Value) -> P {
    let n = v.as_u64().or_else(|| num(v).map(|f| f as u64)).unwrap_or(0);
    x(human::bytes(n), format!("{} bytes", human::count(n)))
}

fn count(v: &Value) -> P {
    let n = v.as_u64().or_else(|| num(v).map(|f| f as u64)).unwrap_or(0);
    t(human::count(n))
}

fn map_total(v: &Value) -> u64 {
    v.as_object().map_or(0, |m| m.values().filter_map(Value::as_u64).sum())
}

fn words(key: &str) -> String {
    key.replace('_', " ")
}

/// The longest time between two runs among the schedules and plans that copy (that requested
/// or keep copies: one that keeps its backups at home holds no DR region's RPO), in seconds,
/// with its name and whether it is a cron plan: an `every …` interval, or a cron expression's
/// longest gap between two runs over the run (to its first run after the end: a daily
/// `30 1 * * *` is a day, weekdays at 09:00 three days over a weekend).
fn longest_interval(s: &Value) -> Option<(f64, String, bool)> {
    let count = |p: &Value, k: &str| p[k].as_u64().unwrap_or(0);
    list(&s["plans"])
        .iter()
        .filter(|p| count(p, "copies_requested") + count(p, "copies_kept") > 0)
        .filter_map(|p| {
            let timing = p["timing"].as_str()?;
            let (secs, cron) = match timing.strip_prefix("every ") {
                Some(every) => (humantime::parse_duration(every).ok()?.as_secs_f64(), false),
                None => (longest_cron_gap_s(s, timing.strip_prefix("cron ")?)?, true),
            };
            Some((secs, text(&p["name"]), cron))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
}

/// The longest gap, in seconds, between two consecutive runs of cron expression `cron` from the
/// run's start to its first run after the run's end (at most [`CRON_GAPS`] runs looked at).
fn longest_cron_gap_s(s: &Value, cron: &str) -> Option<f64> {
    use crate::kernel::SimTime;
    const CRON_GAPS: usize = 10_000;
    let start: jiff::Timestamp = s["start"].as_str()?.parse().ok()?;
    let end: jiff::Timestamp = s["end"].as_str()?.parse().ok()?;
    let end = SimTime(u64::try_from(end.as_millisecond() - start.as_millisecond()).ok()?);
    let timing = crate::scenario::timing::parse_cron(cron).ok()?;
    let mut at = timing.first(start)?;
    let mut longest = None;
    for _ in 0..CRON_GAPS {
        if at > end {
            break;
        }
        let next = timing.next_after(start, at)?;
        longest = longest.max(Some(next.since(at).as_ms()));
        at = next;
    }
    longest.map(|ms| ms as f64 / 1000.0)
}

fn rpo_cards(s: &Value) -> Vec<Card> {
    let waits_p95 = num(&ms(&s["queue_wait"]["p95_ms"])).unwrap_or(0.0);
    let longest = longest_interval(s);
    list(&s["rpo"])
        .iter()
        .map(|r| {
            let region = text(&r["region"]);
            let p95 = num(&ms(&r["p95_ms"])).unwrap_or(0.0);
            let target = num(&ms(&r["target_ms"]));
            let above = r["above_target_ppm"].as_u64().unwrap_or(0) as f64 / 1e6;
            let mut value = vec![t("p95 "), secs(&ms(&r["p95_ms"]))];
            let worst = num(&ms(&r["max_ms"])).unwrap_or(0.0);
            let (verdict, verdict_text) = match target {
                Some(tg) if p95 > tg => ("warn", "above target"),
                Some(tg) if worst > tg => ("warn", "p95 within target, worst above"),
                Some(_) => ("ok", "within target"),
                None => ("info", "no target set"),
            };
            if target.is_some() {
                value.extend([t(" against "), secs(&ms(&r["target_ms"]))]);
            }
            let mut lines = vec![vec![t("median "), secs(&ms(&r["p50_ms"])), t(", worst "), secs(&ms(&r["max_ms"]))]];
            if target.is_some() {
                lines.push(vec![
                    x(human::percent(above), format!("{} ppm", human::count((above * 1e6) as u64))),
                    t(" of the time above the target"),
                ]);
            }
            if let (Some(tg), Some((every, name, cron))) = (target, &longest)
                && *every > tg
            {
                let gap = x(human::duration_s(*every), format!("{every} s"));
                lines.push(if *cron {
                    vec![t(format!("{name} leaves up to ")), gap, t(" between backups: no RPO below that can be met")]
                } else {
                    vec![t(format!("{name} backs up every ")), gap, t(": no RPO below that can be met")]
                });
            }
            if target.is_some_and(|tg| waits_p95 > tg / 4.0) {
                lines.push(vec![
                    t("copies queued "),
                    secs(&ms(&s["queue_wait"]["p95_ms"])),
                    t(" at p95 before starting, behind quotas, earlier copies of their volume or outages"),
                ]);
            }
            lines.extend(outage_notes(s, &region).into_iter().map(|n| vec![t(n)]));
            Card { id: "rpo", title: format!("RPO in {region}"), verdict, verdict_text, value, lines }
        })
        .collect()
}

/// The outages in the RPO figures of DR region `region`: those that start in the measured
/// time (the window, or the run) of a region its copies come from — nothing is copied out of a
/// region while it is down — or of the region itself — copies into it fail and wait until it
/// is back. An outage of any other region (another DR region, another provider's) moves no copy
/// of this one and is not named; one that starts before the window or at its end is not named
/// either (`summary.json` gives no outage's end, so whether it reaches into the window is unknown).
fn outage_notes(s: &Value, region: &str) -> Vec<String> {
    let (from, to) = (s["window"]["from"].as_str(), s["window"]["to"].as_str());
    // Copies into `region` came from `f`: its link was used (an undeclared link is listed only
    // once used), or carried something in the measured time.
    let copies_from = |f: &str| {
        list(&s["links"]).iter().any(|l| {
            text(&l["from"]) == f
                && text(&l["to"]) == region
                && (l["declared"] == Value::Bool(false)
                    || l["transfers"].as_u64().unwrap_or(0) > 0
                    || l["bytes_carried"].as_u64().unwrap_or(0) > 0)
        })
    };
    let mut notes = Vec::new();
    for d in list(&s["drills"]) {
        let (failed, at) = (text(&d["failed_region"]), text(&d["outage_at"]));
        // Timestamps share one fixed format, so they order as strings.
        if from.is_some_and(|f| at.as_str() < f) || to.is_some_and(|t| at.as_str() >= t) {
            continue;
        }
        let when = at.get(..16).map_or(at.clone(), |a| a.replace('T', " "));
        if failed == region {
            notes.push(format!(
                "includes the outage of {failed} itself from {when} UTC: copies into a region fail while it is down and \
                 wait until it is back, so RPO grows until they land"
            ));
        } else if copies_from(&failed) {
            notes.push(format!(
                "includes the outage of {failed}, where its copies come from, from {when} UTC: nothing is copied out of a \
                 region while it is down, so RPO grows until it is back"
            ));
        }
    }
    notes
}

fn cost_card(s: &Value) -> Option<Card> {
    let c = &s["cost"];
    if c.is_null() {
        return None;
    }
    let w = &s["window"];
    let over = match (w.get("cost_from"), w.get("cost_to")) {
        (Some(a), Some(b)) => format!("over the days {} → {} (those that start in the window) ", text(a), text(b)),
        _ if w.is_object() => "over no day (none starts in the window) ".to_string(),
        _ => "over the run ".to_string(),
    };
    let lines = vec![
        vec![t(over), usd(&nano_usd(&c["total_nano_usd"]))],
        vec![
            t("storage "),
            usd(&nano_usd(&c["storage_nano_usd"])),
            t(" · transfer "),
            usd(&nano_usd(&c["transfer_nano_usd"])),
            t(" · fast restore "),
            usd(&nano_usd(&c["fast_restore_nano_usd"])),
        ],
    ];
    Some(Card {
        id: "cost",
        title: "Cost".into(),
        verdict: "info",
        verdict_text: "run-rate",
        value: vec![usd(&nano_usd(&c["monthly_run_rate_nano_usd"])), t(" per month")],
        lines,
    })
}

fn drill_cards(s: &Value) -> Vec<Card> {
    // A drill of a region holding no volume (a DR region's outage) has no RTO to show: its
    // row in the drills table says so.
    let has_volumes = |d: &&Value| d["volumes"].as_u64().unwrap_or(0) + d["unprotected"].as_u64().unwrap_or(0) > 0;
    // The RPO target (one per run, repeated per DR region): a drill's data loss is its RPO then.
    let target = list(&s["rpo"]).iter().find_map(|r| r["target_ms"].as_u64());
    list(&s["drills"])
        .iter()
        .filter(has_volumes)
        .map(|d| {
            let lost = d["no_copy"].as_u64().unwrap_or(0) + d["unprotected"].as_u64().unwrap_or(0);
            // Every volume back, but from copies older than the RPO target allows: not "ok".
            let loss_above_target = target.zip(d["data_loss_ms_max"].as_u64()).is_some_and(|(tg, loss)| loss > tg);
            let (verdict, verdict_text) = match (lost > 0, loss_above_target) {
                (true, _) => ("bad", "volumes lost"),
                (false, true) => ("warn", "all restored, data loss above the RPO target"),
                (false, false) => ("ok", "all restored"),
            };
            let mut restored = vec![
                count(&d["restored"]),
                t(" of "),
                count(&d["volumes"]),
                t(" volumes restored; "),
                count(&d["no_copy"]),
                t(" had no copy"),
            ];
            if d["unprotected"].as_u64().unwrap_or(0) > 0 {
                restored.extend([t("; "), count(&d["unprotected"]), t(" more there had no DR copy configured")]);
            }
            Card {
                id: "drill",
                title: format!("RTO when {} goes down", text(&d["failed_region"])),
                verdict,
                verdict_text,
                value: vec![
                    secs(&ms(&d["rto_ready_ms"])),
                    t(" ready · "),
                    secs(&ms(&d["rto_hydrated_ms"])),
                    t(" hydrated"),
                ],
                lines: {
                    let mut lines = vec![
                        vec![t(format!("out at {}", text(&d["outage_at"])))],
                        restored,
                        vec![
                            t("data lost on restored volumes: up to "),
                            secs(&ms(&d["data_loss_ms_max"])),
                            t(" (median "),
                            secs(&ms(&d["data_loss_ms_p50"])),
                            t(")"),
                        ],
                    ];
                    // With several DR regions, each one's restores: a planner fails over to one.
                    let into = list(&d["restored_into"]);
                    if into.len() > 1 {
                        for r in into.iter() {
                            lines.push(vec![
                                t(format!("into {}: ", text(&r["region"]))),
                                count(&r["restored"]),
                                t(" restored, "),
                                secs(&ms(&r["rto_ready_ms"])),
                                t(" ready · "),
                                secs(&ms(&r["rto_hydrated_ms"])),
                                t(" hydrated, data lost up to "),
                                secs(&ms(&r["data_loss_ms_max"])),
                            ]);
                        }
                    }
                    lines
                },
            }
        })
        .collect()
}

fn full_copy_card(s: &Value) -> Card {
    let c = &s["copies"];
    // Of the copies that moved data, as the terminal, the sweeps' `full_copy_share` and the
    // full-copies warning count them (a copy that moves no data, an accepted share: neither).
    let kind = |k: &str| c["by_kind"][k].as_u64().unwrap_or(0);
    let (full, moved) = (kind("full"), kind("full") + kind("incremental"));
    let started = map_total(&c["by_kind"]);
    let share = if moved == 0 { 0.0 } else { full as f64 / moved as f64 };
    let full_reasons = &c["full_by_reason"];
    let (reasons, label) = if full_reasons.is_object() {
        (ranked(full_reasons), "why full: ")
    } else {
        (ranked(&c["by_reason"]), "reasons (all copies): ")
    };
    let mut line = vec![t(label)];
    for (k, (reason, n)) in reasons.iter().take(4).enumerate() {
        if k > 0 {
            line.push(t(" · "));
        }
        line.push(t(format!("{} {}", words(reason), human::count(*n))));
    }
    if reasons.is_empty() {
        line = vec![t(match (started, moved) {
            (0, _) => "no copy completed",
            (_, 0) => "no completed copy moved data",
            _ => "no completed copy was full",
        })];
    }
    Card {
        id: "full",
        title: "Full copies".into(),
        verdict: if share > 0.25 { "warn" } else { "info" },
        verdict_text: "of copies",
        value: vec![x(human::percent(share), format!("{full} of {moved}"))],
        lines: vec![
            vec![
                bytes(&c["bytes_transferred"]),
                t(" moved; "),
                count(&Value::from(started)),
                t(if started == 1 { " copy completed" } else { " copies completed" }),
                t(if moved < started {
                    format!(", {} of them full or incremental", human::count(moved))
                } else {
                    String::new()
                }),
            ],
            line,
        ],
    }
}

fn failed_card(s: &Value) -> Card {
    let c = &s["copies"];
    let bad = ["REJECTED", "FAULTY"].iter().map(|k| c["by_state"][*k].as_u64().unwrap_or(0)).sum::<u64>();
    let mut lines =
        vec![vec![count(&c["by_state"]["REJECTED"]), t(" refused, "), count(&c["by_state"]["FAULTY"]), t(" failed")]];
    for (error, n) in ranked(&c["by_error"]).into_iter().take(4) {
        lines.push(vec![t(format!("{error}: {}", human::count(n)))]);
    }
    Card {
        id: "failed",
        title: "Refused and failed copies".into(),
        verdict: if bad > 0 { "warn" } else { "ok" },
        verdict_text: if bad > 0 { "look at these" } else { "none" },
        value: vec![
            t(human::count(bad)),
            t(format!(" of {} requested", human::count(c["requested"].as_u64().unwrap_or(0)))),
        ],
        lines,
    }
}

fn waits_card(s: &Value) -> Card {
    let q = &s["queue_wait"];
    let first = if q["started"].as_u64().unwrap_or(0) == 0 {
        vec![t("no copy started, no wait to measure")]
    } else {
        vec![t("p95 "), secs(&ms(&q["p95_ms"])), t(", longest "), secs(&ms(&q["max_ms"]))]
    };
    let mut lines = vec![first];
    // One DR region's waits behind its quota can hide in the fleet's percentiles.
    let by_region = list(&s["queue_wait_by_region"]);
    if by_region.len() > 1 {
        for r in by_region.iter() {
            lines.push(vec![
                t(format!("into {}: p95 ", text(&r["region"]))),
                secs(&ms(&r["p95_ms"])),
                t(", longest "),
                secs(&ms(&r["max_ms"])),
            ]);
        }
    }
    lines.push(vec![count(&s["copies"]["throttled_requests"]), t(" throttled requests")]);
    for quota in list(&s["quotas"]).iter().filter(|q| q["waits"].as_u64().unwrap_or(0) > 0).take(3) {
        lines.push(vec![
            t(format!("{} (limit {}): ", text(&quota["scope"]), text(&quota["limit"]))),
            count(&quota["waits"]),
            t(" waited, queue up to "),
            count(&quota["queue_peak"]),
        ]);
    }
    let waited = q["waited"].as_u64().unwrap_or(0);
    Card {
        id: "waits",
        title: "Queue waits".into(),
        verdict: if waited > 0 { "info" } else { "ok" },
        verdict_text: "copies that waited",
        value: vec![
            count(&q["waited"]),
            t(format!(" of {} started", human::count(q["started"].as_u64().unwrap_or(0)))),
        ],
        lines,
    }
}

fn warnings_card(s: &Value) -> Option<Card> {
    let warnings = list(&s["warnings"]);
    if warnings.is_empty() {
        return None;
    }
    Some(Card {
        id: "warnings",
        title: "Warnings".into(),
        verdict: "bad",
        verdict_text: "read first",
        value: vec![t(format!("{} warning{}", warnings.len(), if warnings.len() == 1 { "" } else { "s" }))],
        lines: warnings.iter().map(|w| vec![t(text(w))]).collect(),
    })
}

fn headline(s: &Value) -> Vec<Card> {
    let mut cards: Vec<Card> = warnings_card(s).into_iter().collect();
    cards.extend(rpo_cards(s));
    cards.extend(cost_card(s));
    cards.extend(drill_cards(s));
    cards.push(full_copy_card(s));
    cards.push(failed_card(s));
    cards.push(waits_card(s));
    cards
}

fn cell(p: P, num: bool) -> Cell {
    Cell { text: p.text, exact: p.exact, num }
}

fn c(v: &Value) -> Cell {
    cell(t(text(v)), false)
}

fn n(p: P) -> Cell {
    cell(p, true)
}

fn map_table(id: &'static str, caption: &'static str, head: &'static str, v: &Value) -> Table {
    let rows =
        ranked(v).into_iter().map(|(k, count)| vec![cell(t(words(&k)), false), n(t(human::count(count)))]).collect();
    Table { id, caption, headers: vec![head, "copies"], rows }
}

fn tables(s: &Value) -> Vec<Table> {
    let mut out = Vec::new();
    recovery_tables(s, &mut out);
    copy_tables(s, &mut out);
    cost_table(s, &mut out);
    fleet_tables(s, &mut out);
    out
}

fn recovery_tables(s: &Value, out: &mut Vec<Table>) {
    out.push(Table {
        id: "rpo",
        caption: "RPO per DR region",
        headers: vec!["region", "volume-time measured", "median", "p95", "worst", "target", "time above target"],
        rows: list(&s["rpo"])
            .iter()
            .map(|r| {
                let above = match r["above_target_ppm"].as_u64() {
                    Some(ppm) => x(human::percent(ppm as f64 / 1e6), format!("{ppm} ppm")),
                    None => t("—"),
                };
                vec![
                    c(&r["region"]),
                    n(secs(&ms(&r["measured_ms"]))),
                    n(secs(&ms(&r["p50_ms"]))),
                    n(secs(&ms(&r["p95_ms"]))),
                    n(secs(&ms(&r["max_ms"]))),
                    n(secs(&ms(&r["target_ms"]))),
                    n(above),
                ]
            })
            .collect(),
    });
    out.push(Table {
        id: "drills",
        caption: "Disaster drills",
        headers: vec![
            "drill",
            "region out",
            "at",
            "volumes",
            "restored",
            "no copy",
            "no DR copy configured",
            "RTO ready",
            "RTO hydrated",
            "data loss (median)",
            "data loss (worst)",
        ],
        rows: list(&s["drills"])
            .iter()
            .map(|d| {
                vec![
                    n(count(&d["drill"])),
                    c(&d["failed_region"]),
                    c(&d["outage_at"]),
                    n(count(&d["volumes"])),
                    n(count(&d["restored"])),
                    n(count(&d["no_copy"])),
                    n(count(&d["unprotected"])),
                    n(secs(&ms(&d["rto_ready_ms"]))),
                    n(secs(&ms(&d["rto_hydrated_ms"]))),
                    n(secs(&ms(&d["data_loss_ms_p50"]))),
                    n(secs(&ms(&d["data_loss_ms_max"]))),
                ]
            })
            .collect(),
    });
}

fn copy_tables(s: &Value, out: &mut Vec<Table>) {
    out.push(map_table("states", "Copies by state at the end", "state", &s["copies"]["by_state"]));
    out.push(map_table("kinds", "Copies by kind", "kind", &s["copies"]["by_kind"]));
    out.push(map_table("reasons", "Copies by reason", "reason", &s["copies"]["by_reason"]));
    out.push(map_table("errors", "Errors", "error", &s["copies"]["by_error"]));
}

fn cost_table(s: &Value, out: &mut Vec<Table>) {
    if !s["cost"].is_null() {
        let cost = &s["cost"];
        let mut rows: Vec<Vec<Cell>> = ["storage", "transfer", "fast_restore", "total", "monthly_run_rate"]
            .iter()
            .map(|k| vec![cell(t(words(k)), false), n(usd(&nano_usd(&cost[format!("{k}_nano_usd")])))])
            .collect();
        if let Some(m) = cost["by_region"].as_object() {
            for (region, rc) in m {
                for k in ["storage", "transfer", "fast_restore", "monthly_run_rate"] {
                    let amount = &rc[format!("{k}_nano_usd")];
                    if k == "monthly_run_rate" || amount.as_u64().is_some_and(|v| v > 0) {
                        let label = format!("{} in {region}", words(k));
                        rows.push(vec![cell(t(label), false), n(usd(&nano_usd(amount)))]);
                    }
                }
            }
        }
        if let Some(m) = cost["storage_bytes_at_end"].as_object() {
            rows.extend(
                m.iter().map(|(region, b)| vec![cell(t(format!("stored at the end in {region}")), false), n(bytes(b))]),
            );
        }
        out.push(Table { id: "cost", caption: "Cost (US dollars)", headers: vec!["item", "amount"], rows });
    }
}

fn fleet_tables(s: &Value, out: &mut Vec<Table>) {
    out.push(Table {
        id: "quotas",
        caption: "Quota gates",
        headers: vec!["scope", "limit", "peak in flight", "copies that waited", "longest queue"],
        rows: list(&s["quotas"])
            .iter()
            .map(|q| {
                vec![
                    c(&q["scope"]),
                    n(count(&q["limit"])),
                    n(count(&q["in_flight_peak"])),
                    n(count(&q["waits"])),
                    n(count(&q["queue_peak"])),
                ]
            })
            .collect(),
    });
    out.push(Table {
        id: "plans",
        caption: "Schedules and plans",
        headers: vec![
            "name",
            "timing",
            "volumes",
            "runs",
            "backups taken",
            "kept",
            "deleted (age)",
            "deleted (count)",
            "copies",
            "copies kept",
        ],
        rows: list(&s["plans"])
            .iter()
            .map(|p| {
                vec![
                    c(&p["name"]),
                    c(&p["timing"]),
                    n(count(&p["volumes"])),
                    n(count(&p["runs"])),
                    n(count(&p["backups_taken"])),
                    n(count(&p["backups_kept"])),
                    n(count(&p["backups_deleted_age"])),
                    n(count(&p["backups_deleted_count"])),
                    n(count(&p["copies_requested"])),
                    n(count(&p["copies_kept"])),
                ]
            })
            .collect(),
    });
    out.push(Table {
        id: "links",
        caption: "Links",
        headers: vec!["from", "to", "bandwidth", "per-copy cap", "carried", "transfers", "peak transfers"],
        rows: list(&s["links"])
            .iter()
            .map(|l| {
                vec![
                    c(&l["from"]),
                    c(&l["to"]),
                    n(rate(&l["bandwidth_bytes_per_s"])),
                    n(rate(&l["copy_cap_bytes_per_s"])),
                    n(bytes(&l["bytes_carried"])),
                    n(count(&l["transfers"])),
                    n(count(&l["active_peak"])),
                ]
            })
            .collect(),
    });
    let b = &s["backups"];
    out.push(Table {
        id: "backups",
        caption: "Backups",
        headers: vec!["taken", "full", "incremental", "captured", "skipped (outage)"],
        rows: vec![vec![
            n(count(&b["taken"])),
            n(count(&b["full"])),
            n(count(&b["incremental"])),
            n(bytes(&b["bytes"])),
            n(count(&b["skipped_outage"])),
        ]],
    });
}

/// A rate as scenario files give it: in binary units when it is a whole number of them and not
/// of decimal megabytes (`2,000 MiB/s` as written, not `2.10 GB/s`), else decimal.
fn rate(v: &Value) -> P {
    let b = v.as_u64().unwrap_or(0);
    let binary = [("GiB", 1u64 << 30), ("MiB", 1 << 20)]
        .into_iter()
        .find(|&(_, size)| b >= size && b.is_multiple_of(size) && !b.is_multiple_of(1_000_000))
        .map(|(unit, size)| format!("{} {unit}/s", human::count(b / size)));
    x(binary.unwrap_or_else(|| format!("{}/s", human::bytes(b))), format!("{} B/s", human::count(b)))
}

/// Chart captions by file stem.
fn caption(name: &str) -> String {
    match name {
        "copies-in-flight" => "Copies in flight per quota gate: peak per time bucket, average, and the quota".into(),
        "rpo" => "RPO over time: median and worst volume against the target".into(),
        "cost" => "Cumulative cost by category".into(),
        "copy-reasons" => "Copies by kind and reason".into(),
        "restore" => "Restore progress after the outage".into(),
        other => other.replace('-', " "),
    }
}

/// The chart SVGs in `charts`, made responsive (a viewBox from their size) for inline use.
fn inline_charts(charts: &[(String, Vec<u8>)]) -> Vec<Chart> {
    charts
        .iter()
        .filter_map(|(file, bytes)| {
            let name = file.strip_prefix("chart-")?.strip_suffix(".svg")?;
            let svg = String::from_utf8_lossy(bytes);
            let start = svg.find("<svg")?;
            let mut svg = svg[start..].to_string();
            if !svg[..svg.find('>')?].contains("viewBox") {
                let (w, h) = super::super::chart::render::SIZE;
                svg = svg.replacen(
                    "<svg",
                    &format!("<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\"", caption(name)),
                    1,
                );
            }
            Some(Chart { name: name.to_string(), caption: caption(name), svg: Safe::from_safe_string(svg) })
        })
        .collect()
}

/// Timed events listed on the page at most; the rest are counted (they are all in `actions.csv`).
const EVENTS_SHOWN: usize = 100;

/// The scenario's timed events as `actions.csv` has them (none at `--detail summary`): what
/// explains an RPO spike, a failed copy or a full one.
fn events_table(actions: &[crate::chart::inputs::Row], out: &mut Vec<Table>) {
    if actions.is_empty() {
        return;
    }
    let get = |r: &crate::chart::inputs::Row, k: &str| r.get(k).cloned().unwrap_or_default();
    let mut rows: Vec<Vec<Cell>> = actions
        .iter()
        .take(EVENTS_SHOWN)
        .map(|r| ["at", "action", "target", "outcome", "detail"].iter().map(|k| cell(t(get(r, k)), false)).collect())
        .collect();
    if actions.len() > EVENTS_SHOWN {
        let more = format!("… and {} more in actions.csv", human::count((actions.len() - EVENTS_SHOWN) as u64));
        rows.push(vec![cell(t(more), false), c(&Value::Null), c(&Value::Null), c(&Value::Null), c(&Value::Null)]);
    }
    out.push(Table {
        id: "events",
        caption: "Timed events (actions.csv)",
        headers: vec!["at", "action", "target", "outcome", "detail"],
        rows,
    });
}

/// The page, from `summary.json`'s value, the run's timed events (`actions.csv` rows, if written)
/// and the chart files (`chart-*.svg` are inlined).
pub fn render(summary: &Value, actions: &[crate::chart::inputs::Row], charts: &[(String, Vec<u8>)]) -> String {
    page(summary, actions, charts, false)
}

/// `report.html` of a `--detail summary` run: no charts, since no per-copy rows were written.
pub fn render_summary_detail(summary: &Value) -> String {
    page(summary, &[], &[], true)
}

fn page(
    summary: &Value,
    actions: &[crate::chart::inputs::Row],
    charts: &[(String, Vec<u8>)],
    summary_detail: bool,
) -> String {
    let s = summary;
    let page = Page {
        meta: Meta {
            scenario: text(&s["scenario"]),
            version: text(&s["copysim_version"]),
            seed: text(&s["seed"]),
            start: text(&s["start"]),
            end: text(&s["end"]),
            window: s["window"].as_object().map(|w| format!("{} → {}", text(&w["from"]), text(&w["to"]))),
            source: text(&s["scenario_source"]),
            sha256: text(&s["scenario_sha256"]),
        },
        headline: headline(s),
        charts: inline_charts(charts),
        summary_detail,
        tables: {
            let mut all = tables(s);
            events_table(actions, &mut all);
            all
        },
        violations: list(&s["invariant_violations"]).len(),
    };
    let mut env = Environment::new();
    let rendered = env
        .add_template("report.html", TEMPLATE)
        .and_then(|()| env.get_template("report.html"))
        .and_then(|tpl| tpl.render(minijinja::value::Serde(&page)));
    match rendered {
        Ok(html) => html + "\n",
        Err(e) => format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>copysim</title></head><body><p>report.html could not be rendered: {}</p></body></html>\n",
            e.to_string().replace('<', "&lt;")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> Value {
        serde_json::json!({
            "scenario": "t<script>", "copysim_version": "0.1.0", "seed": 42,
            "start": "2026-01-05T00:00:00Z", "end": "2026-01-12T00:00:00Z",
            "scenario_source": "a.toml", "scenario_sha256": "ab",
            "backups": {"taken": 10, "full": 1, "incremental": 9, "bytes": 1000, "skipped_outage": 0},
            "copies": {"requested": 10, "by_state": {"AVAILABLE": 9, "FAULTY": 1}, "by_kind": {"full": 2, "incremental": 8},
                       "by_reason": {"first_copy": 2, "previous_copy_exists": 8}, "by_error": {"InternalError": 1},
                       "bytes_transferred": 85358163483873u64, "throttled_requests": 0},
            "queue_wait": {"started": 10, "waited": 2, "p50_ms": 0, "p95_ms": 3612949, "max_ms": 27037740, "mean_ms": 1000},
            "quotas": [], "links": [], "policies": [], "actions": {"ok": 0, "rejected": 0}, "disks_restored": 0,
            "plans": [{"name": "db-hourly", "timing": "every 6h", "copies_requested": 10, "copies_kept": 4}],
            "cost": null,
            "rpo": [{"region": "us-west-2", "measured_ms": 36000000, "p50_ms": 9000000, "p95_ms": 32400000, "max_ms": 63000000, "target_ms": 7200000, "above_target_ppm": 599235}],
            "drills": [], "invariant_violations": []
        })
    }

    #[test]
    fn the_headline_answers_first_in_human_units_with_exact_figures_on_hover() {
        let html = render(&summary(), &[], &[]);
        let headline = &html[html.find("id=\"headline\"").unwrap()..html.find("id=\"charts\"").unwrap()];
        assert!(headline.contains("RPO in us-west-2"), "{headline}");
        assert!(
            headline.contains("<span title=\"32400.000 s\">9 h</span> against <span title=\"7200.000 s\">2 h</span>"),
            "{headline}"
        );
        assert!(headline.contains("59.9 %"), "{headline}");
        assert!(headline.contains("db-hourly backs up every"), "the interval explains the miss: {headline}");
        assert!(headline.contains("<span title=\"85,358,163,483,873 bytes\">85.4 TB</span>"), "{headline}");
        assert!(headline.contains("InternalError: 1"), "{headline}");
    }

    #[test]
    fn the_rpo_card_names_the_outages_of_its_sources_and_of_itself_in_the_measured_time() {
        let mut s = summary();
        s["links"] = serde_json::json!([
            {"from": "us-east-1", "to": "us-west-2", "declared": true, "transfers": 9, "bytes_carried": 100},
            {"from": "us-east-1", "to": "eu-west-1", "declared": true, "transfers": 9, "bytes_carried": 100},
            {"from": "eu-west-1", "to": "us-west-2", "declared": true, "transfers": 0, "bytes_carried": 0}
        ]);
        let drill = |region: &str, at: &str| serde_json::json!({"drill": 1, "failed_region": region, "outage_at": at});
        let headline = |s: &Value| {
            let html = render(s, &[], &[]);
            html[html.find("id=\"headline\"").unwrap()..html.find("id=\"charts\"").unwrap()].to_string()
        };
        // The source of its copies: nothing leaves it while it is down.
        s["drills"] = serde_json::json!([drill("us-east-1", "2026-01-11T12:00:00.000Z")]);
        let h = headline(&s);
        assert!(
            h.contains("includes the outage of us-east-1, where its copies come from, from 2026-01-11 12:00 UTC"),
            "{h}"
        );
        // The DR region itself: copies into it fail and wait, its RPO grows.
        s["drills"] = serde_json::json!([drill("us-west-2", "2026-01-11T12:00:00.000Z")]);
        let h = headline(&s);
        assert!(h.contains("includes the outage of us-west-2 itself from 2026-01-11 12:00 UTC"), "{h}");
        // Another DR region (a declared link from it that carried nothing): no copy of us-west-2's moves.
        s["drills"] = serde_json::json!([drill("eu-west-1", "2026-01-11T12:00:00.000Z")]);
        assert!(!headline(&s).contains("includes the outage"), "{}", headline(&s));
        // An outage after the measured window, or at its end, is in none of its figures.
        s["window"] = serde_json::json!({"from": "2026-01-06T00:00:00.000Z", "to": "2026-01-11T12:00:00.000Z"});
        s["drills"] = serde_json::json!([drill("us-east-1", "2026-01-11T12:00:00.000Z")]);
        assert!(!headline(&s).contains("includes the outage"), "{}", headline(&s));
        s["drills"] = serde_json::json!([drill("us-east-1", "2026-01-05T12:00:00.000Z")]);
        assert!(!headline(&s).contains("includes the outage"), "{}", headline(&s));
        s["drills"] = serde_json::json!([drill("us-east-1", "2026-01-06T00:00:00.000Z")]);
        assert!(headline(&s).contains("includes the outage of us-east-1"), "{}", headline(&s));
    }

    #[test]
    fn the_rpo_card_blames_the_longest_interval_of_a_plan_that_copies_cron_plans_included() {
        let card = |plans: Value| {
            let mut s = summary();
            s["plans"] = plans;
            let html = render(&s, &[], &[]);
            html[html.find("id=\"headline\"").unwrap()..html.find("id=\"charts\"").unwrap()].to_string()
        };
        // A weekly schedule that keeps its backups at home holds no DR region's RPO: the hourly
        // one copying to us-west-2, every hour (under the 2 h target), is what does.
        let h = card(serde_json::json!([
            {"name": "hourly-dr", "timing": "every 1h", "copies_requested": 70, "copies_kept": 24},
            {"name": "weekly-local", "timing": "every 7days", "copies_requested": 0, "copies_kept": 0}
        ]));
        assert!(!h.contains("weekly-local") && !h.contains("no RPO below that"), "{h}");
        // A nightly cron plan copying to the DR region: a day between runs, above the 2 h target.
        let h = card(serde_json::json!([
            {"name": "db-4h", "timing": "cron 0 */4 * * *", "copies_requested": 70, "copies_kept": 24},
            {"name": "app-nightly", "timing": "cron 30 1 * * *", "copies_requested": 7, "copies_kept": 7}
        ]));
        assert!(h.contains("app-nightly leaves up to <span title=\"86400 s\">1 d</span> between backups"), "{h}");
        // Weekdays at 09:00 (the run is Mon 5 to Mon 12 January 2026): Friday to Monday, 3 days.
        let h = card(serde_json::json!([
            {"name": "office", "timing": "cron 0 9 * * 1-5", "copies_requested": 5, "copies_kept": 5}
        ]));
        assert!(h.contains("office leaves up to <span title=\"259200 s\">3 d</span> between backups"), "{h}");
    }

    #[test]
    fn a_drill_that_restores_every_volume_from_copies_older_than_the_rpo_target_is_not_ok() {
        // The target is 2 h; every volume restored, the worst from a copy 8 d 3 h old.
        let mut s = summary();
        let drill = |loss_ms: u64| {
            serde_json::json!([{"drill": 1, "failed_region": "us-east-1", "outage_at": "2026-01-11T12:00:00.000Z",
                "volumes": 10, "restored": 10, "no_copy": 0, "unprotected": 0, "rto_ready_ms": 120000,
                "rto_hydrated_ms": 29161908, "data_loss_ms_max": loss_ms, "data_loss_ms_p50": 3600000}])
        };
        let card = |s: &Value| {
            let html = render(s, &[], &[]);
            let at = html.find("RTO when us-east-1 goes down").expect("the drill's card");
            html[html[..at].rfind("<article").expect("card start")..at].to_string()
        };
        s["drills"] = drill(702_000_000);
        assert!(card(&s).contains("all restored, data loss above the RPO target"), "{}", card(&s));
        s["drills"] = drill(3_600_000);
        assert!(card(&s).contains("all restored") && !card(&s).contains("above the RPO target"), "{}", card(&s));
        // No target: nothing to hold the loss against.
        s["rpo"][0]["target_ms"] = Value::Null;
        s["drills"] = drill(702_000_000);
        assert!(!card(&s).contains("above the RPO target"), "{}", card(&s));
    }

    #[test]
    fn a_summary_detail_page_does_not_offer_charts_it_cannot_draw() {
        // `--charts` and `copysim chart` are refused for a `--detail summary` run.
        let html = render_summary_detail(&summary());
        assert!(html.contains("this is a <code>--detail summary</code> run"), "{html}");
        assert!(!html.contains("copysim chart OUTDIR"), "{html}");
        assert!(render(&summary(), &[], &[]).contains("copysim chart OUTDIR"));
    }

    #[test]
    fn warnings_come_first() {
        let mut s = summary();
        s["warnings"] = serde_json::json!(["retention deleted 3 snapshots before they were copied"]);
        let html = render(&s, &[], &[]);
        let w = html.find("card-warnings").unwrap();
        assert!(w < html.find("card-rpo").unwrap() && html.contains("before they were copied"));
    }

    #[test]
    fn every_value_is_escaped() {
        let html = render(&summary(), &[], &[]);
        assert!(!html.contains("t<script>") && html.contains("t&lt;script&gt;"));
    }

    #[test]
    fn charts_are_inlined_as_responsive_svg() {
        let svg = b"<?xml version=\"1.0\"?>\n<svg width=\"960\" height=\"540\" xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>".to_vec();
        let html = render(&summary(), &[], &[("chart-rpo.svg".into(), svg), ("chart-rpo.png".into(), vec![1, 2])]);
        assert!(html.contains("<svg viewBox=\"0 0 960 540\" role=\"img\" aria-label=\"RPO over time"), "{html}");
        assert!(!html.contains("<?xml"), "the XML prolog is dropped inside HTML");
    }

    #[test]
    fn timed_events_are_listed_escaped_and_capped() {
        let row = |i: usize| -> crate::chart::inputs::Row {
            [
                ("at", format!("2026-01-0{}T00:00:00.000Z", 1 + i % 9)),
                ("action", "region_outage".into()),
                ("target", "us-west-2".into()),
                ("outcome", "ok".into()),
                ("detail", "<b>2 h</b>".into()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
        };
        let html = render(&summary(), &[row(0)], &[]);
        assert!(html.contains("Timed events (actions.csv)") && html.contains("region_outage"), "{html}");
        assert!(html.contains("&lt;b&gt;2 h") && !html.contains("<b>2 h"), "escaped");
        let many: Vec<_> = (0..EVENTS_SHOWN + 7).map(row).collect();
        assert!(render(&summary(), &many, &[]).contains("… and 7 more in actions.csv"));
        assert!(!render(&summary(), &[], &[]).contains("Timed events"), "no table without actions.csv");
    }

    #[test]
    fn rates_read_as_scenario_files_give_them() {
        let shown = |b: u64| rate(&serde_json::json!(b)).text;
        assert_eq!(shown(2000 << 20), "2,000 MiB/s");
        assert_eq!(shown(10 << 30), "10 GiB/s");
        assert_eq!(shown(125_000_000), "125 MB/s"); // 1 Gbps
        assert_eq!(shown(0), "0 B/s");
    }
}
