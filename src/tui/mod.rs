//! The terminal: a guard that restores it on every exit (panic included), the event task,
//! the store worker thread and the main loop that feeds both to `app` and draws with `ui`.

mod remote;
mod worker;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
};
use ratatui::crossterm::execute;
use tokio::sync::mpsc;

use crate::app::{App, Effect, TerminalEffect};
use crate::domain::{AccountId, Clock};
use crate::market::Market;
use crate::sdk::Settings;
pub use remote::look_for_credentials;
pub use worker::Worker;

/// Restores the terminal when dropped, whatever the exit path. `ratatui::init` also
/// installs a panic hook that restores it before the panic message prints.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Where the log file goes: the platform state (or data) dir, never the terminal.
fn log_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "cppo")
        .map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())
        .unwrap_or_else(std::env::temp_dir)
}

/// Starts the log file in [`log_dir`]; the guard flushes it when dropped.
fn start_log() -> anyhow::Result<tracing_appender::non_blocking::WorkerGuard> {
    let dir = log_dir();
    std::fs::create_dir_all(&dir)?;
    let appender = tracing_appender::rolling::RollingFileAppender::builder().filename_prefix("cppo.log").build(&dir)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let _ = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("CPPO_LOG").unwrap_or_else(|_| "info".into()))
        .try_init();
    Ok(guard)
}

/// Opens the TUI on `db`, acting as `actor` (else the remembered account), reaching AWS
/// (`P`, `X`) with `aws`.
pub fn run(db: PathBuf, actor: Option<String>, clock: Box<dyn Clock>, aws: Settings) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("the terminal UI needs a terminal; in scripts use the commands (see `cppo --help`)");
    }
    let mut market = Market::open_noting(&db, clock, &mut |notice| eprintln!("{notice}"))
        .with_context(|| format!("cannot open {}", db.display()))?;
    let actor = match actor {
        Some(s) => {
            let id = AccountId::parse(&s)?;
            market.act_as(&id)?;
            Some(id)
        }
        None => None,
    };
    // A log directory that cannot be made means no log file, and a word about it: never a
    // panic (`tracing_appender::rolling::never` panics on it).
    let (_log_guard, log_notice) = match start_log() {
        Ok(guard) => (Some(guard), None),
        Err(e) => {
            (None, Some(crate::app::text::notices::no_log_file(&log_dir().display().to_string(), &e.to_string())))
        }
    };
    tracing::info!(file = %db.display(), "opening the TUI");

    let (fx_tx, fx_rx) = std::sync::mpsc::channel::<Effect>();
    let (input_tx, input_rx) = mpsc::unbounded_channel();
    // A profile named, or credentials in the environment or `~/.aws`: `X` pushes. Else, on
    // EC2 only, an instance role is looked for in the background.
    let configured = aws.profile.is_some() || crate::sdk::credentials_configured();
    let worker = Worker::new(market, actor).with_aws(aws.clone(), configured);
    if !configured && crate::sdk::maybe_on_ec2() {
        let (flag, answers) = (worker.credentials_flag(), input_tx.clone());
        let look = move || {
            if let Some(msg) = remote::look_for_credentials(&aws, &flag) {
                let _ = answers.send(Input::Store(Box::new(msg)));
            }
        };
        std::thread::Builder::new().name("credentials".into()).spawn(look)?;
    }
    let answers = input_tx.clone();
    let worker_thread = std::thread::Builder::new().name("store".into()).spawn(move || worker.run(fx_rx, answers))?;

    // `ratatui::init` sets raw mode, the alternate screen and the panic hook; the frames go
    // through a buffer of our own so that each one reaches the terminal in one write (a
    // bare stdout flushes every 1 KiB, splitting a frame into several).
    drop(ratatui::init());
    // ratatui's panic hook leaves bracketed paste on: ours turns it off first.
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui_hook(info);
    }));
    let terminal = Terminal::new(CrosstermBackend::new(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout())))?;
    let plain = no_color();
    if plain {
        // The frames have no colour of their own (`ui::theme::without_colour`); crossterm's
        // NO_COLOR would turn each "default colour" into a reset of bold and reverse video.
        ratatui::crossterm::style::force_color_output(true);
    }
    let _guard = TerminalGuard;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste, EnableMouseCapture);
    spawn_reader(input_tx)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let result = rt.block_on(event_loop(Frames { terminal, plain }, fx_tx, input_rx, log_notice));
    drop(_guard);
    let _ = worker_thread.join();
    tracing::info!("closed the TUI");
    result
}

