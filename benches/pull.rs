//! `cargo bench --bench pull`: `cppo pull` of 10,000 resale authorizations and 50,000 offers
//! from the fake AWS of the tests (`tests/support/fake_aws.rs`), through the release binary
//! and the real AWS SDK, as a partner does its first pull into an empty file; then the next
//! pull, with nothing changed on AWS, and one after 1% of the offers changed.
//!
//! The documents are made here from the fixtures (an authorization and an offer, each given
//! a new id; five offers per authorization), never stored. The fake pages 50 entities a list
//! call (AWS's largest page) and answers `BatchDescribeEntities` 20 at a time, as AWS does. It
//! runs in this process, on plain threads; the figures are the binary's: wall-clock time
//! from start to exit, its CPU time (user + system, from `wait4`), and its peak resident
//! memory: `VmHWM` of `/proc/PID/status`, read every 5 ms until it exits (`ru_maxrss` would
//! not do: Linux carries it over from the parent at fork, and this parent holds the fake's
//! 60,000 documents). The fake's own work (a linear scan of its entities per list page) is
//! part of the wall time, not of the CPU time.
//!
//! Each request waits `CPPO_BENCH_PULL_LATENCY_MS` (default 100) in the fake before its
//! answer, about what a round trip to AWS's Catalog API takes. Requests in flight together
//! wait together, as they do on AWS. (With `0` the pull is held by its own pace, 10 describes
//! a second: cppo's own work is its CPU time.)
//!
//! `CPPO_BENCH_PULL_SCALE=0.1` makes a tenth of it (1,000 and 5,000). `CPPO_BENCH_PULL_BIN`
//! runs another cppo binary (a copy of an earlier build, to compare two of them).

#[path = "../tests/support/aws_answers.rs"]
mod aws_answers;
#[path = "../tests/support/fake_aws.rs"]
mod fake_aws;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_aws::FakeAws;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_cppo");
const PARTNER: &str = "420061735518";
const NOW: &str = "2026-11-30";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/aws/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

/// `doc` as entity `id` (its identifier, ARN and details), modified at `at`.
fn renamed(doc: &Value, kind: &str, id: &str, at: &str, name: String) -> Value {
    let mut d = doc.clone();
    d["EntityIdentifier"] = json!(format!("{id}@1"));
    d["EntityArn"] = json!(format!("arn:aws:aws-marketplace:us-east-1:590183746201:AWSMarketplace/{kind}/{id}"));
    d["LastModifiedDate"] = json!(at);
    d["DetailsDocument"]["Name"] = json!(name);
    if kind == "Offer" {
        d["DetailsDocument"]["Id"] = json!(id);
    }
    d
}

