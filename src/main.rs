#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::FromArgMatches;
use clap::parser::ValueSource;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use renkei::cli::{self, Args, Command, Session};
use renkei::clock::Clock;
use renkei::config::{self, Environment, Flags, Problem, Settings};
use renkei::store::Store;
use renkei::tui::{self, app::App, words::tr};

fn main() -> ExitCode {
    // A write past `ulimit -f` fails with a message naming the file, rather than ending renkei
    // without a word. Nothing else is at stake if the signal cannot be caught.
    let _ = renkei::store::trouble::watch_file_size_limit();
    // SQLite's temporary files (sorters, temporary tables) beside the database, owner-only.
    renkei::store::temp::keep_private();
    // Before the command line is read: its own errors are said in the user's language too.
    let early = early_lang();
    renkei::i18n::set_message_lang(early);
    // Its help too: `renkei ward set --help` in Japanese unless asked otherwise.
    let command = cli::help::command(early);
    let matches = match command.clone().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => return usage_error(e, early),
    };
    // `-o 議事録.docx` without `--format`: the format the name ends with.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = match cli::inferred::format_from_output(&command, &matches, &argv) {
        Some(argv) => match command.try_get_matches_from(argv) {
            Ok(matches) => matches,
            Err(e) => return usage_error(e, early),
        },
        None => matches,
    };
    let args = match Args::from_arg_matches(&matches) {
        Ok(args) => args,
        Err(e) => return usage_error(e, early),
    };
    // clap fills --db from RENKEI_DB too; only a real flag outranks the environment here.
    let db_flag = matches!(matches.value_source("db"), Some(ValueSource::CommandLine));
    match run(args, db_flag) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if reader_gone(&e) => ExitCode::from(READER_GONE),
        Err(e) => {
            // One line, naming the file and line (or field) where the error came from.
            let message = cli::error_line(&e, renkei::i18n::message_lang());
            let _ = writeln!(std::io::stderr(), "renkei: {message}"); // inert: error_line
            ExitCode::FAILURE
        }
    }
}

/// The exit status when the reader of renkei's output went away: what a shell reports for a
/// process ended by SIGPIPE (128 + 13), as `seq 1000000 | head -1` ends.
const READER_GONE: u8 = 141;

/// The reader of the standard output (or of a pipe given to `-o`) closed it (`| head`): no
/// failure a user can act on, so renkei ends without a word, as other tools do; what came after
/// the write did not happen (an export nobody read is not logged as written).
/// The write may have failed inside serde_json (the JSON listings) or the csv crate (the CSV
/// listings), which keep the I/O error as their own kind rather than as a cause (`cli::io_kind`).
fn reader_gone(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|cause| cli::io_kind(cause) == Some(std::io::ErrorKind::BrokenPipe))
}

/// The language of the settings, read before clap reads the command line: `--lang` as written
/// (`--lang en`, `--lang=en`), else the config file's, else the locale's.
fn early_lang() -> renkei::i18n::Lang {
    use renkei::i18n::Lang;
    let parse = |v: &str| match v {
        "ja" => Some(Lang::Ja),
        "en" => Some(Lang::En),
        _ => None,
    };
    let mut lang = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy();
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            lang = args.next().and_then(|v| parse(&v.to_string_lossy()));
        } else if let Some(v) = arg.strip_prefix("--lang=") {
            lang = parse(v);
        }
    }
    let flags = Flags {
        lang,
        ..Flags::default()
    };
    config::load(&flags, &Environment::from_process())
        .lang
        .value
}

/// A command line clap refused, said in `lang` (exit status 2, as clap's); `--help` and
/// `--version` as clap prints them.
fn usage_error(e: clap::Error, lang: renkei::i18n::Lang) -> ExitCode {
    match cli::clap_error(&e, lang) {
        Some(text) => {
            let _ = std::io::stderr().write_all(text.as_bytes()); // inert: clap_error
            ExitCode::from(2)
        }
        None => e.exit(),
    }
}

/// Settings from the flags, the environment and the config file, in that order of precedence.
fn settings(args: &Args, db_flag: bool) -> Settings {
    let flags = Flags {
        db: args.db.clone().filter(|_| db_flag),
        lang: args.lang,
        theme: args.theme.clone(),
    };
    let settings = config::load(&flags, &Environment::from_process());
    renkei::i18n::set_message_lang(settings.lang.value);
    // Set before anything is measured: the CLI's tables and the screens alike.
    renkei::text::set_ambiguous(settings.ambiguous.value);
    settings
}

/// Problems go to standard error before the screen is taken over, so they are never silent.
fn report(problems: &[Problem]) {
    let mut stderr = std::io::stderr(); // inert: each problem is made inert below
    for p in problems {
        let _ = writeln!(stderr, "renkei: {}", renkei::text::inert(&p.to_string()));
    }
}

