//! Body lists as a ward keeps them in Excel: CSV or TSV with the Koto column headers, in UTF-8
//! (with or without BOM) or Shift_JIS/CP932.

use serde::{Deserialize, Serialize};

use super::interchange::BodyRecord;

/// The text encoding of a CSV/TSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 with a BOM if valid UTF-8, else Shift_JIS/CP932.
    Auto,
    Utf8,
    /// Shift_JIS as Windows writes it (CP932).
    #[value(
        alias = "sjis",
        alias = "shift_jis",
        alias = "shift-jis",
        alias = "windows-31j"
    )]
    Cp932,
}

/// Decodes a whole file; bytes that are not valid in the encoding are an error naming the line.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match encoding {
        Encoding::Utf8 => utf8(bytes),
        Encoding::Cp932 => cp932(bytes),
        Encoding::Auto => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_owned()),
            Err(utf8_error) => cp932(bytes).map_err(|_| {
                // Name the line where the text stops being readable as the likelier encoding.
                let utf8_line = line_at(bytes, utf8_error.valid_up_to());
                let sjis_line = first_bad_sjis_line(bytes).unwrap_or(1);
                format!(
                    "line {}: neither UTF-8 nor Shift_JIS (save the file as UTF-8, or name its encoding with --encoding)",
                    utf8_line.max(sjis_line)
                )
            }),
        },
    }
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
        let line = line_at(bytes, e.valid_up_to());
        format!("line {line}: invalid UTF-8")
    })
}

fn cp932(bytes: &[u8]) -> Result<String, String> {
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if !had_errors {
        return Ok(text.into_owned());
    }
    match first_bad_sjis_line(bytes) {
        Some(line) => Err(format!("line {line}: invalid Shift_JIS")),
        None => Err("invalid Shift_JIS".to_owned()),
    }
}

/// Shift_JIS never uses the byte of a line feed inside a character, so lines decode alone.
fn first_bad_sjis_line(bytes: &[u8]) -> Option<usize> {
    bytes
        .split(|&b| b == b'\n')
        .position(|line| encoding_rs::SHIFT_JIS.decode_without_bom_handling(line).1)
        .map(|i| i + 1)
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Which column of the file holds which field.
#[derive(Debug, Default)]
struct Columns {
    name: Option<usize>,
    organiser: Option<usize>,
    expected_size: Option<usize>,
    members: Option<usize>,
    topics: Option<usize>,
    frequency: Option<usize>,
    personal_info: Option<usize>,
    kind: Option<usize>,
    parent: Option<usize>,
    municipality: Option<usize>,
    note: Option<usize>,
}

impl Columns {
    fn from_headers(headers: &csv::StringRecord) -> Columns {
        let mut cols = Columns::default();
        for (i, header) in headers.iter().enumerate() {
            let slot = match normalise_header(header).as_str() {
                "会議名" | "会議体" | "会議体名" | "name" => &mut cols.name,
                "主催者" | "主催" | "事務局" | "organiser" | "organizer" => {
                    &mut cols.organiser
                }
                "参加者数" | "人数" | "expected_size" => &mut cols.expected_size,
                "参加者" | "構成機関" | "参加機関" | "members" => &mut cols.members,
                "主な議題" | "議題" | "topics" => &mut cols.topics,
                "開催頻度" | "開催回数" | "頻度" | "frequency" => &mut cols.frequency,
                "個人情報の共有" | "個人情報" | "personal_info" => {
                    &mut cols.personal_info
                }
                "種別" | "会議の種類" | "kind" => &mut cols.kind,
                "上位会議体" | "親会議" | "parent" => &mut cols.parent,
                "自治体" | "区" | "municipality" => &mut cols.municipality,
                "備考" | "note" => &mut cols.note,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(i);
            }
        }
        cols
    }
}

fn normalise_header(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// A quoted field never closed would swallow the rest of the file into one cell (the csv crate
/// reads on to the end): refuse it, naming the line where the quote opened.
pub fn check_quotes(text: &str) -> Result<(), String> {
    let mut inside = false;
    let mut line = 1;
    let mut opened_at = 0;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if inside => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    inside = false;
                }
            }
            '"' if at_field_start => {
                inside = true;
                opened_at = line;
            }
            _ => {}
        }
        if c == '\n' {
            line += 1;
        }
        at_field_start = !inside && matches!(c, ',' | '\t' | '\n' | '\r');
    }
    if inside {
        return Err(format!(
            "line {opened_at}: a quoted field is never closed (a \" is missing)"
        ));
    }
    Ok(())
}

/// The line a record starts on. The csv crate reports the line where it began reading, which is
/// before any blank lines it skipped: those are counted here.
pub(crate) fn line_of(text: &str, record: &csv::StringRecord) -> usize {
    let Some(pos) = record.position() else {
        return 0;
    };
    let start = usize::try_from(pos.byte())
        .unwrap_or(usize::MAX)
        .min(text.len());
    let skipped = text.as_bytes()[start..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count();
    usize::try_from(pos.line()).unwrap_or(0) + skipped
}

/// Reads a body list. `delimiter` is `b','` or `b'\t'`; errors name the line.
pub fn parse_bodies(text: &str, delimiter: u8) -> Result<Vec<BodyRecord>, String> {
    check_quotes(text)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("line 1: {}", csv_message(&e)))?
        .clone();
    let cols = Columns::from_headers(&headers);
    let Some(name_col) = cols.name else {
        return Err(format!(
            "line 1: no 会議名 (name) column; the header row is: {}",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    };
    let mut bodies = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            format!("line {line}: {}", csv_message(&e))
        })?;
        let line = line_of(text, &record);
        let cell = |col: Option<usize>| {
            col.and_then(|c| record.get(c))
                .map(crate::text::trim_blanks)
                .unwrap_or("")
                .to_owned()
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let name = cell(Some(name_col));
        if name.is_empty() {
            return Err(format!("line {line}: 会議名 (name) is empty"));
        }
        let personal_info = parse_flag(&cell(cols.personal_info)).map_err(|v| {
            format!("line {line}: 個人情報の共有 (personal_info) '{v}' is not ○/×, 有/無 or yes/no")
        })?;
        let parent = cell(cols.parent);
        bodies.push(BodyRecord {
            name,
            organiser: cell(cols.organiser),
            expected_size: cell(cols.expected_size),
            members: split_agencies(&cell(cols.members)),
            topics: cell(cols.topics),
            frequency: cell(cols.frequency),
            personal_info,
            kind: cell(cols.kind),
            parent: (!parent.is_empty()).then_some(parent),
            municipality: cell(cols.municipality),
            note: cell(cols.note),
            ..BodyRecord::default()
        });
    }
    Ok(bodies)
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_owned(),
        _ => e.to_string(),
    }
}

