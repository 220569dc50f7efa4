//! The config file and the precedence of settings: every file in tests/valid_configs reads
//! without a problem, every file in tests/invalid_configs gives the message its first line
//! (`# expect: …`) names; flag > environment > file > default; `renkei config --print`.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

use renkei::config::{self, DateStyle, Environment, Flags, Settings, Source};
use renkei::i18n::Lang;
use renkei::text::Ambiguous;

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

/// The config files of a directory (not the theme files beside them).
fn files(name: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir(name))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

/// Settings with this config file and nothing else from the environment.
fn load(path: &Path) -> Settings {
    let env = Environment::default().with("RENKEI_CONFIG", &path.display().to_string());
    config::load(&Flags::default(), &env)
}

/// Every problem with the settings, the theme and the key map, as the user would read them.
fn problems(settings: &Settings) -> Vec<String> {
    let (_, _, look) = settings.look();
    settings
        .problems
        .iter()
        .chain(&look)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_valid_config_reads_without_a_problem() {
    for path in files("valid_configs") {
        let settings = load(&path);
        assert_eq!(
            problems(&settings),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        assert_eq!(settings.file, Some((path.clone(), true)));
    }
}

/// The problems as a reader of `lang` reads them.
fn problems_in(settings: &Settings, lang: Lang) -> Vec<String> {
    let (_, _, look) = settings.look();
    settings
        .problems
        .iter()
        .chain(&look)
        .map(|p| p.say(lang))
        .collect()
}

/// Each file's first line says what its problem reads in English (`# expect: …`), its second
/// in Japanese (`# expect-ja: …`), the language renkei speaks by default.
#[test]
fn every_invalid_config_says_what_is_wrong_and_where() {
    for path in files("invalid_configs") {
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} has no '# expect:' line", path.display()));
        let expected_ja = text
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix("# expect-ja: "))
            .unwrap_or_else(|| panic!("{} has no '# expect-ja:' line", path.display()));
        let settings = load(&path);
        let found = problems_in(&settings, Lang::En);
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "{}: expected '{expected}' in {found:#?}",
            path.display()
        );
        let found_ja = problems_in(&settings, Lang::Ja);
        assert!(
            found_ja.iter().any(|p| p.contains(expected_ja)),
            "{}: expected '{expected_ja}' in {found_ja:#?}",
            path.display()
        );
        // Japanese is Japanese: no serde or toml English left in it.
        let (_, _, look) = settings.look();
        for p in settings.problems.iter().chain(&look) {
            for english in ["expected", "unknown", "invalid", "missing", "line "] {
                let said = &p.message.ja;
                assert!(
                    !said.contains(english),
                    "{}: English in {said}",
                    path.display()
                );
            }
        }
        let named = if expected.contains("themes/") {
            "broken.toml"
        } else {
            path.file_name().unwrap().to_str().unwrap()
        };
        assert!(
            found.iter().any(|p| p.contains(named)),
            "{}: the message names no file: {found:#?}",
            path.display()
        );
    }
}

#[test]
fn a_bad_setting_keeps_its_default_and_the_good_ones_apply() {
    let settings = load(&dir("invalid_configs").join("bad_meeting_minutes.toml"));
    assert_eq!(settings.meeting_minutes.value, 90);
    assert_eq!(settings.meeting_minutes.source, Source::Default);
    assert_eq!(settings.theme.value, "light");
    let settings = load(&dir("invalid_configs").join("bad_theme_file.toml"));
    let (theme, _, _) = settings.look();
    let light = renkei::tui::theme::Theme::builtin("light")
        .unwrap()
        .degraded(settings.color_depth);
    assert_eq!(
        theme.accent, light.accent,
        "the bad colour keeps the base's"
    );
    assert_eq!(theme.ok.fg, Some(ratatui::style::Color::Green));
}

#[test]
fn the_full_config_is_applied() {
    let settings = load(&dir("valid_configs").join("full.toml"));
    assert_eq!(settings.theme.value, "light");
    assert_eq!(settings.lang.value, Lang::En);
    assert_eq!(settings.date_style.value, Some(DateStyle::Both));
    assert_eq!(
        settings.db.value,
        Some(dir("valid_configs").join("team.db")),
        "relative to the config file"
    );
    assert_eq!(settings.meeting_minutes.value, 60);
    assert_eq!(settings.fiscal_year_start.value, 4);
    assert_eq!(settings.name.value.as_deref(), Some("佐藤"));
    assert_eq!(settings.ambiguous.value, Ambiguous::Wide);
    assert_eq!(
        settings.preferences().export_format,
        Some(renkei::config::ExportFormat::Docx)
    );
    assert_eq!(
        settings.preferences().csv_encoding,
        renkei::report::csv::CsvEncoding::Cp932
    );
    let (theme, keymap, _) = settings.look();
    assert!(
        theme.ascii_borders,
        "two-cell box drawing would break every border"
    );
    assert!(
        keymap
            .bindings()
            .iter()
            .any(|b| b.label == "ctrl-n" && b.en == "Note (Ctrl)")
    );
}