fn run(mut args: Args, db_flag: bool) -> anyhow::Result<()> {
    let settings = settings(&args, db_flag);
    // Japan time (the config's time_zone), whatever the machine's TZ.
    let clock = Clock::from_env_in(&settings.time_zone.value)?;
    let lang = settings.lang.value;
    let command = args.command.take();
    if !matches!(command, Some(Command::Config { .. })) {
        report(&settings.problems);
    }
    let stdout = std::io::stdout(); // inert: every command makes what it prints inert
    let mut out = cli::StandardOutput(stdout.lock());
    // --demo: a fresh temporary database, removed when renkei ends — never the one --db names,
    // which it silently left alone (attack12, finding 10).
    if args.demo && db_flag {
        return Err(renkei::i18n::Msg::new("demo_with_db").into());
    }
    let demo_dir = if args.demo {
        // Where it was to be made is said: a missing or unwritable TMPDIR said only "No such
        // file or directory" (attack12, finding 10).
        let tmp = std::env::temp_dir();
        Some(renkei::demo::temporary_dir().map_err(|e| {
            anyhow::Error::new(e)
                .context(renkei::i18n::Msg::new("demo_temp_dir").with("dir", tmp.display()))
        })?)
    } else {
        None
    };
    let db = match (&demo_dir, &settings.db.value) {
        (Some(dir), _) => dir.path().join("demo.db"),
        (None, Some(path)) => path.clone(),
        (None, None) => default_db()?,
    };
    // `renkei export >> renkei.db`: standard output is the database (or another one, or a
    // journal), opened by the shell. Refused before anything is read or written.
    if let Some(path) = renkei::store::stdout_database(&db) {
        return Err(renkei::i18n::Msg::new("stdout_is_a_database")
            .with("path", path.display())
            .into());
    }
    let session = Session {
        clock: clock.clone(),
        lang,
        db: db.clone(),
        settings,
    };
    if demo_dir.is_some() {
        cli::run(
            Command::Demo { scale: 1, wards: 1 },
            &session,
            &mut std::io::sink(),
        )?;
    }
    match command {
        Some(command) => {
            say_when_waiting(lang);
            cli::run(command, &session, &mut out)
        }
        None => {
            drop(out);
            let mut store =
                Store::open(&db, clock.clone()).map_err(|e| cli::explained(e.into(), &session))?;
            store.set_display_name(session.settings.name.value.clone());
            store.set_rules(session.settings.case_rules());
            let mut app = tui_app(&session.settings, clock.now());
            if args.script {
                let stdin = std::io::stdin();
                return tui::script::run(
                    &mut store,
                    &mut app,
                    stdin.lock(),
                    std::io::stdout(), // inert: the screen as drawn, for tests
                    (80, 24),
                );
            }
            tui::run(&mut store, &mut app)
        }
    }
}

/// A command whose write waits for another process's (an import, a capture) says so, once: it
/// waits as long as it takes, and a silent wait would look like a hang.
fn say_when_waiting(lang: renkei::i18n::Lang) {
    let mut said = false;
    renkei::store::busy::on_wait(move || {
        if !std::mem::replace(&mut said, true) {
            let message = lang.pick(
                "他のプロセスがデータベースに書き込み中です。終わるまで待っています…",
                "another process is writing to the database; waiting until it is done…",
            );
            let _ = writeln!(std::io::stderr(), "renkei: {message}"); // inert: words of our own
        }
    });
}

fn default_db() -> anyhow::Result<PathBuf> {
    renkei::store::default_path().ok_or_else(|| renkei::i18n::Msg::new("no_home").into())
}

/// The app with the settings' language, look, keys and preferences; the first problem with the
/// config, theme or key map waits in the status line.
fn tui_app(settings: &Settings, now: chrono::DateTime<chrono::FixedOffset>) -> App {
    let (theme, keymap, look_problems) = settings.look();
    report(&look_problems);
    let lang = settings.lang.value;
    let mut app = App::new(lang, theme, keymap, now);
    app.ctx.prefs = settings.preferences();
    app.ctx.vocabulary = settings.vocabulary();
    let problems: Vec<&Problem> = settings.problems.iter().chain(&look_problems).collect();
    if let Some(first) = problems.first() {
        let more = match problems.len() - 1 {
            0 => String::new(),
            n => format!(" (+{n}: renkei config --print)"),
        };
        let first = first.brief();
        app.ctx.status = Some((
            true,
            format!("{}: {first}{more}", tr(lang, "config_problem")),
        ));
    }
    app
}