/// ○ (and its look-alikes), 有, あり, yes, true, 1 → shared; blank, ×, 無, なし, no, false, 0 → not.
pub fn parse_flag(text: &str) -> Result<bool, String> {
    match text.trim() {
        "○" | "◯" | "〇" | "●" | "有" | "あり" | "有り" | "yes" | "Yes" | "YES" | "true"
        | "TRUE" | "1" | "y" => Ok(true),
        "" | "×" | "✕" | "-" | "－" | "無" | "なし" | "無し" | "no" | "No" | "NO" | "false"
        | "FALSE" | "0" | "n" => Ok(false),
        other => Err(other.to_owned()),
    }
}

/// Splits a cell of agencies. Lists use 、 or commas; where none appear, ・ separates agencies
/// (but names such as 町会・自治会 stay whole when the list uses 、).
pub fn split_agencies(text: &str) -> Vec<String> {
    let separators: &[char] = if text.contains(['、', ',', '，', '\n', ';', '；']) {
        &['、', ',', '，', '\n', ';', '；']
    } else {
        &['・']
    };
    text.split(separators)
        .map(crate::text::trim_blanks)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_sjis() {
        let text = "会議名,開催頻度\n江東区居住支援協議会,年1回（2月）\n";
        assert_eq!(decode(text.as_bytes(), Encoding::Auto).unwrap(), text);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom, Encoding::Auto).unwrap(), text);
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        assert_eq!(decode(&sjis, Encoding::Auto).unwrap(), text);
        assert_eq!(decode(&sjis, Encoding::Cp932).unwrap(), text);
        let err = decode(&sjis, Encoding::Utf8).unwrap_err();
        assert!(err.starts_with("line 1:"), "{err}");
    }

    #[test]
    fn bad_sjis_names_the_line() {
        let bytes = b"name\nok\n\x82\xff\n";
        assert_eq!(
            decode(bytes, Encoding::Cp932).unwrap_err(),
            "line 3: invalid Shift_JIS"
        );
    }

    #[test]
    fn splits_members() {
        assert_eq!(
            split_agencies("保護第一課、町会・自治会、民生委員"),
            ["保護第一課", "町会・自治会", "民生委員"]
        );
        assert_eq!(
            split_agencies("養育支援課・子ども家庭支援センター・児童館"),
            ["養育支援課", "子ども家庭支援センター", "児童館"]
        );
        assert!(split_agencies("  ").is_empty());
    }

    #[test]
    fn reads_koto_headers() {
        let text = "No.\t会議名\t主催者\t参加者数\t参加者\t主な議題\t開催頻度\t個人情報の共有\n\
                    1\t個別ケース会議\t各保健相談所\tケースにより複数名\t障害者支援課、福祉事務所\t支援方針\t必要時（不定期）\t○\n";
        let bodies = parse_bodies(text, b'\t').unwrap();
        assert_eq!(bodies.len(), 1);
        assert_eq!(bodies[0].name, "個別ケース会議");
        assert_eq!(bodies[0].members, ["障害者支援課", "福祉事務所"]);
        assert!(bodies[0].personal_info);
        assert_eq!(bodies[0].frequency, "必要時（不定期）");
    }

    #[test]
    fn bad_flag_names_line_and_field() {
        let text = "会議名,個人情報の共有\nA,○\nB,たぶん\n";
        let err = parse_bodies(text, b',').unwrap_err();
        assert!(err.starts_with("line 3: 個人情報の共有"), "{err}");
    }

    #[test]
    fn blank_lines_before_a_bad_row_still_name_its_line() {
        let text = "会議名,個人情報の共有\nA,○\n\n\r\n\nB,たぶん\n";
        let err = parse_bodies(text, b',').unwrap_err();
        assert!(err.starts_with("line 6: 個人情報の共有"), "{err}");
        let text = "会議名,主催者\nA,保護課\n\n\n,保護課\n";
        let err = parse_bodies(text, b',').unwrap_err();
        assert!(err.starts_with("line 5: 会議名 (name) is empty"), "{err}");
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        assert_eq!(
            parse_bodies("会議名,主催者\nA,B\n\"閉じていない,福祉課\nC,D\n", b',').unwrap_err(),
            "line 3: a quoted field is never closed (a \" is missing)"
        );
        assert!(check_quotes("a,\"x\ny\",\"he said \"\"hi\"\"\"\n").is_ok());
        assert!(
            check_quotes("a,b\"c\n").is_ok(),
            "a quote inside a field is text"
        );
    }

    #[test]
    fn missing_name_column_is_an_error() {
        let err = parse_bodies("title,frequency\nA,年1回\n", b',').unwrap_err();
        assert!(err.contains("no 会議名"), "{err}");
    }
}
