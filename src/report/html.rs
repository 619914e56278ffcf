//! `report.html`: one self-contained page — summary tables and every chart (PNG as data URIs),
//! no network, no external files — built from `summary.json` and the chart bytes alone.

use std::fmt::Write as _;

use base64::Engine as _;
use serde_json::Value;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => esc(s),
        Value::Null => String::new(),
        Value::Array(a) => esc(&a
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(", ")),
        other => esc(&other.to_string()),
    }
}

/// A table of the objects in `rows`, with `columns` as `(key, heading)`.
fn table(out: &mut String, rows: &[Value], columns: &[(&str, &str)]) {
    if rows.is_empty() {
        out.push_str("<p class=\"none\">none</p>\n");
        return;
    }
    out.push_str("<table><thead><tr>");
    for (_, h) in columns {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for (k, _) in columns {
            let _ = write!(out, "<td>{}</td>", cell(&r[*k]));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// A two-column table of an object's fields.
fn pairs(out: &mut String, obj: &Value) {
    let Some(map) = obj.as_object() else {
        out.push_str("<p class=\"none\">none</p>\n");
        return;
    };
    out.push_str("<table><tbody>\n");
    for (k, v) in map {
        let shown = match v {
            Value::Object(m) => m.iter().map(|(a, b)| format!("{a}: {}", cell(b))).collect::<Vec<_>>().join(", "),
            other => cell(other),
        };
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", esc(k), shown);
    }
    out.push_str("</tbody></table>\n");
}

const STYLE: &str = "body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f5f5f5}.meta{color:#555}.none{color:#888}img{max-width:100%;border:1px solid #eee;margin:.5rem 0}";

/// The page.
pub fn render(summary: &Value, charts: &[(String, Vec<u8>)]) -> String {
    let s = summary;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>copysim — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>copysim report — {}</h1>\n<p class=\"meta\">copysim {} · seed {} · {} → {} · scenario {} (sha256 {})</p>\n",
        cell(&s["scenario"]),
        cell(&s["scenario"]),
        cell(&s["copysim_version"]),
        cell(&s["seed"]),
        cell(&s["start"]),
        cell(&s["end"]),
        cell(&s["scenario_source"]),
        cell(&s["scenario_sha256"])
    );
    o.push_str("<h2>Backups</h2>\n");
    pairs(&mut o, &s["backups"]);
    o.push_str("<h2>Copies</h2>\n");
    pairs(&mut o, &s["copies"]);
    o.push_str("<h2>Queue waits</h2>\n");
    pairs(&mut o, &s["queue_wait"]);
    o.push_str("<h2>Cost</h2>\n");
    pairs(&mut o, &s["cost"]);
    o.push_str("<h2>RPO per DR region</h2>\n");
    table(
        &mut o,
        s["rpo"].as_array().map_or(&[][..], Vec::as_slice),
        &[
            ("region", "region"),
            ("samples", "samples"),
            ("p50_s", "p50 (s)"),
            ("p95_s", "p95 (s)"),
            ("max_s", "max (s)"),
            ("target_s", "target (s)"),
            ("above_target_ppm", "above target (ppm)"),
        ],
    );
    o.push_str("<h2>Disaster drills</h2>\n");
    table(
        &mut o,
        s["drills"].as_array().map_or(&[][..], Vec::as_slice),
        &[
            ("failed_region", "region out"),
            ("outage_at", "at"),
            ("volumes", "volumes"),
            ("restored", "restored"),
            ("no_copy", "no copy"),
            ("rto_ready_s", "RTO ready (s)"),
            ("rto_hydrated_s", "RTO hydrated (s)"),
            ("data_loss_s_p50", "data loss p50 (s)"),
            ("data_loss_s_max", "data loss max (s)"),
        ],
    );
    o.push_str("<h2>Quotas</h2>\n");
    table(
        &mut o,
        s["quotas"].as_array().map_or(&[][..], Vec::as_slice),
        &[
            ("scope", "scope"),
            ("limit", "limit"),
            ("in_flight_peak", "peak in flight"),
            ("waits", "copies that waited"),
            ("queue_peak", "longest queue"),
        ],
    );
    o.push_str("<h2>Schedules and plans</h2>\n");
    table(
        &mut o,
        s["plans"].as_array().map_or(&[][..], Vec::as_slice),
        &[
            ("name", "name"),
            ("timing", "timing"),
            ("volumes", "volumes"),
            ("runs", "runs"),
            ("backups_taken", "taken"),
            ("backups_kept", "kept"),
            ("backups_deleted_age", "deleted (age)"),
            ("backups_deleted_count", "deleted (count)"),
            ("copies_requested", "copies"),
            ("copies_kept", "copies kept"),
            ("deletions_waited", "deletions waited"),
        ],
    );
    o.push_str("<h2>Links</h2>\n");
    table(
        &mut o,
        s["links"].as_array().map_or(&[][..], Vec::as_slice),
        &[
            ("from", "from"),
            ("to", "to"),
            ("bandwidth_bytes_per_s", "bandwidth (B/s)"),
            ("copy_cap_bytes_per_s", "per-copy cap (B/s)"),
            ("bytes_carried", "bytes carried"),
            ("transfers", "transfers"),
            ("active_peak", "peak transfers"),
        ],
    );
    o.push_str("<h2>Charts</h2>\n");
    let pngs: Vec<&(String, Vec<u8>)> = charts.iter().filter(|(n, _)| n.ends_with(".png")).collect();
    if pngs.is_empty() {
        o.push_str("<p class=\"none\">Charts were not drawn for this run: run with <code>--charts</code>, or <code>copysim chart OUTDIR</code>.</p>\n");
    }
    for (name, bytes) in pngs {
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        let _ = writeln!(o, "<figure><img alt=\"{}\" src=\"data:image/png;base64,{b64}\"></figure>", esc(name));
    }
    let violations = s["invariant_violations"].as_array().map_or(0, Vec::len);
    let _ = write!(o, "<p class=\"meta\">{violations} invariant violations.</p>\n</body>\n</html>\n");
    o
}
