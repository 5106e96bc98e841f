//! Reading cppo's screen from a `vt100::Screen`, as `src/ui/` draws it:
//!
//! - row 0 is the title bar, row 1 the tab bar (the active tab is the only text on a
//!   coloured background, `THEME.tab_active`), the last row the hint bar (`Filter: ` while
//!   `/` is typed);
//! - the table is a bordered block from column 0 whose top border carries the title
//!   ` Offers (COUNT) filter: "F" sort: … N/COUNT ` (N the selected row's number); COUNT is
//!   `…` while unknown, a lower bound such as `10,000+…` while counting, else the exact
//!   number; inside the block the first line is the column header and the rest are data
//!   rows, or a single message (`Loading…`, no match...) when there is no row;
//! - the selected row is drawn with `THEME.selected` (reversed video) across its width;
//!   a row not loaded yet shows `…` alone.
//!
//! Shared by `tests/tui/pty.rs` and `benches/pty.rs`.

use cppo::app::text;

/// The text of screen row `y`, one char per column.
pub fn line(screen: &vt100::Screen, y: u16) -> String {
    let (_, cols) = screen.size();
    (0..cols.get())
        .filter_map(|x| screen.cell(y, x))
        .filter(|c| !c.is_wide_continuation())
        .map(|c| if c.has_contents() { c.contents() } else { " " })
        .collect()
}

fn height(screen: &vt100::Screen) -> u16 {
    screen.size().0.get()
}

/// The label of the active tab (e.g. `3 Offers (1,000)`), or "" before the tab bar shows.
pub fn active_tab(screen: &vt100::Screen) -> String {
    let (_, cols) = screen.size();
    let label: String = (0..cols.get())
        .filter_map(|x| screen.cell(1, x))
        .filter(|c| c.bgcolor() != vt100::Color::Default)
        .map(|c| if c.has_contents() { c.contents() } else { " " })
        .collect();
    label.trim().to_owned()
}

/// Whether tab `label` (e.g. `2 Opportunities`) is the active one.
pub fn tab_is(screen: &vt100::Screen, label: &str) -> bool {
    active_tab(screen).starts_with(&format!("{label} ("))
}

/// The hint bar (the last row).
pub fn hint_bar(screen: &vt100::Screen) -> String {
    line(screen, height(screen) - 1)
}

/// Whether the hint bar is the filter field holding exactly `value`.
pub fn filter_field_is(screen: &vt100::Screen, value: &str) -> bool {
    hint_bar(screen).starts_with(&format!("{}{value}   ", text::FILTER_PROMPT))
}

/// Whether the help popup is drawn, from its titled top border to its bottom border.
pub fn help_open(screen: &vt100::Screen) -> bool {
    (0..height(screen)).any(|y| {
        let chars: Vec<char> = line(screen, y).chars().collect();
        let text: String = chars.iter().collect();
        let Some(at) = text.find(text::HELP_TITLE) else { return false };
        let title_col = text[..at].chars().count();
        let Some(x) = chars[..title_col].iter().rposition(|c| *c == '┌') else { return false };
        (y + 1..height(screen)).any(|y2| line(screen, y2).chars().nth(x) == Some('└'))
    })
}

/// The table of the current tab, as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// `Partners`, `Opportunities` or `Offers`.
    pub name: String,
    /// As shown between the parentheses (and after the position's `/`): `…` before the
    /// count, a lower bound like `1,200+…` while it goes on, then the number.
    pub count: String,
    pub filter: Option<String>,
    /// The sort the title names, with its arrow: `created ↓`, `buyer total ↑`.
    pub sort: Option<String>,
    /// The selected row's number (cursor + 1) from the title's `N/COUNT`; absent when the
    /// table is empty.
    pub position: Option<u64>,
    /// The data rows inside the borders (blank ones included), right-trimmed.
    pub rows: Vec<String>,
    /// Indexes in `rows` of the rows drawn reversed.
    pub highlighted: Vec<usize>,
    /// The message of a table with no row (`Loading…`, no match...).
    pub message: Option<String>,
}

const NAMES: [&str; 3] = ["Partners", "Opportunities", "Offers"];

/// Reads the table block of the current tab, if the screen shows one.
pub fn table(screen: &vt100::Screen) -> Option<Table> {
    let h = height(screen);
    let (top, title) = (0..h).find_map(|y| {
        let l = line(screen, y);
        let title = l.strip_prefix('┌')?.trim_end_matches(['┐', '─']).to_owned();
        NAMES.iter().any(|n| title.starts_with(&format!(" {n} ("))).then_some((y, title))
    })?;
    let bottom = (top + 1..h).find(|&y| line(screen, y).starts_with('└'))?;
    let inner = |y: u16| -> String {
        let l: String = line(screen, y).chars().skip(1).collect();
        l.trim_end().trim_end_matches('│').trim_end().to_owned()
    };
    let first = inner(top + 1);
    let is_message = [text::LOADING, text::NOTHING_HERE, text::NO_MATCH].contains(&first.trim());
    let (rows, highlighted) = if is_message || bottom < top + 2 {
        (Vec::new(), Vec::new())
    } else {
        let ys: Vec<u16> = (top + 2..bottom).collect();
        // The selected row is marked `▶ ` (and drawn reversed where colours work); the
        // others start with two spaces. The rows are read without that gutter.
        let marked = |y: u16| inner(y).starts_with('▶');
        let rows = ys.iter().map(|&y| inner(y).chars().skip(2).collect::<String>()).collect();
        let highlighted =
            ys.iter().enumerate().filter(|(_, y)| marked(**y) || reversed(screen, **y)).map(|(i, _)| i).collect();
        (rows, highlighted)
    };
    let (name, rest) = title.trim_start().split_once(" (")?;
    let (count, rest) = rest.split_once(')')?;
    let position = rest
        .split_whitespace()
        .last()
        .and_then(|t| t.strip_suffix(&format!("/{count}")))
        .and_then(|n| n.replace(',', "").parse().ok());
    Some(Table {
        name: name.to_owned(),
        count: count.to_owned(),
        filter: rest.split_once("filter: \"").and_then(|(_, f)| f.split_once("\" ")).map(|(f, _)| f.to_owned()),
        sort: rest
            .split_once("sort: ")
            .and_then(|(_, r)| r.find(['↑', '↓']).map(|at| r[..at + '↑'.len_utf8()].to_owned())),
        position,
        rows,
        highlighted,
        message: is_message.then(|| first.trim().to_owned()),
    })
}