#[test]
fn a_theme_file_next_to_the_config_is_found() {
    let settings = load(&dir("valid_configs").join("theme_file.toml"));
    let (theme, _, _) = settings.look();
    assert!(theme.ascii_borders);
    assert_eq!(theme.overdue.bg, Some(ratatui::style::Color::Red));
    let hc = renkei::tui::theme::Theme::builtin("high-contrast")
        .unwrap()
        .degraded(settings.color_depth);
    assert_eq!(theme.selection, hc.selection);
}

/// A config file in a temporary directory.
fn with_file(text: &str) -> (tempfile::TempDir, Environment) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    let env = Environment::default().with("RENKEI_CONFIG", &path.display().to_string());
    (dir, env)
}

#[test]
fn the_database_flag_beats_the_environment_beats_the_file_beats_the_default() {
    let (dir, env) = with_file("db = \"/file/renkei.db\"\n");
    let flags = Flags {
        db: Some(PathBuf::from("/flag/renkei.db")),
        ..Flags::default()
    };
    let env_db = env.clone().with("RENKEI_DB", "/env/renkei.db");
    let s = config::load(&flags, &env_db);
    assert_eq!(s.db.value, Some(PathBuf::from("/flag/renkei.db")));
    assert_eq!(s.db.source, Source::Flag("--db"));
    let s = config::load(&Flags::default(), &env_db);
    assert_eq!(s.db.value, Some(PathBuf::from("/env/renkei.db")));
    assert_eq!(s.db.source, Source::Env("RENKEI_DB"));
    let s = config::load(&Flags::default(), &env);
    assert_eq!(s.db.value, Some(PathBuf::from("/file/renkei.db")));
    assert_eq!(s.db.source, Source::File);
    let (_empty, bare) = with_file("");
    let s = config::load(&Flags::default(), &bare);
    assert_eq!((s.db.value, s.db.source), (None, Source::Default));
    drop(dir);
}

#[test]
fn the_theme_flag_beats_the_file_and_no_color_beats_everything() {
    let (_dir, env) = with_file("theme = \"light\"\n");
    let flags = Flags {
        theme: Some("high-contrast".to_owned()),
        ..Flags::default()
    };
    assert_eq!(config::load(&flags, &env).theme.value, "high-contrast");
    assert_eq!(config::load(&Flags::default(), &env).theme.value, "light");
    let no_color = env.clone().with("NO_COLOR", "1");
    let s = config::load(&flags, &no_color);
    assert_eq!(s.theme.value, "mono");
    assert!(s.no_color());
    let (theme, _, _) = s.look();
    assert_eq!(theme, renkei::tui::theme::Theme::mono());
    // An empty NO_COLOR is not set (no-color.org).
    let empty = env.with("NO_COLOR", "");
    assert_eq!(config::load(&flags, &empty).theme.value, "high-contrast");
}

#[test]
fn the_language_flag_beats_the_file_which_beats_the_locale() {
    let (_dir, with_en) = with_file("language = \"en\"\n");
    let (_bare_dir, bare) = with_file("");
    let ja_flag = Flags {
        lang: Some(Lang::Ja),
        ..Flags::default()
    };
    let lang = |flags: &Flags, env: &Environment| config::load(flags, env).lang;
    assert_eq!(lang(&ja_flag, &with_en).value, Lang::Ja);
    let japanese_locale = with_en.clone().with("LANG", "ja_JP.UTF-8");
    let from_file = lang(&Flags::default(), &japanese_locale);
    assert_eq!(
        (from_file.value, from_file.source),
        (Lang::En, Source::File)
    );
    let english = lang(&Flags::default(), &bare.clone().with("LANG", "en_GB.UTF-8"));
    assert_eq!(
        (english.value, english.source),
        (Lang::En, Source::Env("LANG"))
    );
    let lc_all = bare
        .clone()
        .with("LANG", "en_GB.UTF-8")
        .with("LC_ALL", "ja_JP.UTF-8");
    assert_eq!(lang(&Flags::default(), &lc_all).value, Lang::Ja);
    let nothing = lang(&Flags::default(), &bare);
    assert_eq!((nothing.value, nothing.source), (Lang::Ja, Source::Default));
}

