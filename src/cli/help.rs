//! `renkei --help` in the reader's language. The English is clap's, from the doc comments of
//! the commands; the Japanese comes from the catalogue `src/cli/help.toml`, set on the built
//! command tree when the language is Japanese, clap's own words (`Usage:`, `Options:`,
//! `[default: …]` …) included. An argument without a doc comment takes its English from the
//! catalogue too.
//!
//! Keys follow the command path: `help.ward.set` is `renkei ward set`, `help.ward.set.--code`
//! its option `--code`, `help.import.files` the positional argument `files` of `renkei import`,
//! `help.meetings.--format.xlsx` one value of `--format`; global options are keyed at the root
//! (`help.--db`), clap's words under `clap.`.

use clap::builder::PossibleValue;
use clap::{Arg, Command, CommandFactory};
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::i18n::Lang;

/// One entry of the catalogue: the Japanese, and the English where the code has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub ja: String,
    pub en: Option<String>,
}

/// The catalogue by key, read from nested TOML tables (`[help.ward.set.--code] ja = "…"`).
pub type Catalogue = HashMap<String, Entry>;

/// Reads a catalogue: every table with a `ja` string is an entry at its path; an entry may have
/// an `en` and tables below it, nothing else.
pub fn parse(text: &str) -> Result<Catalogue, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Catalogue::new();
    flatten("", &table, &mut out)?;
    Ok(out)
}

fn flatten(path: &str, table: &toml::Table, out: &mut Catalogue) -> Result<(), String> {
    let text = |key: &str| match table.get(key) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{path}.{key}: not a string")),
    };
    match (text("ja")?, text("en")?) {
        (Some(ja), en) => {
            out.insert(path.to_owned(), Entry { ja, en });
        }
        (None, Some(_)) => return Err(format!("{path}: an `en` without its `ja`")),
        (None, None) => {}
    }
    for (key, value) in table {
        match value {
            toml::Value::Table(child) => {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(&child_path, child, out)?;
            }
            _ if key == "ja" || key == "en" => {}
            _ => return Err(format!("{path}.{key}: neither `ja`, `en` nor a table")),
        }
    }
    Ok(())
}

/// The catalogue renkei is built with.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| parse(include_str!("help.toml")).unwrap_or_default())
}

/// The command line as clap reads it, its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut cmd = super::Args::command();
    // Built first, so that clap's own `--help`, `--version` and `help` are there to be said too.
    cmd.build();
    localize(
        &mut cmd,
        &mut Vec::new(),
        &Globals::new(),
        lang,
        catalogue(),
    );
    cmd
}

/// Every key the help of renkei's visible commands, arguments and described values needs, with
/// what it names (`renkei ward set --code`).
pub fn keys() -> Vec<(String, String)> {
    let mut cmd = super::Args::command();
    cmd.build();
    let mut out = Vec::new();
    collect(&cmd, &mut Vec::new(), &Globals::new(), &mut out);
    out
}

/// The keys of the global options a command holds copies of, by id: each is said where it is
/// declared (`--db` at the root, `ward`'s `--format` under `help.ward`).
type Globals = HashMap<String, String>;

/// The key of each argument of `cmd` by id (clap's `--help` and `--version` have none: they
/// are said under `clap.`), and the globals its subcommands inherit.
fn arg_keys(cmd: &Command, path: &[String], inherited: &Globals) -> (Globals, Globals) {
    let mut keys = Globals::new();
    let mut globals = inherited.clone();
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        if id == "help" || id == "version" {
            continue;
        }
        let key = match inherited.get(id).filter(|_| arg.is_global_set()) {
            Some(key) => key.clone(),
            None => format!("{}.{}", command_key(path), arg_name(arg)),
        };
        if arg.is_global_set() {
            globals.insert(id.to_owned(), key.clone());
        }
        keys.insert(id.to_owned(), key);
    }
    (keys, globals)
}

fn collect(
    cmd: &Command,
    path: &mut Vec<String>,
    inherited: &Globals,
    out: &mut Vec<(String, String)>,
) {
    let shown = |p: &[String]| format!("renkei {}", p.join(" ")).trim_end().to_owned();
    out.push((command_key(path), shown(path)));
    let (keys, globals) = arg_keys(cmd, path, inherited);
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let Some(key) = keys.get(arg.get_id().as_str()) else {
            continue;
        };
        let name = format!("{} {}", shown(path), arg_name(arg));
        for value in described_values(arg) {
            out.push((format!("{key}.{}", value.get_name()), name.clone()));
        }
        out.push((key.clone(), name));
    }
    for sub in cmd.get_subcommands().filter(|s| !is_clap_help(s)) {
        path.push(sub.get_name().to_owned());
        collect(sub, path, &globals, out);
        path.pop();
    }
}

fn command_key(path: &[String]) -> String {
    std::iter::once("help")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(".")
}