/// Whether most of row `y` (inside the borders) is drawn reversed.
fn reversed(screen: &vt100::Screen, y: u16) -> bool {
    let (_, cols) = screen.size();
    let inside = cols.get().saturating_sub(2);
    let n = (1..=inside).filter(|&x| screen.cell(y, x).is_some_and(|c| c.inverse())).count();
    n > usize::from(inside) / 2
}

fn number(s: &str) -> Option<u64> {
    s.replace(',', "").parse().ok()
}

impl Table {
    /// The one selected row's index in `rows`.
    pub fn selected(&self) -> Option<usize> {
        match self.highlighted[..] {
            [i] => Some(i),
            _ => None,
        }
    }

    /// Whether the count shows a number (a lower bound or exact).
    pub fn count_known(&self) -> bool {
        self.count.chars().any(|c| c.is_ascii_digit())
    }

    /// The exact count, when shown.
    pub fn exact_count(&self) -> Option<u64> {
        number(&self.count)
    }

    /// The least the count can be: exact, or the bound shown while counting.
    fn at_least(&self) -> u64 {
        number(self.count.split('+').next().unwrap_or_default()).unwrap_or(0)
    }

    /// The data rows drawn (the table fills from the top).
    fn filled(&self) -> usize {
        self.rows.iter().take_while(|r| !r.trim().is_empty()).count()
    }

    /// The table is drawn with loaded rows: filled from the top, blank below, none a `…`
    /// placeholder, exactly one selected; and as many rows as the count says are below the
    /// first one shown (all of them when exact, at least as many as the bound otherwise).
    pub fn shows_rows(&self) -> bool {
        let (Some(pos), Some(sel)) = (self.position, self.selected()) else { return false };
        let filled = self.filled();
        let Some(scroll) = pos.checked_sub(1 + sel as u64) else { return false };
        let expected = |n: u64| usize::try_from(n.saturating_sub(scroll)).unwrap_or(usize::MAX).min(self.rows.len());
        let enough = match self.exact_count() {
            Some(n) => filled == expected(n),
            None => filled >= expected(self.at_least()).max(1),
        };
        enough
            && sel < filled
            && self.rows[filled..].iter().all(|r| r.trim().is_empty())
            && self.rows[..filled].iter().all(|r| r.trim() != "…")
    }

    /// After one `j` from `before`: the position is one further and either the highlight
    /// moved down one row over the same rows, or (on the last row) the rows scrolled up by
    /// one under a highlight that stayed, with a new row at the bottom.
    pub fn moved_down_from(&self, before: &Table) -> bool {
        self.moved_from(before, 1)
    }

    /// After one `k` from `before`: the mirror of [`Table::moved_down_from`].
    pub fn moved_up_from(&self, before: &Table) -> bool {
        self.moved_from(before, -1)
    }

    fn moved_from(&self, before: &Table, step: i64) -> bool {
        let (Some(p0), Some(p1)) = (before.position, self.position) else { return false };
        let (Some(b), Some(a)) = (before.selected(), self.selected()) else { return false };
        if p1 as i64 != p0 as i64 + step || !self.shows_rows() || self.rows.len() != before.rows.len() {
            return false;
        }
        if a as i64 == b as i64 + step {
            return self.rows == before.rows;
        }
        let last = self.rows.len() - 1;
        match step {
            1 => a == b && a == last && self.rows[..last] == before.rows[1..] && self.rows[last] != before.rows[last],
            _ => a == b && a == 0 && self.rows[1..] == before.rows[..last] && self.rows[0] != before.rows[0],
        }
    }

    /// On the first row, at the top.
    pub fn at_top(&self) -> bool {
        self.shows_rows() && self.position == Some(1) && self.selected() == Some(0)
    }

    /// On the last row: the position is the exact count and the highlight is on the last
    /// data row drawn.
    pub fn at_bottom(&self) -> bool {
        self.shows_rows()
            && self.exact_count().is_some_and(|n| self.position == Some(n))
            && self.selected() == Some(self.filled().saturating_sub(1))
    }
}

/// The current tab's table is `name`, fully drawn with loaded rows.
pub fn shows_table(screen: &vt100::Screen, name: &str) -> bool {
    table(screen).is_some_and(|t| t.name == name && t.shows_rows())
}
