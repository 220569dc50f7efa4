//! Excel and Word, as a ward office uses them: its workbooks read as tables (calamine), tables
//! handed out as .xlsx (rust_xlsxwriter), documents handed out as .docx (docx-rs).

pub mod docx;
mod workbook;
pub mod xlsx;

pub use workbook::read_workbook;

/// The extensions read as workbooks.
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Whether a file is read as a workbook (by its extension, as the importer reads it).
pub fn is_workbook(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}