/// An option by its long name (`--code`), a positional argument by its id.
fn arg_name(arg: &Arg) -> String {
    match arg.get_long() {
        Some(long) => format!("--{long}"),
        None => arg.get_id().as_str().to_owned(),
    }
}

/// The values of an argument that clap describes one by one (those with a doc comment).
fn described_values(arg: &Arg) -> Vec<PossibleValue> {
    arg.get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set() && v.get_help().is_some())
        .collect()
}

/// clap's `help` subcommand (and its copies of the commands, for `renkei help ward set`).
fn is_clap_help(cmd: &Command) -> bool {
    cmd.get_name() == "help"
}

fn word(catalogue: &'static Catalogue, key: &str) -> Option<&'static Entry> {
    catalogue.get(key)
}

/// clap's own word in Japanese (its English where the catalogue has none).
fn clap_word(catalogue: &'static Catalogue, key: &str, en: &'static str) -> &'static str {
    word(catalogue, &format!("clap.{key}")).map_or(en, |e| e.ja.as_str())
}

fn localize(
    cmd: &mut Command,
    path: &mut Vec<String>,
    inherited: &Globals,
    lang: Lang,
    catalogue: &'static Catalogue,
) {
    let key = command_key(path);
    let (keys, globals) = arg_keys(cmd, path, inherited);
    let mut c = std::mem::take(cmd);
    if lang == Lang::Ja {
        if let Some(e) = word(catalogue, &key) {
            c = c.about(e.ja.clone()).long_about(None);
        }
        let layout = template(&c, catalogue);
        c = c
            .help_template(layout)
            .subcommand_help_heading(clap_word(catalogue, "commands", "Commands"));
    }
    let long_help = lang == Lang::Ja && c.get_arguments().any(|a| !described_values(a).is_empty());
    c = c.mut_args(|arg| {
        let key = keys.get(arg.get_id().as_str()).cloned();
        localize_arg(arg, key, lang, long_help, catalogue)
    });
    for sub in c.get_subcommands_mut() {
        if is_clap_help(sub) {
            localize_clap_help(sub, &mut path.clone(), true, lang, catalogue);
        } else {
            path.push(sub.get_name().to_owned());
            localize(sub, path, &globals, lang, catalogue);
            path.pop();
        }
    }
    *cmd = c;
}

/// clap's `help` subcommand: its own words, and the commands it names described as they are.
/// `path` is the command whose help `cmd` gives (the `help` command itself when `is_help`).
fn localize_clap_help(
    cmd: &mut Command,
    path: &mut Vec<String>,
    is_help: bool,
    lang: Lang,
    catalogue: &'static Catalogue,
) {
    if lang != Lang::Ja {
        return;
    }
    let about = if is_help {
        word(catalogue, "clap.help_command")
    } else {
        word(catalogue, &command_key(path))
    };
    let mut c = std::mem::take(cmd);
    if let Some(e) = about {
        c = c.about(e.ja.clone()).long_about(None);
    }
    let layout = template(&c, catalogue);
    c = c
        .help_template(layout)
        .subcommand_help_heading(clap_word(catalogue, "commands", "Commands"));
    c = c.mut_args(|arg| match arg.get_id().as_str() {
        "subcommand" => arg.help(clap_word(
            catalogue,
            "help_subcommand",
            "Print help for the subcommand(s)",
        )),
        _ => arg,
    });
    for sub in c.get_subcommands_mut() {
        if is_clap_help(sub) {
            localize_clap_help(sub, path, true, lang, catalogue);
        } else {
            path.push(sub.get_name().to_owned());
            localize_clap_help(sub, path, false, lang, catalogue);
            path.pop();
        }
    }
    *cmd = c;
}

fn localize_arg(
    arg: Arg,
    key: Option<String>,
    lang: Lang,
    long_help: bool,
    catalogue: &'static Catalogue,
) -> Arg {
    match arg.get_id().as_str() {
        "help" if lang == Lang::Ja => {
            return if long_help {
                arg.help(clap_word(
                    catalogue,
                    "help_more",
                    "Print help (see more with '--help')",
                ))
                .long_help(clap_word(
                    catalogue,
                    "help_summary",
                    "Print help (see a summary with '-h')",
                ))
            } else {
                arg.help(clap_word(catalogue, "help", "Print help"))
                    .long_help(None)
            };
        }
        "version" if lang == Lang::Ja => {
            return arg.help(clap_word(catalogue, "version", "Print version"));
        }
        "help" | "version" => return arg,
        _ => {}
    }
    let Some(key) = key else {
        return arg;
    };
    let entry = word(catalogue, &key);
    if lang != Lang::Ja {
        // The doc comment's English; the catalogue's only where the code has none.
        return match entry.and_then(|e| e.en.clone()) {
            Some(en) if arg.get_help().is_none() => arg.help(en),
            _ => arg,
        };
    }
    let Some(entry) = entry else {
        return arg;
    };
    let (short, long) = japanese_help(&arg, &entry.ja, &key, catalogue);
    let arg = match long {
        Some(long) => arg.long_help(long),
        None => arg.long_help(None),
    };
    arg.help(short)
        .hide_default_value(true)
        .hide_possible_values(true)
        .hide_env(true)
}

