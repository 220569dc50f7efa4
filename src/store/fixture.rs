//! TOML fixtures (see fixtures/README.md): the readable form of a ward's registry.

use serde::Deserialize;

use super::interchange::{
    AgencyRecord, BodyRecord, Document, FORMAT, HistoryRecord, TemplateRecord,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FixtureFile {
    source: String,
    municipality: String,
    agencies: Vec<AgencyRecord>,
    bodies: Vec<BodyRecord>,
    history: Vec<HistoryRecord>,
    templates: Vec<TemplateRecord>,
}

/// Reads a fixture; errors (syntax, wrong types, unknown keys) name the line.
pub fn parse_toml(text: &str) -> Result<Document, String> {
    let mut unknown = Vec::new();
    let de = toml::Deserializer::parse(text).map_err(|e| toml_message(text, &e))?;
    let file: FixtureFile = serde_ignored::deserialize(de, |path| unknown.push(path.to_string()))
        .map_err(|e| toml_message(text, &e))?;
    if let Some(path) = unknown.first() {
        let key = path.rsplit('.').next().unwrap_or(path);
        let line = line_of_key(text, key)
            .map(|l| format!("line {l}: "))
            .unwrap_or_default();
        return Err(format!(
            "{line}unknown key '{path}' (see fixtures/README.md for the format)"
        ));
    }
    let _ = file.source;
    let bodies = file
        .bodies
        .into_iter()
        .map(|mut b| {
            if b.municipality.is_empty() {
                b.municipality.clone_from(&file.municipality);
            }
            b
        })
        .collect();
    let agencies = file
        .agencies
        .into_iter()
        .map(|mut a| {
            if a.municipality.is_empty() {
                a.municipality.clone_from(&file.municipality);
            }
            a
        })
        .collect();
    Ok(Document {
        format: FORMAT.to_owned(),
        agencies,
        bodies,
        history: file.history,
        meetings: Vec::new(),
        templates: file.templates,
    })
}

fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let before = &text.as_bytes()[..span.start.min(text.len())];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

/// The first line that sets `key`, for errors that serde reports without a position.
pub(crate) fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bodies_with_file_municipality() {
        let doc = parse_toml(
            "municipality = \"江東区\"\n[[bodies]]\nname = \"A\"\nfrequency = \"年1回\"\nmembers = [\"x\", \"y\"]\n",
        )
        .unwrap();
        assert_eq!(doc.bodies[0].municipality, "江東区");
        assert_eq!(doc.bodies[0].members, ["x", "y"]);
    }

    #[test]
    fn syntax_error_names_line() {
        let err = parse_toml("[[bodies]]\nname = \"A\"\nfrequency = 年1回\n").unwrap_err();
        assert!(err.starts_with("line 3"), "{err}");
    }

    #[test]
    fn wrong_type_names_line() {
        let err = parse_toml("[[bodies]]\nname = \"A\"\npersonal_info = \"maybe\"\n").unwrap_err();
        assert!(err.starts_with("line 3"), "{err}");
    }

    #[test]
    fn unknown_key_is_refused() {
        let err = parse_toml("[[bodies]]\nname = \"A\"\nfrequncy = \"年1回\"\n").unwrap_err();
        assert!(
            err.contains("line 3: unknown key 'bodies.0.frequncy'"),
            "{err}"
        );
    }
}
