//! The benchmarks' files: `cppo demo --scale N`, built once into the bench directory and
//! kept (`scale-N-vSCHEMA-gGENERATION.db`, with the build time beside it in `.build`): a new
//! file format or a change to what `--scale` makes builds it again.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The cached file for `n` offers, built with the `cppo` binary if missing (into a `.tmp`
/// path, then renamed with its `-wal` and `-shm`); and how long the build took.
pub fn ensure(dir: &Path, n: u64) -> (PathBuf, String) {
    let path = dir.join(format!("scale-{n}-v{}-g{}.db", cppo::store::SCHEMA_VERSION, cppo::market::scale::GENERATION));
    let note = path.with_extension("build");
    if !path.exists() {
        eprintln!("building {} with `cppo demo --scale {n}`", path.display());
        let t = Instant::now();
        let tmp = path.with_extension("tmp");
        let _ = std::fs::remove_file(&tmp);
        let status = Command::new(env!("CARGO_BIN_EXE_cppo"))
            .args(["--db", tmp.to_str().expect("utf-8 path"), "demo", "--scale", &n.to_string()])
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run cppo");
        assert!(status.success(), "cppo demo --scale {n} failed");
        for ext in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{ext}", tmp.display()));
            if from.exists() {
                std::fs::rename(&from, format!("{}{ext}", path.display())).expect("keep the file");
            }
        }
        std::fs::write(&note, format!("{:.1} s", t.elapsed().as_secs_f64())).expect("note the build time");
    }
    let build = std::fs::read_to_string(&note).unwrap_or_else(|_| "?".into());
    (path, build)
}