/// An argument's Japanese help, short and (where its values are described one by one) long,
/// with what clap would add in English: the environment variable, the default, the values.
fn japanese_help(
    arg: &Arg,
    ja: &str,
    key: &str,
    catalogue: &'static Catalogue,
) -> (String, Option<String>) {
    let mut tags = Vec::new();
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        tags.push(format!(
            "[{}: {}]",
            clap_word(catalogue, "env", "env"),
            env.to_string_lossy()
        ));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let default_tag = (arg.get_action().takes_values() && !defaults.is_empty()).then(|| {
        format!(
            "[{}: {}]",
            clap_word(catalogue, "default", "default"),
            defaults.join(" ")
        )
    });
    let values: Vec<PossibleValue> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let values_tag = (!values.is_empty()).then(|| {
        let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
        format!(
            "[{}: {}]",
            clap_word(catalogue, "possible_values", "possible values"),
            names.join(", ")
        )
    });
    let mut short_tags = tags.clone();
    short_tags.extend(default_tag.clone());
    short_tags.extend(values_tag.clone());
    let short = join_tags(ja, &short_tags);
    if described_values(arg).is_empty() {
        return (short, None);
    }
    // As clap says it in English: the values one per line, described in Japanese.
    let mut long = String::from(ja);
    if !long.is_empty() {
        long.push_str("\n\n");
    }
    long.push_str(clap_word(
        catalogue,
        "possible_values_heading",
        "Possible values",
    ));
    long.push(':');
    for v in &values {
        long.push_str("\n- ");
        long.push_str(v.get_name());
        if v.get_help().is_some() {
            let described = word(catalogue, &format!("{key}.{}", v.get_name()))
                .map(|e| e.ja.clone())
                .or_else(|| v.get_help().map(ToString::to_string));
            if let Some(text) = described {
                long.push_str(": ");
                long.push_str(&text);
            }
        }
    }
    let mut long_tags = tags;
    long_tags.extend(default_tag);
    if !long_tags.is_empty() {
        long.push_str("\n\n");
        long.push_str(&long_tags.join("\n"));
    }
    (short, Some(long))
}

fn join_tags(text: &str, tags: &[String]) -> String {
    std::iter::once(text.to_owned())
        .chain(tags.iter().cloned())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// clap's layout, its headings in Japanese: a heading only over what the command shows.
fn template(cmd: &Command, catalogue: &'static Catalogue) -> String {
    let shown = |a: &&Arg| !a.is_hide_set();
    let mut sections = Vec::new();
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        sections.push(format!(
            "{}:\n{{subcommands}}",
            clap_word(catalogue, "commands", "Commands")
        ));
    }
    if cmd.get_positionals().any(|a| shown(&a)) {
        sections.push(format!(
            "{}:\n{{positionals}}",
            clap_word(catalogue, "arguments", "Arguments")
        ));
    }
    if cmd
        .get_arguments()
        .filter(|a| !a.is_positional())
        .any(|a| shown(&a))
    {
        sections.push(format!(
            "{}:\n{{options}}",
            clap_word(catalogue, "options", "Options")
        ));
    }
    let usage = format!("{}: {{usage}}", clap_word(catalogue, "usage", "Usage"));
    if sections.is_empty() {
        format!("{{before-help}}{{about-with-newline}}\n{usage}{{after-help}}")
    } else {
        format!(
            "{{before-help}}{{about-with-newline}}\n{usage}\n\n{}{{after-help}}",
            sections.join("\n\n")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_tables_are_keys_by_their_path() {
        let c = parse(
            "[help.ward]\nja = \"区\"\n[help.ward.set]\nja = \"名付ける\"\n[help.ward.set.--code]\nja = \"コード\"\nen = \"The code\"\n",
        )
        .unwrap();
        assert_eq!(c["help.ward"].ja, "区");
        assert_eq!(c["help.ward.set"].ja, "名付ける");
        assert_eq!(c["help.ward.set.--code"].en.as_deref(), Some("The code"));
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn a_stray_key_or_an_english_alone_is_refused() {
        assert!(parse("[help.ward]\nja = \"区\"\nfr = \"quartier\"\n").is_err());
        assert!(parse("[help.ward]\nen = \"ward\"\n").is_err());
        assert!(parse("[help.ward]\nja = 3\n").is_err());
    }

    #[test]
    fn the_catalogue_renkei_is_built_with_reads() {
        parse(include_str!("help.toml")).unwrap();
    }
}