/// The terminal the TUI draws on.
type Screen = Terminal<CrosstermBackend<std::io::BufWriter<std::io::Stdout>>>;

/// Whether the user asked for no colour: `NO_COLOR` set and not empty (no-color.org).
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The terminal and how its frames are drawn: in colour, or (`plain`, for `NO_COLOR`)
/// without, bold, dim and reverse video kept.
struct Frames {
    terminal: Screen,
    plain: bool,
}

impl Frames {
    fn draw(&mut self, app: &App) -> std::io::Result<()> {
        let plain = self.plain;
        self.terminal.draw(|f| {
            crate::ui::render(app, f);
            if plain {
                crate::ui::theme::without_colour(f.buffer_mut());
            }
        })?;
        Ok(())
    }
}

/// What wakes the main loop: a terminal event, or an answer from the store worker.
#[derive(Debug)]
pub enum Input {
    Term(Event),
    /// Reading the terminal failed: the loop ends with this error.
    TermError(std::io::Error),
    Store(Box<crate::app::Msg>),
}

/// The slow tick (toasts fade): 250 ms, or `CPPO_TICK_MS` (a test lengthens it to prove
/// that keys never wait for it).
fn tick_period() -> Duration {
    let ms = std::env::var("CPPO_TICK_MS").ok().and_then(|v| v.parse::<u64>().ok()).filter(|ms| *ms > 0);
    Duration::from_millis(ms.unwrap_or(250))
}

/// Reads the terminal on a thread of its own and posts each event to the loop. A blocking
/// `event::read` wakes the loop through the channel on every key: crossterm's `EventStream`
/// keeps the waker of its first `Pending` poll, so a drain with `now_or_never` (a no-op
/// waker) once left later keys waiting for the tick.
fn spawn_reader(inputs: mpsc::UnboundedSender<Input>) -> std::io::Result<()> {
    std::thread::Builder::new().name("terminal".into()).spawn(move || {
        loop {
            let input = match ratatui::crossterm::event::read() {
                Ok(ev) => Input::Term(ev),
                Err(e) => Input::TermError(e),
            };
            let failed = matches!(input, Input::TermError(_));
            if inputs.send(input).is_err() || failed {
                return;
            }
        }
    })?;
    Ok(())
}

/// Leaves the terminal as the shell had it (raw mode off, main screen, cursor shown, no
/// bracketed paste).
fn restore_terminal() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste, ratatui::crossterm::cursor::Show);
    ratatui::restore();
}

/// Takes the terminal again after a suspension: raw mode, the alternate screen, bracketed
/// paste, and a full redraw.
fn resume_terminal(terminal: &mut Screen) -> anyhow::Result<()> {
    use ratatui::crossterm::terminal::{Clear, ClearType, EnterAlternateScreen, enable_raw_mode};
    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen, EnableBracketedPaste, EnableMouseCapture, Clear(ClearType::All))?;
    // A blank frame makes ratatui's idea of the screen match the cleared one, so the next
    // frame is drawn whole. (`Terminal::clear` would ask the terminal for the cursor
    // position, whose answer the terminal reader thread may take first.)
    terminal.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area()))?;
    Ok(())
}

/// Ctrl-z, or SIGTSTP from outside: the terminal back to the shell, then stop until SIGCONT
/// (`fg`), then the terminal taken again.
fn suspend(terminal: &mut Screen) -> anyhow::Result<()> {
    restore_terminal();
    // SIGSTOP, not SIGTSTP: this process handles SIGTSTP itself (to restore the terminal).
    // SAFETY: raise only sends a signal to this process.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
    resume_terminal(terminal)
}