#[test]
fn a_missing_config_is_fine_unless_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let s = load(&missing);
    assert_eq!(
        s.problems.len(),
        1,
        "RENKEI_CONFIG names a file that is not there"
    );
    assert!(s.problems[0].to_string().contains("nope.toml"));
    assert_eq!(s.meeting_minutes.value, 90);
}

#[test]
fn the_ambiguous_width_setting_reaches_every_measurement() {
    // The only test in this binary that measures text: the setting is process-wide.
    assert_eq!(renkei::text::width("○会"), 3);
    renkei::text::set_ambiguous(Ambiguous::Wide);
    assert_eq!(renkei::text::width("○会"), 4);
    assert_eq!(renkei::text::fit("○会", 6), "○会  ");
    assert_eq!(renkei::text::truncate("※○○○", 5), "※..");
    renkei::text::set_ambiguous(Ambiguous::Narrow);
    assert_eq!(renkei::text::width("○会"), 3);
}

fn renkei(config: &Path) -> Command {
    let mut cmd = Command::cargo_bin("renkei").unwrap();
    for name in Environment::NAMES {
        cmd.env_remove(name);
    }
    cmd.env("RENKEI_CONFIG", config);
    cmd
}

#[test]
fn config_print_shows_each_setting_and_where_it_came_from() {
    let path = dir("valid_configs").join("full.toml");
    let out = renkei(&path)
        .args(["config", "--print", "--lang", "en", "--db", "/tmp/x.db"])
        .env("RENKEI_DB", "/env/ignored.db")
        .env("TERM", "xterm-256color")
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for expected in [
        &format!("# config file: {}", path.display()) as &str,
        "theme = \"light\"",
        "# config file",
        "language = \"en\"",
        "# command line --lang",
        "db = \"/tmp/x.db\"",
        "# command line --db",
        "meeting_minutes = 60",
        "ambiguous_width = 2",
        "name = \"佐藤\"",
        "time_zone = \"Asia/Tokyo\"",
        "export_format = \"docx\"",
        "csv_encoding = \"cp932\"",
        "colours (from COLORTERM, TERM): 256",
        "key overrides: 1",
    ] {
        assert!(text.contains(expected), "'{expected}' missing in\n{text}");
    }
    assert!(!text.contains("problems"), "{text}");
}

#[test]
fn config_print_lists_the_problems_and_the_environment_wins_over_the_file() {
    let path = dir("invalid_configs").join("bad_key.toml");
    let out = renkei(&path)
        .args(["config", "--print"])
        .env("LANG", "en_US.UTF-8")
        .env("NO_COLOR", "1")
        .env("RENKEI_DB", "/env/renkei.db")
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for expected in [
        "theme = \"mono\"",
        "# environment NO_COLOR",
        "db = \"/env/renkei.db\"",
        "# environment RENKEI_DB",
        "# environment LANG",
        "problems:",
        "bad_key.toml: line 7: keys.bind[0]: unknown key 'hyper-x'",
    ] {
        assert!(text.contains(expected), "'{expected}' missing in\n{text}");
    }
}

#[test]
fn config_path_prints_the_file() {
    let path = dir("valid_configs").join("empty.toml");
    renkei(&path)
        .args(["config", "--path"])
        .assert()
        .success()
        .stdout(format!("{}\n", path.display()));
}

#[test]
fn a_bad_config_is_reported_and_the_tui_still_starts_with_it_in_the_status_line() {
    let path = dir("invalid_configs").join("bad_language.toml");
    let out = renkei(&path)
        .args(["--demo", "--script"])
        .env("LANG", "en_US.UTF-8")
        .write_stdin("screen\n")
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("bad_language.toml: line 3: language = 'fr'"),
        "{stderr}"
    );
    let screen = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(screen.contains("Upcoming"), "English from LANG: {screen}");
    assert!(
        screen.contains("Settings problem: ") && screen.contains("bad_language.toml"),
        "{screen}"
    );
}

#[test]
fn the_light_theme_in_english_starts() {
    let path = dir("valid_configs").join("empty.toml");
    let out = renkei(&path)
        .args(["--demo", "--script", "--theme", "light", "--lang", "en"])
        .write_stdin("screen\n")
        .assert()
        .success();
    let screen = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(screen.contains("Upcoming (by date)"), "{screen}");
    assert!(out.get_output().stderr.is_empty());
}

