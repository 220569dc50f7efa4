//! `-o 議事録.docx` without `--format`: the format the file's name ends with, where the command
//! writes that format. The default was written whatever the name (attack report 12, finding 11):
//! Markdown in a file named `.docx`, which Word refuses as damaged, the report's Markdown in
//! `.xlsx`, the ledger's table in `.csv`. A `--format` given is kept, whatever the name.

use clap::ArgMatches;
use clap::parser::ValueSource;
use std::ffi::OsString;
use std::path::PathBuf;

/// The command line `argv` with `--format EXT` added when the command's `--format` was left at
/// its default and the extension of its `-o` file is one of the formats it writes; `None` when
/// there is nothing to add.
pub fn format_from_output(
    command: &clap::Command,
    matches: &ArgMatches,
    argv: &[OsString],
) -> Option<Vec<OsString>> {
    let (name, sub) = matches.subcommand()?;
    // The command's own `--format` first: asking the matches about an argument the command does
    // not have is a panic of clap's in a debug build.
    let formats = command
        .find_subcommand(name)?
        .get_arguments()
        .find(|a| a.get_id() == "format")?
        .get_possible_values();
    let output = sub.try_get_one::<PathBuf>("output").ok()??;
    if sub.value_source("format") != Some(ValueSource::DefaultValue) {
        return None;
    }
    let extension = output.extension()?.to_str()?.to_ascii_lowercase();
    let format = formats.into_iter().find(|v| v.get_name() == extension)?;
    // After `--` an added flag would be read as a file name.
    if argv.iter().any(|a| a == "--") {
        return None;
    }
    let mut with = argv.to_vec();
    with.push("--format".into());
    with.push(format.get_name().into());
    Some(with)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn inferred(args: &[&str]) -> Option<Vec<String>> {
        let command = crate::cli::help::command(Lang::En);
        let argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        let matches = command.clone().try_get_matches_from(&argv).unwrap();
        format_from_output(&command, &matches, &argv).map(|v| {
            v.into_iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect()
        })
    }

    #[test]
    fn the_extension_names_the_format_only_where_none_was_given() {
        let added = |args: &[&str]| inferred(args).map(|v| v[args.len()..].join(" "));
        assert_eq!(
            added(&["renkei", "minutes", "1", "-o", "議事録.docx"]).as_deref(),
            Some("--format docx")
        );
        assert_eq!(
            added(&["renkei", "report", "--fiscal-year", "2026", "-o", "r.XLSX"]).as_deref(),
            Some("--format xlsx")
        );
        assert_eq!(
            added(&["renkei", "cases", "-o", "c.csv"]).as_deref(),
            Some("--format csv")
        );
        assert_eq!(
            added(&["renkei", "case", "A世帯", "-o", "a.json"]).as_deref(),
            Some("--format json")
        );
        assert_eq!(
            added(&["renkei", "actions", "-o", "a.xlsx"]).as_deref(),
            Some("--format xlsx")
        );
        // Given, or a name that is no format of the command, or none: left as it was.
        assert_eq!(
            inferred(&["renkei", "minutes", "1", "--format", "md", "-o", "m.docx"]),
            None
        );
        assert_eq!(inferred(&["renkei", "minutes", "1", "-o", "m.txt"]), None);
        assert_eq!(inferred(&["renkei", "meetings", "-o", "m.csv"]), None);
        assert_eq!(inferred(&["renkei", "minutes", "1"]), None);
        assert_eq!(inferred(&["renkei", "export", "-o", "x.json"]), None);
    }
}
