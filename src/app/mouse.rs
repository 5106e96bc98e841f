//! The mouse: the wheel scrolls the table (or the open detail), a click on a tab shows it,
//! a click on a row selects it. Where things are comes from the same layout the drawing
//! uses ([`super::layout`], `App::tab_label`).

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::{App, Effect, Tab};

/// The first table row's line: title, tabs, the table's border and its header above it.
const FIRST_ROW_Y: u16 = 4;

impl App {
    pub(super) fn mouse(&mut self, m: &MouseEvent) -> Vec<Effect> {
        // Over a form, or one on its way, the table under it takes no click.
        let over = self.over.popup.is_some() || self.over.form.is_some() || self.over.form_coming;
        if over || self.over.filter.is_some() || self.too_small() {
            return Vec::new();
        }
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let down = m.kind == MouseEventKind::ScrollDown;
                if self.pane.open {
                    self.scroll_detail(down);
                    return Vec::new();
                }
                self.move_by(if down { 3 } else { -3 })
            }
            MouseEventKind::Down(MouseButton::Left) if m.row == 1 && self.over.review.is_none() => {
                // The tab bar: one space, then each label and a space.
                let mut x = 1;
                for tab in Tab::ALL {
                    let w = self.tab_label(tab).chars().count() as u16;
                    if (x..x + w).contains(&m.column) {
                        return self.switch_tab(tab);
                    }
                    x += w + 1;
                }
                Vec::new()
            }
            MouseEventKind::Down(MouseButton::Left) if !self.pane.open && self.over.review.is_none() => {
                let Some(line) = m.row.checked_sub(FIRST_ROW_Y).filter(|l| *l < self.table_rows()) else {
                    return Vec::new();
                };
                let (cursor, scroll) = match self.tabs.tab {
                    Tab::Partners => {
                        let c = self.tabs.partners.cursor as u64;
                        (c, c.saturating_sub(u64::from(self.table_rows().saturating_sub(1))))
                    }
                    Tab::Opportunities => (self.tabs.opportunities.cursor(), self.tabs.opportunities.scroll()),
                    Tab::Offers => (self.tabs.offers.cursor(), self.tabs.offers.scroll()),
                    Tab::Agreements => (self.tabs.agreements.cursor(), self.tabs.agreements.scroll()),
                };
                let target = scroll + u64::from(line);
                self.move_by(target as i64 - cursor as i64)
            }
            _ => Vec::new(),
        }
    }
}