#[test]
fn with_two_cell_ambiguous_characters_the_screen_keeps_its_borders() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "ambiguous_width = 2\n").unwrap();
    let out = renkei(&path)
        .args(["--demo", "--script"])
        .write_stdin("key 2\nkey /\ntype ※\nkey enter\nscreen\n")
        .assert()
        .success();
    let screen = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.starts_with('|') || l.starts_with('+'))
        .collect();
    assert!(!rows.is_empty(), "ASCII borders: {screen}");
    assert!(screen.contains('※'), "{screen}");
    for row in rows {
        // Each row, measured as this terminal draws it, fills the screen exactly.
        assert_eq!(renkei::text::width_as(row, Ambiguous::Wide), 80, "'{row}'");
    }
}

/// A FIFO (or a directory) named as the config or the theme is refused at once, never waited on:
/// renkei starts with the defaults and says why.
#[test]
fn a_fifo_as_config_or_theme_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let started = std::time::Instant::now();
    for (config, theme) in [
        (&fifo, None),
        (&empty, Some(&fifo)),
        (&empty, Some(&dir.path().to_owned())),
    ] {
        let mut cmd = renkei(config);
        if let Some(theme) = theme {
            cmd.arg("--theme").arg(theme);
        }
        let out = cmd
            .args(["config", "--print", "--lang", "en"])
            .timeout(std::time::Duration::from_secs(5))
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(text.contains("not a regular file"), "{text}");
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

/// Attack report items 3 and 17: a line the TOML reader cannot read is named, on its own line,
/// once, and every other line still applies — the one after it too, and the database above all
/// (a config that silently opened the default, empty database put a team's meetings elsewhere).
#[test]
fn a_line_without_equals_spoils_only_itself() {
    let (dir, env) = with_file("theme = \"light\"\nname  \"佐藤\"\ndb = \"team.db\"\n");
    let settings = config::load(&Flags::default(), &env);
    assert_eq!(settings.theme.value, "light");
    assert_eq!(settings.db.value, Some(dir.path().join("team.db")));
    assert_eq!(settings.db.source, Source::File);
    assert_eq!(settings.name.value, None);
    let lines: Vec<_> = settings.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(2)], "{:?}", settings.problems);

    let (_dir, env) = with_file("abc def\nlanguage = \"en\"\n");
    let settings = config::load(&Flags::default(), &env);
    assert_eq!(settings.lang.value, Lang::En);
    assert_eq!(settings.lang.source, Source::File);
    let lines: Vec<_> = settings.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(1)], "{:?}", settings.problems);
}

/// `!!!` on line 2 is one problem on line 2, not two with two causes; the lines around it apply.
#[test]
fn a_stray_line_is_one_problem_on_its_own_line() {
    let (_dir, env) = with_file("language = \"en\"\n!!!\nname = \"x\"\nmeeting_minutes = 60\n");
    let settings = config::load(&Flags::default(), &env);
    assert_eq!(settings.lang.value, Lang::En);
    assert_eq!(settings.name.value.as_deref(), Some("x"));
    assert_eq!(settings.meeting_minutes.value, 60);
    assert_eq!(settings.problems.len(), 1, "{:?}", settings.problems);
    assert_eq!(settings.problems[0].line, Some(2));
}

