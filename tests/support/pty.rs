//! A program in a pseudo-terminal, read the way a person reads it: a thread reads the pty's
//! master end, feeds every chunk to a `vt100::Parser` and timestamps it; the caller writes
//! keys and waits, never a fixed sleep, until a predicate on the parsed screen holds.
//!
//! Timing is exact to the chunk: a waiter installs its predicates before it writes the key,
//! and the reader evaluates them after each chunk it parses, so the time of a predicate is
//! the time the chunk that made it hold was read, not when the waiter woke up.
//!
//! Shared by `tests/tui/pty.rs` and `benches/pty.rs` (included with `#[path]`). Dropping a
//! [`Term`] kills its child if it still runs, so a failed assertion leaks no process.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, SlavePty};

/// A condition on the screen.
pub type Pred = Box<dyn FnMut(&vt100::Screen) -> bool + Send>;

/// A predicate being watched by the reader thread, and when it first held.
struct Watch {
    pred: Pred,
    hit: Option<Instant>,
}

/// What the reader thread shares with the waiter.
struct State {
    parser: vt100::Parser,
    /// When the last chunk was read (or the terminal opened).
    last_output: Instant,
    /// The pty gave end of file or an error: the child has gone.
    closed: bool,
    watches: Vec<Watch>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves a usable screen: keep reading it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A pseudo-terminal of a fixed size with (after [`Term::spawn`]) one child in it.
pub struct Term {
    shared: Arc<Shared>,
    /// Kept open for the child: dropping it closes the terminal.
    _master: Box<dyn MasterPty + Send>,
    slave: Option<Box<dyn SlavePty + Send>>,
    writer: Box<dyn Write + Send>,
    child: Option<Box<dyn Child + Send + Sync>>,
}

impl Term {
    /// Opens a `cols` x `rows` pty and starts reading it. An error means that no pty can
    /// be opened here (a test skips on it).
    pub fn open(cols: u16, rows: u16) -> Result<Term, String> {
        let pair = portable_pty::native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .map_err(|e| format!("cannot open a pty: {e}"))?;
        let reader = pair.master.try_clone_reader().map_err(|e| format!("cannot read the pty: {e}"))?;
        let writer = pair.master.take_writer().map_err(|e| format!("cannot write the pty: {e}"))?;
        let (Some(r), Some(c)) = (NonZeroU16::new(rows), NonZeroU16::new(cols)) else {
            return Err("a terminal needs rows and columns".into());
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                parser: vt100::Parser::new(r, c, 0),
                last_output: Instant::now(),
                closed: false,
                watches: Vec::new(),
            }),
            changed: Condvar::new(),
        });
        let for_reader = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("pty-reader".into())
            .spawn(move || read_loop(reader, &for_reader))
            .map_err(|e| format!("cannot start the pty reader: {e}"))?;
        Ok(Term { shared, _master: pair.master, slave: Some(pair.slave), writer, child: None })
    }

    /// Starts `cmd` in the terminal and waits (up to `timeout`) for each of `preds`; returns
    /// the time from the spawn to the chunk that made each hold.
    pub fn spawn(&mut self, cmd: CommandBuilder, preds: Vec<Pred>, timeout: Duration) -> Result<Vec<Duration>, String> {
        let slave = self.slave.take().ok_or("this terminal already has a child")?;
        self.watch(preds)?;
        let start = Instant::now();
        let child = slave.spawn_command(cmd).map_err(|e| format!("cannot start the program: {e}"))?;
        // Only the child holds the slave end now: its exit closes the pty.
        drop(slave);
        self.child = Some(child);
        self.wait_watches(start, timeout)
    }

    /// Writes `bytes` and waits (up to `timeout`) for each of `preds`; returns the time from
    /// the write to the chunk that made each hold. A predicate that holds before the write
    /// is an error: it could not tell that the key took effect.
    pub fn press(&mut self, bytes: &[u8], preds: Vec<Pred>, timeout: Duration) -> Result<Vec<Duration>, String> {
        self.watch(preds)?;
        let start = Instant::now();
        self.send(bytes)?;
        self.wait_watches(start, timeout)
    }

    /// Writes `bytes` without waiting.
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.writer.write_all(bytes).and_then(|()| self.writer.flush()).map_err(|e| format!("cannot write a key: {e}"))
    }

    /// Waits (up to `timeout`) until `pred` holds; it may hold already.
    pub fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        mut pred: impl FnMut(&vt100::Screen) -> bool,
    ) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.lock();
        loop {
            if pred(state.parser.screen()) {
                return Ok(());
            }
            state = self.sleep(state, deadline).map_err(|why| format!("{why} waiting for {what}"))?;
        }
    }

    /// Waits until the program has printed nothing for `quiet` (at most `timeout`).
    pub fn wait_idle(&self, quiet: Duration, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.lock();
        loop {
            let since = state.last_output.elapsed();
            if since >= quiet {
                return Ok(());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!("the program never went quiet for {quiet:?}; screen:\n{}", contents(&state)));
            }
            let wait = (quiet - since).min(left);
            state = self.shared.changed.wait_timeout(state, wait).unwrap_or_else(|p| p.into_inner()).0;
        }
    }

    /// Reads the screen.
    pub fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        f(self.shared.lock().parser.screen())
    }

    /// The screen as text, for messages.
    pub fn text(&self) -> String {
        contents(&self.shared.lock())
    }

    /// Whether the terminal's line discipline is cooked again (canonical input and echo, as
    /// a shell leaves it), i.e. the program left raw mode. `None` where it cannot be read.
    pub fn cooked(&self) -> Option<bool> {
        #[cfg(unix)]
        {
            let fd = self._master.as_raw_fd()?;
            // SAFETY: a zeroed termios is a valid out-parameter for tcgetattr.
            let mut t: libc::termios = unsafe { std::mem::zeroed() };
            // SAFETY: `fd` is the open master end of this pty; `t` is writable.
            if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
                return None;
            }
            Some(t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0)
        }
        #[cfg(not(unix))]
        None
    }

    /// The child's process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().and_then(|c| c.process_id())
    }

    /// Waits (up to `timeout`) for the child to exit; returns its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> Result<u32, String> {
        let child = self.child.as_mut().ok_or("no program was started")?;
        let deadline = Instant::now() + timeout;
        loop {
            match child.try_wait() {
                Ok(Some(status)) => {
                    // What the child wrote last (restoring the terminal, say) may still be on
                    // its way through the reader thread: read on until the pty is closed or
                    // quiet, so that the screen is the one the child left.
                    let (exited, quiet) = (Instant::now(), Duration::from_millis(150));
                    let mut state = self.shared.lock();
                    while !state.closed && state.last_output.max(exited).elapsed() < quiet && Instant::now() < deadline
                    {
                        state =
                            self.shared.changed.wait_timeout(state, quiet).map_or_else(|p| p.into_inner().0, |r| r.0);
                    }
                    return Ok(status.exit_code());
                }
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
                Ok(None) => return Err(format!("the program did not exit within {timeout:?}")),
                Err(e) => return Err(format!("cannot wait for the program: {e}")),
            }
        }
    }

    fn watch(&mut self, preds: Vec<Pred>) -> Result<(), String> {
        let mut state = self.shared.lock();
        let mut watches: Vec<Watch> = preds.into_iter().map(|pred| Watch { pred, hit: None }).collect();
        let screen = state.parser.screen();
        if let Some(i) = watches.iter_mut().position(|w| (w.pred)(screen)) {
            return Err(format!("predicate {i} holds before the key; screen:\n{}", contents(&state)));
        }
        state.watches = watches;
        Ok(())
    }

    fn wait_watches(&self, start: Instant, timeout: Duration) -> Result<Vec<Duration>, String> {
        let deadline = start + timeout;
        let mut state = self.shared.lock();
        loop {
            if state.watches.iter().all(|w| w.hit.is_some()) {
                let hits = std::mem::take(&mut state.watches).into_iter().filter_map(|w| w.hit);
                return Ok(hits.map(|t| t.saturating_duration_since(start)).collect());
            }
            state = self.sleep(state, deadline).map_err(|why| {
                let done: Vec<bool> = self.shared.lock().watches.iter().map(|w| w.hit.is_some()).collect();
                format!("{why} (predicates that held: {done:?})")
            })?;
        }
    }

    /// Waits for the next chunk; an error once `deadline` passes or the pty closes.
    fn sleep<'a>(&'a self, state: MutexGuard<'a, State>, deadline: Instant) -> Result<MutexGuard<'a, State>, String> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(format!("timed out; screen:\n{}", contents(&state)));
        }
        if state.closed {
            return Err(format!("the program closed the terminal; screen:\n{}", contents(&state)));
        }
        Ok(self.shared.changed.wait_timeout(state, left).unwrap_or_else(|p| p.into_inner()).0)
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut()
            && matches!(child.try_wait(), Ok(None))
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn contents(state: &State) -> String {
    state.parser.screen().contents()
}

/// The reader thread: parses each chunk, then checks the watched predicates against it.
fn read_loop(mut reader: Box<dyn Read + Send>, shared: &Shared) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).unwrap_or(0);
        let at = Instant::now();
        let mut state = shared.lock();
        if n == 0 {
            state.closed = true;
            shared.changed.notify_all();
            return;
        }
        state.parser.process(&buf[..n]);
        state.last_output = at;
        let State { parser, watches, .. } = &mut *state;
        for w in watches.iter_mut().filter(|w| w.hit.is_none()) {
            if (w.pred)(parser.screen()) {
                w.hit = Some(at);
            }
        }
        drop(state);
        shared.changed.notify_all();
    }
}
