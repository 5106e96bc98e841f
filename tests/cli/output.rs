//! No output destroys or hangs: `export --out` never replaces the cppo file, an existing
//! file (without `--force`), a link or a FIFO; a closed standard output ends the command
//! quietly with exit 0 and a full one is one line with exit 1; `import` refuses a FIFO
//! instead of waiting for a writer.

use std::fs;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Output, Stdio};
use std::time::Duration;

use super::*;

/// The ISV's released opportunity, ready to export: `(env, opportunity)`.
fn exportable() -> (Env, String) {
    let (env, _, opp) = with_opportunity();
    (env, opp)
}

fn export_to<'a>(opp: &'a str, out: &'a str) -> Vec<&'a str> {
    vec!["--as", ISV, "export", opp, "--out", out]
}

/// A run that must not hang: killed after a generous while, which then fails the test.
fn bounded(env: &Env, args: &[&str]) -> Out {
    let o = env.command(TODAY).args(args).timeout(Duration::from_secs(60)).output().unwrap();
    Out {
        code: o.status.code().unwrap_or_else(|| panic!("cppo {args:?} hung or was killed")),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo {}", path.display());
}

/// The names in `dir`, sorted, but for SQLite's own `-wal` and `-shm`, which come and go.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    names.sort();
    names
}

#[test]
fn export_out_refuses_the_open_file_and_its_journals() {
    let (env, opp) = exportable();
    let dir = env.dir.path();
    let db = env.db.to_str().unwrap().to_owned();
    let relative = "./cppo.db".to_owned();
    let link = dir.join("link.json");
    std::os::unix::fs::symlink(&env.db, &link).unwrap();
    let hard = dir.join("hard.json");
    fs::hard_link(&env.db, &hard).unwrap();
    for out in [db.clone(), format!("{db}-wal"), format!("{db}-shm"), link.to_str().unwrap().into()] {
        env.refused(&export_to(&opp, &out), &[&out, "is the cppo file this command has open", "nothing was exported"]);
        env.refused(&[&export_to(&opp, &out)[..], &["--force"]].concat(), &["is the cppo file"]);
    }
    env.refused(&export_to(&opp, hard.to_str().unwrap()), &["is the cppo file"]);
    // The same file named from its folder.
    let o = env.command(TODAY).current_dir(dir).args(export_to(&opp, &relative)).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("./cppo.db is the cppo file"), "{o:?}");
    // Still a cppo file holding everything.
    assert!(env.ok(&["--as", ISV, "opportunities", "show", &opp]).contains("Acme resale 2027"));
    assert_eq!(listing(dir), ["cppo.db", "hard.json", "link.json"]);
}

#[test]
fn export_out_writes_a_new_file_says_where_and_replaces_one_only_with_force() {
    let (env, opp) = exportable();
    let dir = env.dir.path();
    let path = dir.join("ra.json");
    let out = path.to_str().unwrap();
    let o = env.run(&export_to(&opp, out));
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(o.stdout, "", "the change set goes to the file");
    assert!(o.stderr.starts_with(&format!("wrote {out}\n")), "{}", o.stderr);
    assert!(o.stderr.contains(&format!("--cli-input-json file://{out}")), "{}", o.stderr);
    let written: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written["Catalog"], "AWSMarketplace");
    // It holds wholesale prices: its owner's alone, as the cppo file is.
    let mode = |p: &Path| std::os::unix::fs::PermissionsExt::mode(&fs::metadata(p).unwrap().permissions()) & 0o777;
    assert_eq!(mode(&path), 0o600);

    // Already there: refused, the file as it was.
    fs::write(&path, "mine").unwrap();
    env.refused(&export_to(&opp, out), &[out, "already exists", "--force", "nothing was exported"]);
    assert_eq!(fs::read_to_string(&path).unwrap(), "mine");
    // With --force: replaced whole, keeping who may read it.
    fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();
    let o = env.run(&[&export_to(&opp, out)[..], &["--force"]].concat());
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(serde_json::from_str::<Value>(&fs::read_to_string(&path).unwrap()).unwrap(), written);
    assert_eq!(mode(&path), 0o640);
    // No temporary file is left beside it.
    assert_eq!(listing(dir), ["cppo.db", "ra.json"]);
    // --force says nothing without --out.
    env.usage_error(&["--as", ISV, "export", &opp, "--force"], &["--out"]);
}

