//! Spreadsheet exports (CSV) that open correctly in Excel and cannot attack the person opening
//! them.
//!
//! - UTF-8 with a byte-order mark: without it, Excel on Chinese Windows reads UTF-8 as GBK and
//!   every name turns to mojibake.
//! - RFC 4180 quoting (the `csv` crate's writer): commas, quotes and line breaks inside a cell
//!   stay inside it.
//! - Formula injection neutralised (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`,
//!   `@`, a tab or a carriage return is prefixed with `'`, so a sign-up named `=HYPERLINK(…)`
//!   is shown as text, never evaluated.

/// The UTF-8 byte-order mark Excel needs to recognise UTF-8.
pub const BOM: &str = "\u{feff}";

/// `cell` made safe to open in a spreadsheet.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A CSV document: BOM, `header`, then `rows`, every cell neutralised, CRLF line ends.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> Result<String, String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer
        .write_record(header.iter().map(|cell| neutralise(cell)))
        .map_err(|error| error.to_string())?;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| neutralise(cell)))
            .map_err(|error| error.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|error| error.to_string())?;
    let text = String::from_utf8(bytes).map_err(|error| error.to_string())?;
    Ok(format!("{BOM}{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_open_in_excel_as_text() {
        let rows = vec![
            vec!["王芳".to_string(), "=HYPERLINK(\"http://x\")".to_string()],
            vec!["Li, \"Na\"".to_string(), "+86 138".to_string()],
            vec!["-1".to_string(), "@SUM(A1)".to_string()],
            vec!["\tTab".to_string(), "line\nbreak".to_string()],
        ];
        let text = csv(&["姓名", "备注"], &rows).unwrap();
        let bytes = text.as_bytes();
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 BOM first");
        let body = &text[BOM.len()..];
        assert_eq!(
            body,
            "姓名,备注\r\n\
             王芳,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n\
             \"Li, \"\"Na\"\"\",'+86 138\r\n\
             '-1,'@SUM(A1)\r\n\
             '\tTab,\"line\nbreak\"\r\n"
        );
    }

    #[test]
    fn ordinary_cells_are_untouched() {
        for cell in ["王芳", "13800138000", "a=b", "2026-11-30", ""] {
            assert_eq!(neutralise(cell), cell);
        }
    }
}