/// Garbage between good lines — lines without `=`, an unclosed string, an unclosed list, a
/// broken table header — is named line by line, each once with its own number, and the good
/// lines (in the root table and in `[[keys.bind]]`) all apply.
#[test]
fn garbage_lines_are_each_named_once_and_the_rest_applies() {
    let text = "\
# a comment
language = \"en\"
Dies ist kein TOML
theme = \"light
date_style = \"iso\"
in = [\"live\",
meeting_minutes = 45
[keys
fiscal_year_start = 1
}}}} {{{{
name = \"佐藤\"

[[keys.bind]]
on = \"ctrl-n\"
run = \"capture_note\"
in = [
  \"live\",
]
";
    let (_dir, env) = with_file(text);
    let settings = config::load(&Flags::default(), &env);
    assert_eq!(settings.lang.value, Lang::En);
    assert_eq!(settings.date_style.value, Some(DateStyle::Iso));
    assert_eq!(settings.meeting_minutes.value, 45);
    assert_eq!(settings.fiscal_year_start.value, 1);
    assert_eq!(settings.name.value.as_deref(), Some("佐藤"));
    assert_eq!(settings.theme.value, "default");
    assert_eq!(settings.keys.len(), 1, "{:?}", settings.problems);
    let lines: Vec<_> = settings.problems.iter().map(|p| p.line).collect();
    assert_eq!(
        lines,
        [Some(3), Some(4), Some(6), Some(8), Some(10)],
        "{:#?}",
        settings.problems
    );
}

/// A large garbage file (attack report 17: 1.3 MB, 17 548 errors all said to be on line 1) lists
/// the first problems, each on its own line, and says how many more there are; the setting after
/// the garbage still applies. (Its speed is measured in `benches/config.rs`.)
#[test]
fn a_garbage_file_lists_twenty_problems_and_counts_the_rest() {
    let mut text = String::new();
    for i in 0..40_000 {
        text.push_str(&format!("garbage line {i} !!! \"\n"));
    }
    text.push_str("language = \"en\"\n");
    let (_dir, env) = with_file(&text);
    let settings = config::load(&Flags::default(), &env);
    assert_eq!(settings.lang.value, Lang::En);
    assert_eq!(settings.problems.len(), 21, "{:?}", &settings.problems[..3]);
    for (i, p) in settings.problems[..20].iter().enumerate() {
        assert_eq!(p.line, Some(i + 1), "{p}");
    }
    let last = settings.problems[20].to_string();
    assert!(last.contains("39980 more"), "{last}");
    // One line of 1.3 MB: one problem.
    let (_dir, env) = with_file(&format!(
        "{}\nlanguage = \"en\"\n",
        "!@#$%^ ".repeat(190_000)
    ));
    let settings = config::load(&Flags::default(), &env);
    assert_eq!(settings.lang.value, Lang::En);
    let lines: Vec<_> = settings.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(1)]);
}

/// A database with a 要保護児童対策地域協議会 and two cases: 未設定世帯 (no risk, never discussed,
/// opened 2026-10-20: by the rules shipped reviewed 3 months on, 2027-01-20) and 要対協世帯 (low
/// risk, discussed by the 要対協 on 2026-11-04: its kind's 3 months, 2027-02-04).
fn cases_db() -> common::TempDb {
    use chrono::NaiveDate;
    use renkei::store::capture::NewMeeting;
    use renkei::store::cases::{CaseEdit, NewCase};
    use renkei::store::tabular::Encoding;
    let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
    let db = common::TempDb::new();
    let mut store = db.open();
    let bodies = db.file(
        "bodies.json",
        r#"{ "format": "renkei/1", "bodies": [
            { "name": "要対協実務者会議", "organiser": "子ども家庭支援課",
              "kind": "要保護児童対策地域協議会", "personal_info": true } ],
          "meetings": [] }"#
            .as_bytes(),
    );
    store.import_files(&[bodies], Encoding::Auto).unwrap();
    let mut open = |pseudonym: &str| {
        store
            .create_case(&NewCase {
                pseudonym: pseudonym.to_owned(),
                opened: Some(day("2026-10-20")),
                referred_by: None,
                lead_agency: None,
                members: Vec::new(),
            })
            .unwrap()
    };
    open("未設定世帯");
    let council_case = open("要対協世帯");
    let d = store.case_detail(council_case).unwrap().unwrap();
    let edit = CaseEdit {
        pseudonym: d.row.pseudonym.clone(),
        opened: d.row.opened,
        referred_by: None,
        lead_agency: None,
        key_person: d.key_person.clone(),
        risk: Some(renkei::domain::case::Level::Low),
        urgency: None,
        policy: String::new(),
        next_review: None,
        loaded: None,
    };
    store.update_case(council_case, &edit, None).unwrap();
    let body_id = store.bodies().unwrap()[0].id;
    let meeting = store
        .schedule_meeting(&NewMeeting {
            body_id,
            date: day("2026-11-04"),
            start: Some("14:00".to_owned()),
            end: Some("15:00".to_owned()),
            place: "区役所".to_owned(),
        })
        .unwrap();
    store.link_case(meeting, council_case).unwrap();
    store.start_meeting(meeting).unwrap();
    store.end_meeting(meeting).unwrap();
    db
}

