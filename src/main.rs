#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

use renkei::cli::{self, Args, Command, Session};
use renkei::clock::Clock;
use renkei::i18n::Lang;
use renkei::store::Store;
use renkei::tui::{self, app::App};

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, naming the file and line (or field) where the error came from.
            let message = format!("{e:#}").replace('\n', " ");
            let _ = writeln!(std::io::stderr(), "renkei: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(mut args: Args) -> anyhow::Result<()> {
    let clock = Clock::from_env().map_err(anyhow::Error::msg)?;
    let lang = args.lang.unwrap_or_else(Lang::from_locale);
    let command = args.command.take();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // --demo: a fresh temporary database, removed when renkei ends.
    let demo_dir = if args.demo {
        Some(tempfile::Builder::new().prefix("renkei-demo-").tempdir()?)
    } else {
        None
    };
    let db = match &demo_dir {
        Some(dir) => dir.path().join("demo.db"),
        None => cli::database_path(&args)?,
    };
    let session = Session {
        clock: clock.clone(),
        lang,
        db: db.clone(),
    };
    if demo_dir.is_some() {
        cli::run(Command::Demo, &session, &mut std::io::sink())?;
    }
    match command {
        Some(command) => cli::run(command, &session, &mut out),
        None => {
            drop(out);
            let mut store = Store::open(&db, clock.clone())?;
            let theme = match args.theme.as_deref() {
                Some(name) => tui::theme::Theme::named(name).map_err(anyhow::Error::msg)?,
                None => tui::theme::Theme::from_env(),
            };
            let mut app = App::new(
                lang,
                theme,
                tui::keymap::Keymap::default_keymap(),
                clock.now(),
            );
            if args.script {
                let stdin = std::io::stdin();
                return tui::script::run(
                    &mut store,
                    &mut app,
                    stdin.lock(),
                    std::io::stdout(),
                    (80, 24),
                );
            }
            tui::run(&mut store, &mut app)
        }
    }
}
