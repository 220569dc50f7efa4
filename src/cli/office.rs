//! What the commands share for Excel and Word files: where the bytes go.

use anyhow::Result;
use std::io::{IsTerminal, Write};
use std::path::Path;

use super::write_private_file;

/// Writes an .xlsx made as it is written (`write`) to FILE (atomically, owner-only), or to
/// standard output when that is a pipe or a file, as [`write_binary`] does.
pub(super) fn write_binary_with(
    output: Option<&Path>,
    out: &mut dyn Write,
    format: &str,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    // inert: nothing is printed here, only asked whether standard output is a terminal
    if output.is_none() && std::io::stdout().is_terminal() {
        return Err(crate::i18n::Msg::new("binary_not_for_terminal")
            .with("format", format)
            .into());
    }
    match output {
        // A system error inside the workbook's writer said of the file, as every output's.
        Some(path) => crate::store::write_private_as(path, |w| {
            write(w).map_err(|e| match e.chain().find_map(super::io_kind) {
                Some(_) => super::errors::as_store_error(path, &e).into(),
                None => e,
            })
        }),
        None => {
            let mut buffered = std::io::BufWriter::new(out);
            write(&mut buffered)?;
            Ok(buffered.flush()?)
        }
    }
}

/// Writes an .xlsx or .docx to FILE (atomically, owner-only), or to standard output when that
/// is a pipe or a file: a terminal would show it as garbage, so it is refused there.
pub(super) fn write_binary(
    output: Option<&Path>,
    bytes: &[u8],
    out: &mut dyn Write,
    format: &str,
) -> Result<()> {
    match output {
        Some(path) => write_private_file(path, bytes),
        // inert: nothing is printed here, only asked whether standard output is a terminal
        None if std::io::stdout().is_terminal() => {
            Err(crate::i18n::Msg::new("binary_not_for_terminal")
                .with("format", format)
                .into())
        }
        // inert: a file's bytes, into a pipe or a file (a terminal is refused above)
        None => Ok(out.write_all(bytes)?),
    }
}
