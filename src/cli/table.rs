//! Aligned plain-text tables for human output, measured in display columns
//! (`unicode-width`): a wide character takes two.

use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table whose columns are dropped when no row has a value in them (a field the acting
/// account may not see disappears instead of showing as blanks).
pub struct Table {
    headers: Vec<(&'static str, Align)>,
    rows: Vec<Vec<Option<String>>>,
}

impl Table {
    pub fn new(headers: &[(&'static str, Align)]) -> Self {
        Self { headers: headers.to_vec(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<Option<String>>) {
        debug_assert_eq!(cells.len(), self.headers.len());
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let shown: Vec<usize> = (0..self.headers.len()).filter(|&c| self.rows.iter().any(|r| r[c].is_some())).collect();
        let shown = if self.rows.is_empty() { (0..self.headers.len()).collect() } else { shown };
        let width = |c: usize| {
            self.rows
                .iter()
                .map(|r| r[c].as_deref().unwrap_or("-").width())
                .chain([self.headers[c].0.width()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = shown.iter().map(|&c| width(c)).collect();
        let mut out = String::new();
        let line = |cells: Vec<&str>, out: &mut String| {
            let mut parts = Vec::with_capacity(cells.len());
            for ((cell, &c), &w) in cells.iter().zip(&shown).zip(&widths) {
                // Padded by display width, so CJK and emoji names keep the columns aligned.
                let pad = " ".repeat(w.saturating_sub(cell.width()));
                parts.push(match self.headers[c].1 {
                    Align::Left => format!("{cell}{pad}"),
                    Align::Right => format!("{pad}{cell}"),
                });
            }
            out.push_str(parts.join("  ").trim_end());
            out.push('\n');
        };
        line(shown.iter().map(|&c| self.headers[c].0).collect(), &mut out);
        for r in &self.rows {
            line(shown.iter().map(|&c| r[c].as_deref().unwrap_or("-")).collect(), &mut out);
        }
        out
    }
}

pub use crate::domain::money::with_currency as money;

/// `Key: value` lines, keys padded to one width.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let w = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    pairs.iter().map(|(k, v)| format!("{:<w$} {v}\n", format!("{k}:"))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_keep_the_columns_aligned() {
        let mut t = Table::new(&[("NAME", Align::Left), ("TOTAL", Align::Right)]);
        t.row(vec![Some("株式会社北斗".into()), Some("1.00 USD".into())]);
        t.row(vec![Some("Acme 🚀".into()), Some("10.00 USD".into())]);
        t.row(vec![Some("Acme".into()), Some("100.00 USD".into())]);
        let out = t.render();
        let ends: Vec<usize> = out.lines().map(UnicodeWidthStr::width).collect();
        assert!(ends.windows(2).all(|w| w[0] == w[1]), "columns drift:\n{out}");
    }

    #[test]
    fn columns_align_and_hidden_ones_disappear() {
        let mut t = Table::new(&[("ID", Align::Left), ("SECRET", Align::Left), ("TOTAL", Align::Right)]);
        t.row(vec![Some("a".into()), None, Some(money("88000.00", "USD"))]);
        t.row(vec![Some("bbbb".into()), None, Some(money("5.00", "USD"))]);
        assert_eq!(t.render(), "ID            TOTAL\na     88,000.00 USD\nbbbb       5.00 USD\n");
    }
}
