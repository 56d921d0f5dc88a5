//! Reads what `cargo bench -p gong-benches` and `scripts/build-cost.sh` left
//! under the target directory (criterion's `criterion/**/new/*.json` and
//! `gong-benches/*`), prints the BENCHMARKS.md tables, and draws the decode
//! plot to `benches/decode-vs-size.svg`.
//!
//! `cargo run --release -p gong-benches --bin bench-report`

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gong_benches::results;
use serde_json::Value;

/// Criterion medians, in nanoseconds per iteration, by full benchmark id
/// (`roundtrip/sequential/gong-api`, `decode/baseline/1000`, …).
fn criterion_medians(dir: &Path) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name == "new") {
                    if let Some((id, median)) = read_estimate(&path) {
                        out.insert(id, median);
                    }
                } else {
                    stack.push(path);
                }
            }
        }
    }
    out
}

fn read_estimate(new: &Path) -> Option<(String, f64)> {
    let read = |name: &str| -> Option<Value> {
        serde_json::from_slice(&std::fs::read(new.join(name)).ok()?).ok()
    };
    let id = read("benchmark.json")?["full_id"].as_str()?.to_string();
    let median = read("estimates.json")?["median"]["point_estimate"].as_f64()?;
    Some((id, median))
}

fn ms(ns: f64) -> String {
    if ns >= 1e7 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

struct Report {
    medians: BTreeMap<String, f64>,
    out: String,
}

impl Report {
    fn median(&self, id: &str) -> Option<f64> {
        self.medians.get(id).copied()
    }

    /// A row of instruction counts from `scripts/instructions.sh`.
    fn instructions_row(&mut self, counts: &Option<Value>, case: &str, label: &str) {
        let Some(c) = counts.as_ref().map(|counts| &counts[case]) else {
            return;
        };
        let (Some(a), Some(b)) = (c["gong-api"].as_f64(), c["baseline"].as_f64()) else {
            return;
        };
        let row = format!(
            "| {label}: instructions (callgrind; allocations in brackets) | {a:.0} ({}) | {b:.0} ({}) | **{:.3}** (instructions) | | |",
            c["allocations"]["gong-api"],
            c["allocations"]["baseline"],
            a / b
        );
        self.line(&row);
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A row comparing two criterion medians (times): the ratio is
    /// `ours / baseline` for times, `baseline / ours` for throughput.
    fn time_row(
        &mut self,
        label: &str,
        ours: &str,
        baseline: &str,
        throughput: bool,
        target: &str,
        paired: Option<f64>,
    ) {
        let (Some(a), Some(b)) = (self.median(ours), self.median(baseline)) else {
            self.line(&format!("| {label} | (not run) | | | {target} | |"));
            return;
        };
        let (ratio, paired_text) = if throughput {
            (b / a, paired.map(|p| format!("{:.3}", 1.0 / p)))
        } else {
            (a / b, paired.map(|p| format!("{p:.3}")))
        };
        let shown = |ns: f64| {
            if throughput {
                format!("{} ({:.0} calls/s)", ms(ns), 1e9 / ns)
            } else {
                ms(ns)
            }
        };
        let row = format!(
            "| {label} | {} | {} | **{ratio:.3}** | {} | {target} |",
            shown(a),
            shown(b),
            paired_text.unwrap_or_default()
        );
        self.line(&row);
    }
}

fn main() {
    let target = results::target_dir();
    let mut report = Report {
        medians: criterion_medians(&target.join("criterion")),
        out: String::new(),
    };
    let roundtrip = results::read("roundtrip");
    let decode = results::read("decode");
    let pacing = results::read("pacing");
    let instructions = results::read("instructions");
    let paired_ratio = |v: &Option<Value>, path: &[&str]| -> Option<f64> {
        let mut v = v.as_ref()?;
        for key in path {
            v = &v[*key];
        }
        v["ratio"].as_f64()
    };

    report.line("| measure | gong-api | baseline | ratio (criterion medians) | ratio (paired rounds) | target |");
    report.line("| --- | --- | --- | --- | --- | --- |");
    let p = paired_ratio(&roundtrip, &["paired", "sequential"]);
    report.time_row(
        "round trip, one call at a time (throughput)",
        "roundtrip/sequential/gong-api",
        "roundtrip/sequential/baseline",
        true,
        "≥ 0.95",
        p,
    );
    let p = paired_ratio(&roundtrip, &["paired", "concurrent16"]);
    report.time_row(
        "round trip, 16 tasks (throughput)",
        "roundtrip/concurrent16/gong-api",
        "roundtrip/concurrent16/baseline",
        true,
        "≥ 0.95",
        p,
    );
    report.instructions_row(&instructions, "call-3", "one call");
    if let Some(rt) = &roundtrip {
        let c = &rt["connections_per_1000"];
        report.line(&format!(
            "| connections opened per 1,000 calls (one at a time / 16 tasks) | {} / {} | {} / {} | | | one client reuses its connections |",
            c["gong-api"]["sequential"], c["gong-api"]["concurrent16"], c["baseline"]["sequential"], c["baseline"]["concurrent16"]
        ));
    }
    let users = decode
        .as_ref()
        .and_then(|d| d["users"].as_u64())
        .unwrap_or(100_000);
    let body = decode
        .as_ref()
        .and_then(|d| d["body_bytes"].as_f64())
        .unwrap_or(f64::NAN);
    let p = paired_ratio(&decode, &["paired", "decode"]);
    report.time_row(
        &format!("decode step alone, {users} users ({}) (time)", mb(body)),
        &format!("decode/gong-api/{users}"),
        &format!("decode/baseline/{users}"),
        false,
        "≤ 1.05",
        p,
    );
    report.instructions_row(
        &instructions,
        "decode-100000",
        &format!("decode step alone, {users} users"),
    );
    let p = paired_ratio(&decode, &["paired", "call"]);
    report.time_row(
        &format!("whole call on loopback, {users} users (time)"),
        &format!("call/gong-api/{users}"),
        &format!("call/baseline/{users}"),
        false,
        "≤ 1.05",
        p,
    );
    report.instructions_row(
        &instructions,
        "call-100000",
        &format!("whole call, {users} users"),
    );
    if let Some(d) = &decode {
        for (key, label) in [("decode", "decode step alone"), ("call", "whole call")] {
            let m = &d["peak_heap_bytes"][key];
            let (a, b) = (
                m["gong-api"].as_f64().unwrap_or(f64::NAN),
                m["baseline"].as_f64().unwrap_or(f64::NAN),
            );
            report.line(&format!(
                "| peak heap, {label}, {users} users | {} ({:.2}× body) | {} ({:.2}× body) | **{:.3}** | | ≤ 3× body |",
                mb(a),
                a / body,
                mb(b),
                b / body,
                a / b
            ));
        }
    }
    if let Some(p) = &pacing {
        for run in p["runs"].as_array().into_iter().flatten() {
            report.line(&format!(
                "| pacing, {} calls {} | {:.3} s, {} × 429 | ideal {:.3} s | **{:.4}** | | within 2 %, no 429 |",
                run["calls"],
                run["mode"].as_str().unwrap_or_default(),
                run["elapsed_s"].as_f64().unwrap_or(f64::NAN),
                run["rejected_429"],
                run["ideal_s"].as_f64().unwrap_or(f64::NAN),
                run["elapsed_over_ideal"].as_f64().unwrap_or(f64::NAN),
            ));
        }
    }
    for (baseline, label) in [("cli/hello-world", "hello-world"), ("cli/true", "`true`")] {
        if let (Some(a), Some(b)) = (report.median("cli/gong --mock"), report.median(baseline)) {
            report.line(&format!(
                "| `gong --mock permission-profile users`, start to exit | {} | {label}: {} | {:.2} | | |",
                ms(a),
                ms(b),
                a / b
            ));
        }
    }

    report.line("");
    report.line("Decode time by size (criterion medians):");
    report.line("");
    report.line("| users | body | decode, gong-api | decode, baseline | ratio | whole call, gong-api | whole call, baseline | ratio |");
    report.line("| --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut points: Vec<(f64, [Option<f64>; 4])> = Vec::new();
    for size in decode
        .as_ref()
        .and_then(|d| d["sizes"].as_array().cloned())
        .unwrap_or_default()
    {
        let n = size["users"].as_u64().unwrap_or(0);
        let bytes = size["bytes"].as_f64().unwrap_or(f64::NAN);
        let get = |id: String| report.median(&id);
        let values = [
            get(format!("decode/gong-api/{n}")),
            get(format!("decode/baseline/{n}")),
            get(format!("call/gong-api/{n}")),
            get(format!("call/baseline/{n}")),
        ];
        let cell = |v: Option<f64>| v.map(ms).unwrap_or_else(|| "-".into());
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => format!("{:.3}", a / b),
            _ => "-".into(),
        };
        let row = format!(
            "| {n} | {} | {} | {} | {} | {} | {} | {} |",
            mb(bytes),
            cell(values[0]),
            cell(values[1]),
            ratio(values[0], values[1]),
            cell(values[2]),
            cell(values[3]),
            ratio(values[2], values[3]),
        );
        report.line(&row);
        points.push((n as f64, values));
    }

    let build_cost = results::results_dir().join("build-cost.md");
    if let Ok(text) = std::fs::read_to_string(&build_cost) {
        report.line("");
        report.line("Build cost (scripts/build-cost.sh):");
        report.line("");
        report.out.push_str(&text);
    }
    print!("{}", report.out);

    if points.iter().any(|(_, v)| v.iter().any(Option::is_some)) {
        let svg = plot(&points);
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("decode-vs-size.svg");
        std::fs::write(&path, svg).expect("write the plot");
        eprintln!("plot: {}", path.display());
    }
}

/// A log-log plot of time against users, four series: decode and whole
/// call, gong-api and baseline. Hand-written SVG, no plotting library.
fn plot(points: &[(f64, [Option<f64>; 4])]) -> String {
    const W: f64 = 760.0;
    const H: f64 = 480.0;
    const LEFT: f64 = 80.0;
    const RIGHT: f64 = 200.0;
    const TOP: f64 = 40.0;
    const BOTTOM: f64 = 60.0;
    let series = [
        ("decode step, gong-api", "#1f6fb4", "", "circle"),
        ("decode step, baseline", "#e0731b", "6 4", "square"),
        ("whole call, gong-api", "#2a9d4a", "", "circle"),
        ("whole call, baseline", "#b8336a", "6 4", "square"),
    ];
    let xs: Vec<f64> = points.iter().map(|(n, _)| *n).collect();
    let ys: Vec<f64> = points
        .iter()
        .flat_map(|(_, v)| v.iter().flatten().map(|ns| ns / 1e6))
        .collect();
    let (x0, x1) = (
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(0.0, f64::max),
    );
    let y_min = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let y_max = ys.iter().copied().fold(0.0, f64::max);
    // The 1-2-5 steps just around the data.
    let steps = |decade: f64| [decade, 2.0 * decade, 5.0 * decade];
    let y0 = steps(10f64.powf(y_min.log10().floor()))
        .into_iter()
        .rev()
        .find(|&v| v <= y_min)
        .unwrap_or(y_min);
    let y1 = steps(10f64.powf(y_max.log10().floor()))
        .into_iter()
        .chain([10f64.powf(y_max.log10().floor() + 1.0)])
        .find(|&v| v >= y_max)
        .unwrap_or(y_max);
    let px =
        |x: f64| LEFT + (x.log10() - x0.log10()) / (x1.log10() - x0.log10()) * (W - LEFT - RIGHT);
    let py = |y: f64| {
        H - BOTTOM - (y.log10() - y0.log10()) / (y1.log10() - y0.log10()) * (H - TOP - BOTTOM)
    };

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="15">Decoding a users answer: time against size (log-log, criterion medians)</text>"#,
        W / 2.0
    );
    // Grid and ticks.
    for &x in &xs {
        let _ = writeln!(
            s,
            r##"<line x1="{0:.1}" y1="{1}" x2="{0:.1}" y2="{2}" stroke="#ddd"/><text x="{0:.1}" y="{3}" text-anchor="middle">{4}</text>"##,
            px(x),
            TOP,
            H - BOTTOM,
            H - BOTTOM + 18.0,
            if x >= 1000.0 {
                format!("{}k", x / 1000.0)
            } else {
                format!("{x}")
            }
        );
    }
    let mut decade = 10f64.powf(y0.log10().floor());
    while decade <= y1 * 1.0001 {
        for m in [1.0, 2.0, 5.0] {
            let y = decade * m;
            if y < y0 * 0.9999 {
                continue;
            }
            if y > y1 * 1.0001 {
                break;
            }
            let label = if y >= 1.0 {
                format!("{y}")
            } else {
                format!("{}", (y * 1e6).round() / 1e6)
            };
            let _ = writeln!(
                s,
                r##"<line x1="{LEFT}" y1="{0:.1}" x2="{1}" y2="{0:.1}" stroke="{2}"/><text x="{3}" y="{4:.1}" text-anchor="end">{label}</text>"##,
                py(y),
                W - RIGHT,
                if m == 1.0 { "#bbb" } else { "#eee" },
                LEFT - 6.0,
                py(y) + 4.0
            );
        }
        decade *= 10.0;
    }
    let _ = writeln!(
        s,
        r##"<rect x="{LEFT}" y="{TOP}" width="{}" height="{}" fill="none" stroke="#333"/>"##,
        W - LEFT - RIGHT,
        H - TOP - BOTTOM
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">users in the answer (about 85 bytes of JSON each)</text>"#,
        LEFT + (W - LEFT - RIGHT) / 2.0,
        H - 16.0
    );
    let _ = writeln!(
        s,
        r#"<text transform="translate(22 {}) rotate(-90)" text-anchor="middle">milliseconds</text>"#,
        TOP + (H - TOP - BOTTOM) / 2.0
    );
    // Series.
    for (i, (name, color, dash, marker)) in series.iter().enumerate() {
        let pts: Vec<(f64, f64)> = points
            .iter()
            .filter_map(|(n, v)| v[i].map(|ns| (px(*n), py(ns / 1e6))))
            .collect();
        if pts.is_empty() {
            continue;
        }
        let path: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = writeln!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/>"#,
            path.join(" ")
        );
        for (x, y) in &pts {
            let _ = match *marker {
                "circle" => writeln!(
                    s,
                    r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{color}"/>"#
                ),
                _ => writeln!(
                    s,
                    r#"<rect x="{:.1}" y="{:.1}" width="7" height="7" fill="none" stroke="{color}" stroke-width="1.5"/>"#,
                    x - 3.5,
                    y - 3.5
                ),
            };
        }
        let ly = TOP + 20.0 + i as f64 * 22.0;
        let lx = W - RIGHT + 14.0;
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/><text x="{}" y="{}">{name}</text>"#,
            lx + 26.0,
            lx + 32.0,
            ly + 4.0
        );
    }
    s.push_str("</svg>\n");
    s
}
