//! The command line's help in the reader's language: every command, argument and described
//! value has its Japanese (a new flag without it fails here), and `renkei … --help` speaks
//! Japanese by default, English with `--lang en`.

use crate::common;

use std::collections::BTreeSet;

use renkei::cli::help;
use renkei::i18n::Lang;

#[test]
fn every_command_argument_and_value_has_its_japanese() {
    let catalogue = help::catalogue();
    let missing: Vec<String> = help::keys()
        .into_iter()
        .filter(|(key, _)| !catalogue.contains_key(key))
        .map(|(key, what)| format!("[{key}] ({what})"))
        .collect();
    assert!(
        missing.is_empty(),
        "src/cli/help.toml has no Japanese for:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_entry_of_the_catalogue_names_something_there_is() {
    let keys: BTreeSet<String> = help::keys().into_iter().map(|(k, _)| k).collect();
    let stale: Vec<&String> = help::catalogue()
        .keys()
        .filter(|k| k.starts_with("help") && !keys.contains(*k))
        .collect();
    assert!(stale.is_empty(), "entries naming nothing: {stale:?}");
}

/// Every help text of the Japanese tree, commands and arguments, clap's own among them.
fn texts(cmd: &clap::Command, out: &mut Vec<String>) {
    out.extend(cmd.get_about().map(ToString::to_string));
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        out.extend(arg.get_help().map(ToString::to_string));
        out.extend(arg.get_long_help().map(ToString::to_string));
    }
    for sub in cmd.get_subcommands() {
        texts(sub, out);
    }
}

#[test]
fn no_english_is_left_in_the_japanese_tree() {
    let mut all = Vec::new();
    texts(&help::command(Lang::Ja), &mut all);
    let english: Vec<&String> = all
        .iter()
        .filter(|t| {
            [
                "Print ",
                "The ",
                "Only ",
                " the ",
                "default:",
                "possible values",
            ]
            .iter()
            .any(|w| t.contains(w))
        })
        .collect();
    assert!(english.is_empty(), "English left: {english:#?}");
    assert!(all.len() > 100, "{} texts", all.len());
}

#[test]
fn the_english_tree_is_the_doc_comments() {
    let cmd = help::command(Lang::En);
    let ward = cmd.find_subcommand("ward").unwrap();
    let set = ward.find_subcommand("set").unwrap();
    let code = set.get_arguments().find(|a| a.get_id() == "code").unwrap();
    assert_eq!(
        code.get_help().map(ToString::to_string).as_deref(),
        Some("The local government code, e.g. 131083 (not given: the ward's code is kept)")
    );
    // An argument the code gives no words takes the catalogue's English.
    let format = ward
        .get_arguments()
        .find(|a| a.get_id() == "format")
        .unwrap();
    assert_eq!(
        format.get_help().map(ToString::to_string).as_deref(),
        Some("Output format")
    );
}

fn ward_set_help(args: &[&str], env: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = common::renkei_at(&dir.path().join("help.db"));
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("XDG_CONFIG_HOME", dir.path())
        .env("HOME", dir.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.args(["ward", "set"]).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.path().join("help.db").exists(), "help made a database");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn ward_set_help_is_japanese_by_default() {
    let text = ward_set_help(&["--help"], &[]);
    assert_eq!(
        text,
        "\
このデータベースの区を名付ける。わかれば全国地方公共団体コードも（検査数字つき 6 桁。5 桁なら補う）

使い方: renkei ward set [OPTIONS] <NAME>

引数:
  <NAME>  区の名前（例: 江東区）

オプション:
      --code <NNNNNN>    全国地方公共団体コード（例: 131083。省略すると区のコードはそのまま）
      --db <PATH>        データベースファイル（既定: <データディレクトリ>/renkei/renkei.db） [環境変数: RENKEI_DB]
      --format <FORMAT>  出力の形式 [既定: table] [指定できる値: table, json]
      --lang <LANG>      表と画面の言語（既定: ロケールから。なければ日本語） [指定できる値: ja, en]
      --theme <NAME>     TUI の配色テーマ
  -h, --help             ヘルプを表示
"
    );
}

#[test]
fn ward_set_help_is_english_with_lang_en_or_an_english_locale() {
    let flag = ward_set_help(&["--help", "--lang", "en"], &[]);
    let locale = ward_set_help(&["-h"], &[("LANG", "en_GB.UTF-8")]);
    assert_eq!(flag, locale);
    assert!(flag.starts_with("Name this database's ward"), "{flag}");
    assert!(
        flag.contains("Usage: renkei ward set [OPTIONS] <NAME>"),
        "{flag}"
    );
    assert!(
        flag.contains("Arguments:\n  <NAME>  The ward's name, e.g. 江東区"),
        "{flag}"
    );
    assert!(
        flag.contains("[default: table] [possible values: table, json]"),
        "{flag}"
    );
    assert!(flag.contains("-h, --help             Print help"), "{flag}");
    assert!(!flag.contains("使い方"), "{flag}");
}

#[test]
fn described_values_are_listed_in_japanese_with_long_help() {
    let dir = tempfile::tempdir().unwrap();
    let run = |flag: &str| {
        let out = common::renkei_at(&dir.path().join("help.db"))
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .args(["meetings", flag])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let long = run("--help");
    assert!(
        long.contains("指定できる値:\n          - table\n          - json\n          - xlsx: Excel ブック（-o ファイル で、またはパイプへ）"),
        "{long}"
    );
    assert!(long.contains("[既定: table]"), "{long}");
    assert!(long.contains("ヘルプを表示（-h で要約）"), "{long}");
    let short = run("-h");
    assert!(
        short.contains("出力の形式 [既定: table] [指定できる値: table, json, xlsx]"),
        "{short}"
    );
    assert!(short.contains("ヘルプを表示（--help で詳しく）"), "{short}");
}

#[test]
fn the_help_command_and_parsing_still_work_on_the_built_tree() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("help.db");
    let out = common::renkei_at(&db)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["help", "ward", "set"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("引数:\n  <NAME>  区の名前（例: 江東区）"),
        "{text}"
    );
    let top = common::renkei_at(&db)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("--help")
        .output()
        .unwrap();
    let top = String::from_utf8(top.stdout).unwrap();
    assert!(top.contains("コマンド:\n  demo "), "{top}");
    assert!(
        top.contains("  help      このヘルプ、または指定したコマンドのヘルプを表示"),
        "{top}"
    );
    assert!(
        top.contains("-V, --version       バージョンを表示"),
        "{top}"
    );
    // A command line is still read as before: the ward is named.
    common::renkei_at(&db)
        .args(["ward", "set", "江東区", "--code", "131083"])
        .assert()
        .success();
}
