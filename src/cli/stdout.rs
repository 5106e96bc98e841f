//! Writing to standard output without panicking: a write error (a closed pipe, a full disk)
//! comes back as [`StdoutError`], the reader closing early is told apart, and the few
//! helpers every printer shares.

use serde::Serialize;

/// Standard output would not take what a command printed: a reader that closed the pipe
/// (`| head -1`), a full disk (`> /dev/full`).
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output: {0}")]
pub struct StdoutError(pub std::io::Error);

/// The reader of standard output closed it before the end: not a failure (see the module
/// doc of `cli`).
pub fn closed_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<StdoutError>().is_some_and(|StdoutError(io)| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Pushes out what standard output still holds, so that its failure is seen here rather
/// than lost at exit.
pub fn flush() -> anyhow::Result<()> {
    use std::io::Write as _;
    Ok(std::io::stdout().flush().map_err(StdoutError)?)
}

pub(super) fn json<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    Ok(say!("{}", serde_json::to_string_pretty(v)?)?)
}

pub(super) fn print(s: String) -> anyhow::Result<()> {
    use std::io::Write as _;
    Ok(std::io::stdout().lock().write_all(s.as_bytes()).map_err(StdoutError)?)
}

/// A day, or `-` where there is none.
pub(super) fn opt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| "-".into(), |d| d.to_string())
}
