#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

use renkei::cli::{self, Args, Command, Session};
use renkei::clock::Clock;
use renkei::i18n::Lang;

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
    if args.demo {
        // A fresh temporary database, removed when renkei ends.
        let dir = tempfile::Builder::new().prefix("renkei-demo-").tempdir()?;
        let session = Session {
            clock,
            lang,
            db: dir.path().join("demo.db"),
        };
        cli::run(Command::Demo, &session, &mut std::io::sink())?;
        let command = command.unwrap_or(Command::Upcoming {
            from: None,
            days: 60,
            by: Default::default(),
            format: cli::UpcomingFormat::Table,
        });
        return cli::run(command, &session, &mut out);
    }
    let session = Session {
        clock,
        lang,
        db: cli::database_path(&args)?,
    };
    match command {
        Some(command) => cli::run(command, &session, &mut out),
        None => cli::run(
            Command::Upcoming {
                from: None,
                days: 60,
                by: Default::default(),
                format: cli::UpcomingFormat::Table,
            },
            &session,
            &mut out,
        ),
    }
}