#[test]
fn export_out_never_writes_through_a_link_into_a_fifo_or_over_a_folder() {
    let (env, opp) = exportable();
    let dir = env.dir.path();
    let victim = dir.join("victim.txt");
    fs::write(&victim, "keep me").unwrap();
    let link = dir.join("link.json");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let dangling = dir.join("dangling.json");
    std::os::unix::fs::symlink(dir.join("nowhere.json"), &dangling).unwrap();
    for l in [&link, &dangling] {
        let out = l.to_str().unwrap();
        env.refused(&[&export_to(&opp, out)[..], &["--force"]].concat(), &[out, "a symbolic link"]);
    }
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(!dir.join("nowhere.json").exists());

    let fifo = dir.join("fifo.json");
    mkfifo(&fifo);
    let o = bounded(&env, &[&export_to(&opp, fifo.to_str().unwrap())[..], &["--force"]].concat());
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stderr.contains("is not a regular file (a FIFO, socket or device)"), "{}", o.stderr);
    let sub = dir.join("sub");
    fs::create_dir(&sub).unwrap();
    env.refused(&[&export_to(&opp, sub.to_str().unwrap())[..], &["--force"]].concat(), &["(a directory)"]);
    env.refused(&export_to(&opp, dir.join("no/such/x.json").to_str().unwrap()), &["cannot write", "no/such/x.json"]);
}

#[test]
fn import_refuses_a_fifo_instead_of_waiting_for_a_writer() {
    let env = Env::new();
    let fifo = env.dir.path().join("entities.json");
    mkfifo(&fifo);
    let o = bounded(&env, &["--as", PARTNER, "import", fifo.to_str().unwrap()]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.stderr.lines().count(), 1, "{}", o.stderr);
    assert!(o.stderr.contains("is not a regular file (a FIFO, socket or device); nothing was imported"), "{o:?}");
}

/// A pipe whose reading end is already closed: every write to the other end fails (EPIPE).
fn closed_pipe() -> OwnedFd {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: pipe(2) just opened both; each is owned once.
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(reader);
    writer
}

/// Runs `args` with standard output going to `stdout`.
fn run_into(env: &Env, now: &str, args: &[&str], stdout: Stdio) -> Output {
    env.std_command(now).args(args).stdin(Stdio::null()).stdout(stdout).stderr(Stdio::piped()).output().unwrap()
}

#[test]
fn a_closed_standard_output_ends_the_command_quietly_with_exit_0() {
    let (env, opp) = exportable();
    for args in [
        vec!["--as", PARTNER, "opportunities", "list"],
        vec!["--as", PARTNER, "--json", "opportunities", "list"],
        vec!["--as", ISV, "opportunities", "show", &opp],
        vec!["--as", ISV, "export", &opp],
    ] {
        let o = run_into(&env, TODAY, &args, Stdio::from(closed_pipe()));
        assert_eq!(o.status.code(), Some(0), "cppo {args:?}: {o:?}");
        assert_eq!(String::from_utf8_lossy(&o.stderr), "", "cppo {args:?}");
    }
    // A command that writes, then prints: the work is done and kept.
    let offer =
        run_into(&env, TODAY, &offer_args(&opp, Some(BUYER), "10", "Piped", "users=1"), Stdio::from(closed_pipe()));
    assert_eq!(offer.status.code(), Some(0), "{offer:?}");
    assert!(env.ok(&["--as", PARTNER, "offers", "list"]).contains("Piped"));
    let import = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aws/describe-ra-contract.json");
    let o = run_into(&env, "2026-11-30", &["--as", "420061735518", "import", import], Stdio::from(closed_pipe()));
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let held = env.ok(&["--as", "420061735518", "opportunities", "list"]);
    assert!(held.contains("resaleauthz-5tq8wz2kd7n3c"), "the import was committed before printing: {held}");
}

#[test]
fn a_full_standard_output_is_one_line_and_exit_1() {
    let (env, opp) = exportable();
    for args in [vec!["--as", ISV, "export", &opp], vec!["--as", PARTNER, "--json", "opportunities", "list"]] {
        let full = fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let o = run_into(&env, TODAY, &args, Stdio::from(full));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "cppo {args:?}: {o:?}");
        assert_eq!(err.lines().count(), 1, "cppo {args:?}: {err}");
        assert!(err.starts_with("error: cannot write to standard output: No space left on device"), "{err}");
    }
}
