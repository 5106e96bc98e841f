//! The terminal: a guard that restores it on every exit (panic included), the event task,
//! the store worker thread and the main loop that feeds both to `app` and draws with `ui`.

mod worker;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use futures::{FutureExt, StreamExt};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, EventStream};
use ratatui::crossterm::execute;
use tokio::sync::mpsc;

use crate::app::{App, Effect};
use crate::domain::{AccountId, Clock};
use crate::market::Market;
pub use worker::Worker;

/// Restores the terminal when dropped, whatever the exit path. `ratatui::init` also
/// installs a panic hook that restores it before the panic message prints.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Where the log file goes: the platform state (or data) dir, never the terminal.
fn log_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "cppo")
        .map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())
        .unwrap_or_else(std::env::temp_dir)
}

/// Opens the TUI on `db`, acting as `actor` (else the remembered account).
pub fn run(db: PathBuf, actor: Option<String>, clock: Box<dyn Clock>) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("the terminal UI needs a terminal; in scripts use the commands (see `cppo --help`)");
    }
    let mut market = Market::open(&db, clock).with_context(|| format!("cannot open {}", db.display()))?;
    let actor = match actor {
        Some(s) => {
            let id = AccountId::parse(&s)?;
            market.account(&id)?;
            market.remember_actor(&id)?;
            Some(id)
        }
        None => None,
    };
    let appender = tracing_appender::rolling::never(log_dir(), "cppo.log");
    let (writer, _log_guard) = tracing_appender::non_blocking(appender);
    let _ = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("CPPO_LOG").unwrap_or_else(|_| "info".into()))
        .try_init();
    tracing::info!(file = %db.display(), "opening the TUI");

    let (fx_tx, fx_rx) = std::sync::mpsc::channel::<Effect>();
    let (msg_tx, msg_rx) = mpsc::unbounded_channel();
    let worker = Worker::new(market, actor);
    let canceller = worker.count_canceller();
    let worker_thread = std::thread::Builder::new().name("store".into()).spawn(move || worker.run(fx_rx, msg_tx))?;

    let terminal = ratatui::init();
    let _guard = TerminalGuard;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let result = rt.block_on(event_loop(terminal, fx_tx, msg_rx, canceller));
    drop(_guard);
    let _ = worker_thread.join();
    tracing::info!("closed the TUI");
    result
}

async fn event_loop(
    mut terminal: DefaultTerminal,
    effects: std::sync::mpsc::Sender<Effect>,
    mut answers: mpsc::UnboundedReceiver<crate::app::Msg>,
    canceller: worker::CountCanceller,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    let mut app = App::new(size.width, size.height);
    let send = |fx: Vec<Effect>| {
        // A new query of a tab makes its running count stale.
        for e in &fx {
            if let Effect::Count { tab, .. } = e {
                canceller.cancel(*tab);
            }
        }
        for e in fx {
            let _ = effects.send(e);
        }
    };
    // The first frame is drawn before the first query answers.
    terminal.draw(|f| crate::ui::render(&app, f))?;
    send(app.start());
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        let mut dirty = false;
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => { send(app.handle_event(&ev)); dirty = true; }
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            msg = answers.recv() => match msg {
                Some(m) => { send(app.handle_msg(m)); dirty = true; }
                None => bail!("the store worker stopped; see the log in {}", log_dir().display()),
            },
            _ = tick.tick() => dirty |= app.tick(),
        }
        // Drain whatever else is already waiting, then draw once.
        while let Some(Some(Ok(ev))) = events.next().now_or_never() {
            send(app.handle_event(&ev));
            dirty = true;
        }
        while let Ok(m) = answers.try_recv() {
            send(app.handle_msg(m));
            dirty = true;
        }
        if app.quit {
            break;
        }
        if dirty {
            terminal.draw(|f| crate::ui::render(&app, f))?;
        }
    }
    Ok(())
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
