//! How the screen is cut: title, tab bar and hint bar take a line each; the rest is the
//! table (with its border and header) over the detail pane.

/// `(table height, detail height)` of a body `h` lines tall.
pub fn body_split(h: u16, detail_open: bool) -> (u16, u16) {
    if detail_open {
        return (0, h);
    }
    let table = (h * 11 / 20).max(6).min(h);
    (table, h - table)
}
/// Lines of chrome around the body.
pub const CHROME: u16 = 3;
/// Rows of data the table shows in a terminal `height` lines tall.
pub fn table_rows(height: u16, detail_open: bool) -> u16 {
    let (t, _) = body_split(height.saturating_sub(CHROME), detail_open);
    t.saturating_sub(3)
}
