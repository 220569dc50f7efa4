//! Excel and Word, as a ward office uses them: tables handed out as .xlsx (rust_xlsxwriter),
//! documents handed out as .docx (docx-rs). A ward's own workbooks are read by the importer
//! (`store::workbook`).

pub mod docx;
pub mod xlsx;
