//! Drilling down: `Enter` on a partner lists what passed between the two (its
//! opportunities, or a seller's offers), on an opportunity its offers, on an offer its whole
//! detail (agreement, charges, payouts). `Esc` comes back to the row left, each list as it
//! was.

use super::{App, DetailKey, Effect, Tab};
use crate::market::Counterparty;

/// One level down.
#[derive(Debug, Clone)]
pub struct Drill {
    /// The tab left: its list and cursor are not touched.
    pub from: Tab,
    /// The tab shown, narrowed to what was entered.
    pub to: Tab,
    /// What was entered, for the title.
    pub what: String,
    /// The filter and status of `to` before, put back on the way up.
    filter: String,
    status: Option<super::pager::StatusFilter>,
}

impl App {
    /// `Enter`: one level down, or the whole detail of an offer.
    pub(super) fn drill_down(&mut self) -> Vec<Effect> {
        let (to, filter, what) = match self.selected_key() {
            Some(DetailKey::Partner { account, role }) => {
                let to = if role == Counterparty::Seller { Tab::Offers } else { Tab::Opportunities };
                let name = self.account_name(&account).unwrap_or(account.as_str()).to_owned();
                (to, account.to_string(), name)
            }
            Some(DetailKey::Opportunity(id)) => {
                let name = self.tabs.opportunities.selected().map_or_else(|| id.to_string(), |o| o.name.clone());
                (Tab::Offers, id.to_string(), name)
            }
            Some(DetailKey::Offer(_) | DetailKey::Agreement(_)) => {
                self.pane.open = true;
                self.follow();
                return Vec::new();
            }
            None => return Vec::new(),
        };
        let from = self.tabs.tab;
        let list = self.list_mut(to);
        let (before, status) = (list.filter().to_owned(), list.status());
        list.set_filter(filter);
        list.set_status(None);
        self.tabs.drill.push(Drill { from, to, what, filter: before, status });
        self.tabs.tab = to;
        self.pane.detail = None;
        self.pane.open = false;
        self.reset_tab(to)
    }

    /// `Esc` on a list entered by [`App::drill_down`]: back to the row left.
    pub(super) fn drill_up(&mut self) -> Option<Vec<Effect>> {
        if self.tabs.drill.last()?.to != self.tabs.tab {
            return None;
        }
        let d = self.tabs.drill.pop()?;
        let list = self.list_mut(d.to);
        list.set_filter(d.filter);
        list.set_status(d.status);
        self.tabs.tab = d.from;
        self.pane.detail = None;
        let mut fx = self.reset_tab(d.to);
        fx.extend(self.select_effects());
        Some(fx)
    }

    /// Every level at once, each list's filter and status put back as it was before, the
    /// tab shown kept (the rows are read again by the caller): another account acts.
    pub(super) fn leave_drills(&mut self) {
        while let Some(d) = self.tabs.drill.pop() {
            let list = self.list_mut(d.to);
            list.set_filter(d.filter);
            list.set_status(d.status);
        }
    }

    /// What the current tab was entered from, for its title.
    pub fn drilled_from(&self) -> Option<&Drill> {
        self.tabs.drill.last().filter(|d| d.to == self.tabs.tab)
    }
}
