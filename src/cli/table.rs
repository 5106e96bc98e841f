//! Aligned plain-text tables for human output.

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
                .map(|r| r[c].as_deref().unwrap_or("-").chars().count())
                .chain([self.headers[c].0.len()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = shown.iter().map(|&c| width(c)).collect();
        let mut out = String::new();
        let line = |cells: Vec<&str>, out: &mut String| {
            let mut parts = Vec::with_capacity(cells.len());
            for ((cell, &c), &w) in cells.iter().zip(&shown).zip(&widths) {
                parts.push(match self.headers[c].1 {
                    Align::Left => format!("{cell:<w$}"),
                    Align::Right => format!("{cell:>w$}"),
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
    fn columns_align_and_hidden_ones_disappear() {
        let mut t = Table::new(&[("ID", Align::Left), ("SECRET", Align::Left), ("TOTAL", Align::Right)]);
        t.row(vec![Some("a".into()), None, Some(money("88000.00", "USD"))]);
        t.row(vec![Some("bbbb".into()), None, Some(money("5.00", "USD"))]);
        assert_eq!(t.render(), "ID            TOTAL\na     88,000.00 USD\nbbbb       5.00 USD\n");
    }
}