/// The cases `renkei cases --due` lists on `now` with this config, and what it said on stderr.
fn due_with(db: &common::TempDb, config: &Path, now: &str) -> (Vec<String>, String) {
    let out = common::succeeds(
        renkei(config)
            .env("RENKEI_DB", &db.path)
            .env("RENKEI_NOW", now)
            .args(["cases", "--due", "--format", "json"]),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        common::pseudonyms(&json),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Issue 18 item 1: the review rules are the config's where it says so — `[review]` and a
/// kind's `review_months` change what `renkei cases --due` lists on the clock of the day; a
/// misspelt or out-of-range key is named with its file and line and the rules shipped hold.
#[test]
fn the_configs_review_rules_decide_what_is_due() {
    let db = cases_db();
    let tmp = tempfile::tempdir().unwrap();
    let config = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let shipped = config("empty.toml", "");
    let now = common::NOW; // 2026-11-21
    assert_eq!(due_with(&db, &shipped, now).0, Vec::<String>::new());
    assert_eq!(
        due_with(&db, &shipped, "2027-01-20T09:00:00+09:00").0,
        ["未設定世帯"]
    );

    // Every case without a risk monthly: opened 10-20, due on 11-20.
    let monthly = config("monthly.toml", "[review]\nmonths = 1\n");
    assert_eq!(due_with(&db, &monthly, now).0, ["未設定世帯"]);
    assert_eq!(
        due_with(&db, &monthly, "2026-11-19T09:00:00+09:00").0,
        Vec::<String>::new()
    );

    // The 要対協's cases every month: discussed 11-04, due on 12-04, not the shipped 02-04.
    let council = config(
        "council.toml",
        "[[review.kinds]]\nkind = \"要保護児童対策地域協議会\"\nreview_months = 1\n",
    );
    let december = "2026-12-04T09:00:00+09:00";
    assert_eq!(due_with(&db, &council, december).0, ["要対協世帯"]);
    assert_eq!(due_with(&db, &shipped, december).0, Vec::<String>::new());
    // Low risk every 1 month wins over the kind's 3 too: the shorter holds.
    let low = config("low.toml", "[review]\nlow = 1\n");
    assert_eq!(due_with(&db, &low, december).0, ["要対協世帯"]);

    // The report's reviews overdue follow the same rules (the current year: as of today).
    let overdue = |config: &Path| {
        let out = common::succeeds(
            renkei(config)
                .env("RENKEI_DB", &db.path)
                .env("RENKEI_NOW", now)
                .args(["report", "--fiscal-year", "2026", "--lang", "en"])
                .args(["--format", "csv"]),
        );
        common::csv_cells(&out.stdout)
            .into_iter()
            .find(|row| row[0] == "Reviews overdue at the year's end")
            .map(|row| row[1].clone())
    };
    assert_eq!(overdue(&shipped).as_deref(), Some("0"));
    assert_eq!(overdue(&monthly).as_deref(), Some("1"));

    // `config --print` says which intervals are in effect and that they are the file's.
    let out = renkei(&dir("valid_configs").join("review.toml"))
        .args(["config", "--print", "--lang", "en"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "case review intervals (months): months = 2, high = 1, medium = 2, low = 4",
        "支援方針検討会議: 1 ledger",
        "要保護児童対策地域協議会: 1 ledger",
        "(from the config file)",
    ] {
        assert!(text.contains(expected), "'{expected}' missing in\n{text}");
    }

    // A misspelt key: named with the file and its line, and none of [review] applies.
    let misspelt = config("misspelt.toml", "[review]\nmonths = 1\nmonhts = 1\n");
    let (due, stderr) = due_with(&db, &misspelt, now);
    assert_eq!(due, Vec::<String>::new(), "the rules shipped hold");
    assert!(
        stderr.contains("misspelt.toml: 3行目") && stderr.contains("monhts"),
        "{stderr}"
    );
    // Out of range (1–120 months), a kind the rules do not list and not said to be the ward's
    // own: named on its line, the rules shipped hold.
    for (bad, line) in [
        ("[review]\nmonths = 0\n", 2),
        ("[review]\n\nmonths = 121\n", 3),
        (
            "[[review.kinds]]\nkind = \"要対協\"\nreview_months = 1\n",
            2,
        ),
        ("[review]\nhigh = -1\n", 2),
        ("[review]\nlow = \"1\"\n", 2),
        ("[[review.kinds]]\nkind = \" \"\nreview_months = 1\n", 2),
    ] {
        let path = config("range.toml", bad);
        let (due, stderr) = due_with(&db, &path, now);
        assert_eq!(due, Vec::<String>::new(), "{bad}");
        assert!(
            stderr.contains(&format!("range.toml: {line}行目")),
            "{bad}: {stderr}"
        );
    }
}
