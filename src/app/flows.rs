//! Forms as the app drives them: what their keys lead to, and the live price of the offer
//! being typed.

use super::form::{FormEvent, FormKind};
use super::{App, Effect};
use crate::domain::Offer;

impl App {
    pub(super) fn form_event(&mut self, ev: FormEvent) -> Vec<Effect> {
        match ev {
            FormEvent::Nothing => Vec::new(),
            FormEvent::Cancel => {
                self.over.form = None;
                Vec::new()
            }
            FormEvent::Quit => {
                self.quit = true;
                Vec::new()
            }
            // A new date is asked about first, as `r` and `x` ask: it moves only later, so
            // a typo is undone only by cancelling. The form stays under the question.
            FormEvent::Submit(c)
                if matches!(self.over.form.as_ref().map(|f| &f.kind), Some(FormKind::Extend { .. })) =>
            {
                let kind = self.over.form.as_ref().map(|f| f.kind.clone());
                if let Some(confirm) = kind.and_then(|k| super::confirm::extension(&k, *c)) {
                    self.over.popup = Some(super::Popup::Confirm(Box::new(confirm)));
                }
                Vec::new()
            }
            FormEvent::Submit(c) => {
                self.busy = Some(super::text::notices::SAVING.into());
                vec![Effect::Run(*c)]
            }
            FormEvent::Edited => self.preview_effects(),
        }
    }

    /// Prices the offer being typed, here: the domain judges the terms and prices them from
    /// the opportunity the form holds (no store round trip per key).
    pub(super) fn preview_effects(&mut self) -> Vec<Effect> {
        let (me, today) = (self.me(), self.today());
        let Some(form) = &mut self.over.form else { return Vec::new() };
        let FormKind::Offer { edit, .. } = &form.kind else { return Vec::new() };
        let new = edit.is_none();
        let opportunity = form.chosen_opportunity().map(|o| o.terms.clone());
        form.preview = match (me, opportunity, form.offer_terms()) {
            (Some(me), Some(opp), Some((_, terms))) => Some(
                Offer::preview(&me, &opp, terms, today, new)
                    .map_err(|e| e.message.replace(me.as_str(), super::text::notices::YOU)),
            ),
            _ => None,
        };
        Vec::new()
    }
}