/// When the `i`th entity of a kind was last modified: a minute apart, over the weeks before
/// the pull, as a real book's are spread.
fn modified(i: usize) -> String {
    let start = chrono::DateTime::parse_from_rfc3339("2026-10-01T00:00:00Z").unwrap();
    (start + chrono::Duration::minutes(i64::try_from(i).unwrap())).to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn authorization_id(i: usize) -> String {
    format!("resaleauthz-b{i:012}")
}

/// The fake, holding `authorizations` granted to the partner and five offers on each.
fn fake(authorizations: usize, offers: usize, latency: Duration) -> FakeAws {
    let fake = FakeAws::start();
    fake.page_size(50);
    fake.latency(latency);
    let ra = fixture("describe-ra-contract.json");
    let offer = fixture("describe-offer-released.json");
    for i in 0..authorizations {
        let mut d = renamed(&ra, "ResaleAuthorization", &authorization_id(i), &modified(i), format!("RA {i}"));
        d["DetailsDocument"]["OfferDetails"]["OfferCreatedCount"] = json!(0);
        fake.put(d);
    }
    for i in 0..offers {
        let id = format!("offer-b{i:012}");
        let mut d = renamed(&offer, "Offer", &id, &modified(i), format!("Offer {i}"));
        d["DetailsDocument"]["ResaleAuthorizationId"] = json!(authorization_id(i % authorizations));
        fake.put(d);
    }
    fake
}

/// One run of the binary: its wall time, CPU time, peak memory (bytes), exit status and
/// output.
struct Run {
    took: Duration,
    cpu: Duration,
    peak: u64,
    ok: bool,
    stdout: String,
    stderr: String,
}

#[allow(clippy::zombie_processes, reason = "reaped by `wait4`, which gives its CPU time too")]
fn pull(db: &Path, home: &Path, fake: &FakeAws, args: &[&str]) -> Run {
    let bin = std::env::var_os("CPPO_BENCH_PULL_BIN").unwrap_or_else(|| BIN.into());
    let mut c = Command::new(bin);
    for v in ["AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_SESSION_TOKEN", "CPPO_DB"] {
        c.env_remove(v);
    }
    c.env("HOME", home)
        .env("AWS_ENDPOINT_URL", &fake.url)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", format!("AKID{PARTNER}"))
        .env("AWS_SECRET_ACCESS_KEY", "fake-secret-key")
        .arg("--db")
        .arg(db)
        .args(["--now", NOW, "--as", PARTNER, "pull", "--json"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = c.spawn().expect("run cppo");
    // Read the pipes on threads: a full pipe would stall the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let stdout = std::thread::spawn(move || std::io::read_to_string(&mut out).unwrap_or_default());
    let stderr = std::thread::spawn(move || std::io::read_to_string(&mut err).unwrap_or_default());
    let pid = child.id();
    let mut peak = 0;
    // Until it is a zombie (its memory gone, VmHWM no longer listed), or reaped.
    while let Some(hwm) = vm_hwm(pid) {
        peak = peak.max(hwm);
        std::thread::sleep(Duration::from_millis(5));
    }
    let (status, usage) = wait4(pid);
    let took = start.elapsed();
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    Run {
        took,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        peak,
        ok: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// The peak resident memory of process `pid` so far, in bytes (`None` once it has exited).
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib * 1024)
}

/// Waits for `pid` and returns its exit status and resource usage (the peak memory `Child::wait`
/// does not give).
fn wait4(pid: u32) -> (i32, libc::rusage) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of the plain C struct, and wait4 writes
    // only into the two locals, for the child this process started and has not waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = libc::pid_t::try_from(pid).expect("a pid");
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid, "wait4: {}", std::io::Error::last_os_error());
    (status, usage)
}

fn report(what: &str, r: &Run) {
    assert!(r.ok, "{what} failed:\n{}\n{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{what}: not JSON ({e})"));
    let entities = v["entities"].as_array().map_or(0, Vec::len);
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for e in v["entities"].as_array().into_iter().flatten() {
        *outcomes.entry(e["outcome"].as_str().unwrap_or("?").to_owned()).or_default() += 1;
    }
    println!(
        "| {what} | {:.2} s | {:.2} s | {:.1} MB | {} authorizations, {} offers read; {entities} entities: {outcomes:?} |",
        r.took.as_secs_f64(),
        r.cpu.as_secs_f64(),
        r.peak as f64 / 1e6,
        v["read"]["resale_authorizations"],
        v["read"]["offers"],
    );
}

fn main() {
    // `cargo bench` passes `--bench`; this binary takes no other argument.
    let scale: f64 = std::env::var("CPPO_BENCH_PULL_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let authorizations = ((10_000.0 * scale) as usize).max(1);
    let offers = (50_000.0 * scale) as usize;
    let latency_ms: u64 = std::env::var("CPPO_BENCH_PULL_LATENCY_MS").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    let latency = Duration::from_millis(latency_ms);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("pull.db");

    let made = Instant::now();
    let fake = fake(authorizations, offers, latency);
    println!(
        "fake AWS with {authorizations} resale authorizations and {offers} offers, {latency_ms} ms a request, made in {:?}",
        made.elapsed()
    );
    println!("| pull | wall time | cppo's CPU time | cppo's peak memory | what |");
    println!("|---|---|---|---|---|");
    let first = pull(&db, dir.path(), &fake, &[]);
    report("first pull into an empty file", &first);
    let size = std::fs::metadata(&db).map_or(0, |m| m.len());
    let again = pull(&db, dir.path(), &fake, &[]);
    report("next pull, nothing changed", &again);
    for i in (0..offers).step_by(100) {
        fake.modify(&format!("offer-b{i:012}"), "2026-11-29T12:00:00Z", |d| d["Name"] = json!(format!("Offer {i} v2")));
    }
    let changed = pull(&db, dir.path(), &fake, &[]);
    report("next pull, 1% of the offers changed", &changed);
    let full = pull(&db, dir.path(), &fake, &["--full"]);
    report("pull --full, nothing changed", &full);
    println!("file after the first pull: {:.1} MB", size as f64 / 1e6);
}
