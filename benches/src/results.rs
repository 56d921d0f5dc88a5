//! Results that criterion does not keep (connection counts, peak memory,
//! pacing, paired ratios), as JSON files under `<target>/gong-benches/`,
//! next to criterion's own `<target>/criterion/`.

use std::path::PathBuf;

/// The cargo target directory this binary was built into.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().expect("the path of this executable");
    exe.ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
}

pub fn results_dir() -> PathBuf {
    target_dir().join("gong-benches")
}

/// Writes `<target>/gong-benches/<name>.json`.
pub fn write(name: &str, value: &serde_json::Value) {
    let dir = results_dir();
    std::fs::create_dir_all(&dir).expect("create the results directory");
    let path = dir.join(format!("{name}.json"));
    let text = serde_json::to_string_pretty(value).expect("results serialize");
    std::fs::write(&path, text).expect("write the results file");
    eprintln!("results: {}", path.display());
}

pub fn read(name: &str) -> Option<serde_json::Value> {
    let text = std::fs::read(results_dir().join(format!("{name}.json"))).ok()?;
    serde_json::from_slice(&text).ok()
}
