//! Tables for human output, measured in display columns (`unicode-width`: a wide character
//! takes two), and the same tables as CSV for a spreadsheet (`--csv`): one description of
//! the columns, two renderings.

use unicode_width::UnicodeWidthStr;

use crate::domain::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One cell: what people read, and what a spreadsheet gets where that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// An account: its id with its name beside it for people; two columns in CSV (the id,
    /// then the name), so that a sheet can key on the id.
    Party {
        id: String,
        name: Option<String>,
    },
    /// An amount: `88,000.00 USD` for people; `88000.00` and `USD` in two CSV columns, so
    /// that a sheet sums it.
    Money(Money),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<Money> for Cell {
    fn from(m: Money) -> Self {
        Cell::Money(m)
    }
}

impl Cell {
    /// What people read.
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Party { id, name: Some(n) } if n != id => format!("{id} {n}"),
            Cell::Party { id, .. } => id.clone(),
            Cell::Money(m) => m.display(),
        }
    }
}

/// What a column holds, as its cells say: a CSV writes two columns for an account or an
/// amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Party,
    Money,
}

/// A table whose columns are dropped when no row has a value in them (a field the acting
/// account may not see disappears instead of showing as blanks).
pub struct Table {
    headers: Vec<(&'static str, Align)>,
    rows: Vec<Vec<Option<Cell>>>,
}

impl Table {
    pub fn new(headers: &[(&'static str, Align)]) -> Self {
        Self { headers: headers.to_vec(), rows: Vec::new() }
    }

    /// A row of plain text cells.
    pub fn row(&mut self, cells: Vec<Option<String>>) {
        self.cells(cells.into_iter().map(|c| c.map(Cell::Text)).collect());
    }

    /// A row of cells of any kind.
    pub fn cells(&mut self, cells: Vec<Option<Cell>>) {
        debug_assert_eq!(cells.len(), self.headers.len());
        self.rows.push(cells);
    }

    /// The columns shown: those with a value in some row (all of them when there is no row).
    fn shown(&self) -> Vec<usize> {
        if self.rows.is_empty() {
            return (0..self.headers.len()).collect();
        }
        (0..self.headers.len()).filter(|&c| self.rows.iter().any(|r| r[c].is_some())).collect()
    }

    pub fn render(&self) -> String {
        let shown = self.shown();
        let texts: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.as_ref().map_or_else(|| "-".into(), Cell::text)).collect())
            .collect();
        let width = |c: usize| texts.iter().map(|r| r[c].width()).chain([self.headers[c].0.width()]).max().unwrap_or(0);
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
        for r in &texts {
            line(shown.iter().map(|&c| r[c].as_str()).collect(), &mut out);
        }
        out
    }

    /// The table as CSV (RFC 4180, CRLF-free: one `\n` per record): the header in
    /// snake_case, an account as its id and `<column>_name`, an amount as its plain digits
    /// and `<column>_currency`, a missing value empty.
    pub fn csv(&self) -> String {
        let shown = self.shown();
        let kind = |c: usize| {
            let cells = || self.rows.iter().filter_map(|r| r[c].as_ref());
            if cells().any(|x| matches!(x, Cell::Party { .. })) {
                Kind::Party
            } else if cells().any(|x| matches!(x, Cell::Money(_))) {
                Kind::Money
            } else {
                Kind::Text
            }
        };
        let kinds: Vec<Kind> = shown.iter().map(|&c| kind(c)).collect();
        let mut header = Vec::new();
        for (&c, k) in shown.iter().zip(&kinds) {
            let name = snake(self.headers[c].0);
            match k {
                Kind::Text => header.push(name),
                Kind::Party => header.extend([name.clone(), format!("{name}_name")]),
                Kind::Money => header.extend([name.clone(), format!("{name}_currency")]),
            }
        }
        let mut out = record(&header);
        for r in &self.rows {
            let mut fields = Vec::new();
            for (&c, k) in shown.iter().zip(&kinds) {
                let cell = r[c].as_ref();
                let (first, second) = match cell {
                    None => (String::new(), String::new()),
                    Some(Cell::Party { id, name }) => (id.clone(), safe(name.as_deref().unwrap_or_default())),
                    Some(Cell::Money(m)) => (m.to_plain(), m.currency().code().to_owned()),
                    Some(Cell::Text(t)) => (safe(t), String::new()),
                };
                fields.push(first);
                if *k != Kind::Text {
                    fields.push(second);
                }
            }
            out.push_str(&record(&fields));
        }
        out
    }
}

/// `BUYER TOTAL` -> `buyer_total`.
fn snake(header: &str) -> String {
    header.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("_")
}

/// Text a spreadsheet shows as text: one starting like a formula (`=`, `+`, `-`, `@`, a tab
/// or a carriage return) gets a leading `'`, so that a name imported from elsewhere cannot
/// run as one when the file is opened.
fn safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

/// One CSV record: fields quoted when they hold a comma, a quote or a line break.
fn record(fields: &[String]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| if f.contains([',', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.clone() })
        .collect();
    format!("{}\n", quoted.join(","))
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
    use crate::domain::Currency;

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

    #[test]
    fn an_account_reads_id_and_name_and_splits_in_two_csv_columns_as_an_amount_does() {
        let mut t = Table::new(&[("BUYER", Align::Left), ("BUYER TOTAL", Align::Right)]);
        let amount = Money::new(rust_decimal::Decimal::new(8_800_000, 2), Currency::Usd);
        t.cells(vec![
            Some(Cell::Party { id: "333333333333".into(), name: Some("Contoso, \"Retail\"".into()) }),
            Some(amount.into()),
        ]);
        t.cells(vec![Some(Cell::Party { id: "444444444444".into(), name: Some("=cmd()".into()) }), None]);
        assert_eq!(
            t.render(),
            "BUYER                             BUYER TOTAL\n\
             333333333333 Contoso, \"Retail\"  88,000.00 USD\n\
             444444444444 =cmd()                         -\n"
        );
        assert_eq!(
            t.csv(),
            "buyer,buyer_name,buyer_total,buyer_total_currency\n\
             333333333333,\"Contoso, \"\"Retail\"\"\",88000.00,USD\n\
             444444444444,'=cmd(),,\n"
        );
    }
}