fn is_ctrl_z(ev: &Event) -> bool {
    use ratatui::crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    matches!(ev, Event::Key(k) if k.kind == KeyEventKind::Press
        && k.code == KeyCode::Char('z') && k.modifiers.contains(KeyModifiers::CONTROL))
}

async fn event_loop(
    mut frames: Frames,
    effects: std::sync::mpsc::Sender<Effect>,
    mut inputs: mpsc::UnboundedReceiver<Input>,
    notice: Option<String>,
) -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    // SIGTERM and SIGHUP end the TUI like `q` (the guard restores the terminal); SIGTSTP
    // suspends it like Ctrl-z.
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    let mut tstp = signal(SignalKind::from_raw(libc::SIGTSTP))?;
    let size = frames.terminal.size()?;
    let mut app = App::new(size.width, size.height);
    if let Some(n) = notice {
        app.notice(n);
    }
    // The worker hangs up only if it died (it logs why): say so rather than wait for it.
    let stopped = || anyhow::anyhow!("the store worker stopped; see the log in {}", log_dir().display());
    let send = |fx: &mut Vec<Effect>| -> anyhow::Result<()> {
        for e in fx.drain(..) {
            effects.send(e).map_err(|_| stopped())?;
        }
        Ok(())
    };
    // The first frame is drawn before the first query answers.
    frames.draw(&app)?;
    // A test hook: prove that a panic leaves the terminal as it was.
    if std::env::var_os("CPPO_TEST_PANIC").is_some() {
        panic!("CPPO_TEST_PANIC is set");
    }
    send(&mut app.start())?;
    // The effects of a round go to the worker once its frame is out: on two cores, a worker
    // woken earlier competes with the drawing.
    let mut pending = Vec::new();
    let mut tick = tokio::time::interval(tick_period());
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // A store answer that came in after a key, kept for the round after that key's frame.
    let mut held: Option<Input> = None;
    loop {
        let mut dirty = false;
        let mut next = match held.take() {
            Some(input) => Some(input),
            None => tokio::select! {
                input = inputs.recv() => Some(input.ok_or_else(stopped)?),
                _ = tick.tick() => {
                    dirty |= app.tick();
                    pending.extend(app.poll());
                    None
                }
                _ = term.recv() => return Ok(()),
                _ = hup.recv() => return Ok(()),
                _ = tstp.recv() => {
                    suspend(&mut frames.terminal)?;
                    dirty = true;
                    None
                }
            },
        };
        // Take this input and whatever else is already waiting, then draw once: a burst of
        // keys costs one frame. Once a key is in, the store's answers wait for the next
        // round, so that the key's own frame is drawn first (the worker often answers its
        // detail request while the key is still being handled).
        let mut keyed = false;
        while let Some(input) = next.take() {
            match input {
                Input::Store(_) if keyed => {
                    held = Some(input);
                    break;
                }
                Input::Term(ev) if is_ctrl_z(&ev) => {
                    suspend(&mut frames.terminal)?;
                }
                Input::Term(ev) => {
                    keyed = true;
                    pending.extend(app.handle_event(&ev));
                }
                Input::Store(m) => pending.extend(app.handle_msg(*m)),
                Input::TermError(e) => return Err(e.into()),
            }
            dirty = true;
            if app.quit() {
                return Ok(());
            }
            next = inputs.try_recv().ok();
        }
        if dirty {
            frames.draw(&app)?;
        }
        for effect in app.take_terminal_effects() {
            match effect {
                // The terminal copies (OSC 52); one that does not know the sequence ignores it.
                TerminalEffect::Copy(text) => ratatui::crossterm::execute!(
                    std::io::stdout(),
                    ratatui::crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
                )?,
            }
        }
        send(&mut pending)?;
    }
}

/// Runs `effects` through the worker and feeds its answers back to the app until nothing
/// is pending: the TUI without a terminal, for tests and benchmarks.
pub fn settle(app: &mut App, worker: &mut Worker, effects: Vec<Effect>) {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(e) = queue.pop_front() {
        let msgs = worker.handle(e).unwrap_or_else(|err| vec![crate::app::Msg::Error(err.to_string())]);
        for m in msgs {
            queue.extend(app.handle_msg(m));
        }
    }
}
