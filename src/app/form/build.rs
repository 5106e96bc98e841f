//! The forms of cppo: what each one asks, in which order, prefilled for an edit.

use chrono::NaiveDate;
use tui_input::Input;

use super::{Carry, Extending, Field, FieldKey, FieldKind, Form, FormKind};
use crate::app::text::{self, forms as t};
use crate::domain::clock::DateRange;
use crate::domain::money::{unit_price_display, unit_price_text};
use crate::domain::{AccountId, AgreementId, Currency, FinancingStatus, OpportunityId, OpportunityKind, PricingModel};
use crate::domain::{offer, opportunity};
use crate::market::ReplacementTargets;
use crate::market::views::{AccountView, AgreementView, OfferView, OpportunityView, ProductView};

/// Account ids as a form field holds them: comma-separated.
fn joined(ids: &[AccountId]) -> String {
    ids.iter().map(AccountId::as_str).collect::<Vec<_>>().join(", ")
}

fn dims_of(o: &OpportunityView) -> Vec<(String, String)> {
    o.prices
        .iter()
        .filter(|p| p.pricing == PricingModel::Contract)
        .map(|p| (p.dimension.clone(), p.dimension.clone()))
        .collect()
}

impl Form {
    /// A new offer from one of `opportunities` (the first is chosen). Fields in this order:
    /// Name, Buyer account, Markup %, Expires on, one quantity per dimension, Description.
    pub fn new_offer(opportunities: Vec<OpportunityView>, today: NaiveDate) -> Self {
        let options: Vec<(String, String)> = opportunities.iter().map(|o| (o.id.to_string(), o.name.clone())).collect();
        let mut fields = Vec::new();
        if options.len() > 1 {
            fields.push(Field::choice(FieldKey::Opportunity, t::OPPORTUNITY, options, 0));
        }
        fields.extend([
            Field::text(FieldKey::Name, t::NAME, "", t::name_hint(offer::NAME_MAX)),
            Field::text(FieldKey::Buyer, t::BUYER_ACCOUNT, "", t::BUYER_HINT),
            Field::text(FieldKey::Markup, t::MARKUP, "", t::MARKUP_HINT),
            Field::text(FieldKey::Expires, t::EXPIRES_ON, "", t::EXPIRES_HINT),
            Field::text(FieldKey::Description, t::DESCRIPTION, "", t::OFFER_DESCRIPTION_HINT),
        ]);
        let title = match opportunities.as_slice() {
            [only] => t::new_offer_from(&only.name),
            _ => t::NEW_OFFER.into(),
        };
        let mut form = Self::new(FormKind::Offer { opportunities, edit: None, replaces: None }, title, fields, today);
        form.sync_opportunity(&[]);
        form
    }

    /// A replacement offer for the partner's ACTIVE agreement, from one of the authorizations
    /// that may make it (the first is chosen): the offer form with the agreement's buyer fixed
    /// and locked, and the new agreement's end date after the expiry.
    pub fn replacement_offer(targets: ReplacementTargets, today: NaiveDate) -> Self {
        let ReplacementTargets { agreement, buyer, ends_on, opportunities } = targets;
        let mut form = Self::new_offer(opportunities, today);
        form.title = t::replace_agreement(agreement.as_str());
        if let FormKind::Offer { replaces, .. } = &mut form.kind {
            *replaces = Some(agreement);
        }
        if let Some(at) = form.fields.iter().position(|f| f.key == FieldKey::Expires) {
            let hint = t::agreement_ends_hint(ends_on);
            form.fields.insert(at + 1, Field::text(FieldKey::AgreementEnds, t::AGREEMENT_ENDS, "", hint));
        }
        form.set(FieldKey::Buyer, buyer.as_str());
        form.sync_opportunity(&[]);
        form.focus = form.fields.iter().position(|x| !x.locked).unwrap_or(0);
        form
    }

    /// The partner's draft, to edit.
    pub fn edit_offer(offer: &OfferView, opportunity: OpportunityView, today: NaiveDate) -> Self {
        let quantities: Vec<(String, u64)> = offer.lines.iter().map(|l| (l.dimension.clone(), l.quantity)).collect();
        let fields = vec![
            Field::text(FieldKey::Name, t::NAME, offer.name.clone(), t::name_hint(offer::NAME_MAX)),
            Field::text(
                FieldKey::Buyer,
                t::BUYER_ACCOUNT,
                offer.buyer_account_id.as_ref().map(ToString::to_string).unwrap_or_default(),
                t::BUYER_HINT,
            ),
            Field::text(
                FieldKey::Markup,
                t::MARKUP,
                offer.markup_pct.map(|m| m.to_string()).unwrap_or_default(),
                t::MARKUP_HINT,
            ),
            Field::text(
                FieldKey::Expires,
                t::EXPIRES_ON,
                offer.expires_on.map(|d| d.to_string()).unwrap_or_default(),
                t::DATE_HINT,
            ),
            Field::text(
                FieldKey::Description,
                t::DESCRIPTION,
                offer.description.clone().unwrap_or_default(),
                t::OFFER_DESCRIPTION_HINT,
            ),
        ];
        let mut form = Self::new(
            FormKind::Offer {
                opportunities: vec![opportunity],
                edit: Some((offer.id.clone(), offer.version)),
                replaces: offer.replaces.clone(),
            },
            t::edit_draft(offer.id.as_str()),
            fields,
            today,
        );
        // A replacement offer's buyer stays the agreement's; its new agreement's end may move.
        if offer.replaces.is_some() {
            let at = form.fields.iter().position(|f| f.key == FieldKey::Expires).map_or(0, |i| i + 1);
            let ends = offer.agreement_ends_on.map(|d| d.to_string()).unwrap_or_default();
            form.fields
                .insert(at, Field::text(FieldKey::AgreementEnds, t::AGREEMENT_ENDS, ends, t::AGREEMENT_ENDS_EDIT_HINT));
        }
        form.sync_opportunity(&quantities);
        form.set(FieldKey::Duration, &offer.duration);
        form
    }

    /// Rebuilds the quantity fields for the chosen opportunity, and locks the buyer of a
    /// one-time one.
    pub(super) fn sync_opportunity(&mut self, quantities: &[(String, u64)]) {
        let Some(o) = self.chosen_opportunity().cloned() else { return };
        let keep: Vec<(String, String)> = self
            .fields
            .iter()
            .filter_map(|f| match &f.key {
                FieldKey::Quantity(k) => Some((k.clone(), f.value())),
                _ => None,
            })
            .collect();
        self.fields.retain(|f| !matches!(f.key, FieldKey::Quantity(_)));
        let at = self.fields.iter().position(|f| f.key == FieldKey::Description).unwrap_or(self.fields.len());
        let new: Vec<Field> = dims_of(&o)
            .into_iter()
            .map(|(d, _)| {
                let v = quantities
                    .iter()
                    .find(|(k, _)| *k == d)
                    .map(|(_, q)| q.to_string())
                    .or_else(|| keep.iter().find(|(k, _)| *k == d).map(|(_, v)| v.clone()))
                    .unwrap_or_default();
                Field::text(FieldKey::Quantity(d.clone()), t::quantity(&d), v, String::new())
            })
            .collect();
        self.fields.splice(at..at, new);
        self.sync_duration(&o);
        self.sync_quantity_hints();
        let replacing = matches!(self.kind, FormKind::Offer { replaces: Some(_), .. });
        if let Some(b) = self.fields.iter_mut().find(|f| f.key == FieldKey::Buyer) {
            let one_time = o.kind == OpportunityKind::OneTime;
            if replacing {
                // The agreement's buyer, whatever the authorization chosen (AWS fixes it).
                b.hint = t::REPLACED_BUYER_HINT.into();
                b.locked = true;
                self.validate();
                return;
            }
            if one_time {
                let buyer = o.buyer_account_ids.first().map(ToString::to_string).unwrap_or_default();
                b.kind = FieldKind::Text(Input::new(buyer));
                b.hint = t::ONE_TIME_BUYER_HINT.into();
            } else if !o.buyer_account_ids.is_empty() {
                b.hint = t::one_of_buyers(&joined(&o.buyer_account_ids));
            } else {
                b.hint = t::BUYER_HINT.into();
            }
            b.locked = one_time;
        }
        self.validate();
    }

    /// A Duration choice before the quantities when `o` offers several durations (the one
    /// chosen before kept when it offers it too, else its first); none otherwise.
    fn sync_duration(&mut self, o: &OpportunityView) {
        let kept = self.fields.iter().find(|f| f.key == FieldKey::Duration).map(Field::value);
        self.fields.retain(|f| f.key != FieldKey::Duration);
        if o.terms.rate_cards.is_empty() {
            return;
        }
        let options: Vec<(String, String)> =
            o.terms.durations().iter().map(|d| (d.to_string(), format!("{} ({d})", d.words()))).collect();
        let selected = kept.and_then(|k| options.iter().position(|(v, _)| *v == k)).unwrap_or(0);
        let at = self
            .fields
            .iter()
            .position(|f| matches!(f.key, FieldKey::Quantity(_) | FieldKey::Description))
            .unwrap_or(self.fields.len());
        self.fields.insert(at, Field::choice(FieldKey::Duration, t::DURATION, options, selected));
    }

    /// Each quantity's hint: its wholesale unit price for the duration chosen.
    pub(super) fn sync_quantity_hints(&mut self) {
        let Some(o) = self.chosen_opportunity() else { return };
        let chosen = self.fields.iter().find(|f| f.key == FieldKey::Duration).map(Field::value);
        let priced = chosen
            .and_then(|d| crate::domain::input::duration(&d).ok())
            .and_then(|d| o.terms.for_duration(d).ok())
            .unwrap_or_else(|| (*o.terms).clone());
        for f in &mut self.fields {
            if let FieldKey::Quantity(d) = &f.key {
                f.hint = priced
                    .prices
                    .iter()
                    .find(|p| p.dimension == *d)
                    .map(|p| t::wholesale_hint(&unit_price_display(p.wholesale_price, priced.currency)))
                    .unwrap_or_default();
            }
        }
    }

    /// The opportunity the offer is made from.
    pub fn chosen_opportunity(&self) -> Option<&OpportunityView> {
        let FormKind::Offer { opportunities, .. } = &self.kind else { return None };
        let chosen = self.fields.iter().find(|f| f.key == FieldKey::Opportunity).map(Field::value);
        match chosen {
            Some(id) => opportunities.iter().find(|o| o.id.as_str() == id),
            None => opportunities.first(),
        }
    }

    /// Grant an opportunity (ISV): pickers for partner and product; discount or prices.
    pub fn new_opportunity(
        me: &AccountId,
        accounts: &[AccountView],
        products: &[ProductView],
        today: NaiveDate,
    ) -> Self {
        let partners: Vec<AccountView> = accounts.iter().filter(|a| a.roles.partner && a.id != *me).cloned().collect();
        let mine: Vec<ProductView> = products.iter().filter(|p| p.isv_account_id == *me).cloned().collect();
        Self::opportunity_form(partners, mine, None, today)
    }

    /// The ISV grants its partner a one-time renewal authorization for `agreement` (of its
    /// product, ending): prefilled with the partner, the product, one-time, the buyer (when
    /// the ISV may see it), renewal on, and the old agreement's end as the authorization's.
    pub fn renewal_opportunity(
        me: &AccountId,
        accounts: &[AccountView],
        products: &[ProductView],
        agreement: &AgreementView,
        today: NaiveDate,
    ) -> Self {
        let mut f = Self::new_opportunity(me, accounts, products, today);
        f.title = t::renew_agreement(agreement.id.as_str());
        f.set(FieldKey::Partner, agreement.partner_account_id.as_str());
        f.set(FieldKey::Product, agreement.product_id.as_str());
        f.set(FieldKey::Name, &t::renewal_name(agreement.id.as_str()));
        f.set(FieldKey::Kind, OpportunityKind::OneTime.as_str());
        f.set(FieldKey::EndsOn, &agreement.ends_on.to_string());
        // A recurring deal's buyer is the partner's to tell: the view shows the partner then.
        if agreement.buyer_account_id != agreement.partner_account_id {
            f.set(FieldKey::Buyers, agreement.buyer_account_id.as_str());
        } else if let Some(b) = f.fields.iter_mut().find(|x| x.key == FieldKey::Buyers) {
            b.hint = t::RENEWAL_BUYER_HINT.into();
        }
        f.set(FieldKey::Renewal, "yes");
        f.set(FieldKey::Description, &t::renewal_description(agreement.id.as_str()));
        f.validate();
        // The wholesale terms are the ISV's to set: the first field left to fill.
        f.focus = f.fields.iter().position(|x| x.key == FieldKey::Discount).unwrap_or(0);
        f
    }

    /// The ISV's draft, to edit.
    pub fn edit_opportunity(
        o: &OpportunityView,
        accounts: &[AccountView],
        products: &[ProductView],
        today: NaiveDate,
    ) -> Self {
        let partners: Vec<AccountView> =
            accounts.iter().filter(|a| a.roles.partner && a.id != o.isv_account_id).cloned().collect();
        let mine: Vec<ProductView> = products.iter().filter(|p| p.id == o.product_id).cloned().collect();
        let carry = Carry {
            installments: o.installments.iter().map(|i| (i.due_on, i.amount.amount())).collect(),
            net_payment_days: o.net_payment_days,
            eula_url: o.eula_url.clone(),
        };
        let mut f = Self::opportunity_form(partners, mine, Some((o.id.clone(), o.version, carry)), today);
        f.title = t::edit_draft(o.id.as_str());
        f.set(FieldKey::Partner, o.partner_account_id.as_str());
        f.set(FieldKey::Name, &o.name);
        f.set(FieldKey::Kind, o.kind.as_str());
        f.set(FieldKey::Currency, o.currency.code());
        f.set(FieldKey::Discount, &o.discount_pct.map(|d| d.to_string()).unwrap_or_default());
        for p in &o.prices {
            // A granted dimension's price is the plan's (0): nothing to type.
            let typed = o.discount_pct.is_none() && p.granted_units.is_none();
            let price = if typed { unit_price_text(p.wholesale_price, o.currency) } else { String::new() };
            f.set(FieldKey::Price(p.dimension.clone()), &price);
        }
        f.set(FieldKey::EndsOn, &o.ends_on.map(|d| d.to_string()).unwrap_or_default());
        f.set(FieldKey::Buyers, &joined(&o.buyer_account_ids));
        if let Some(r) = f.fields.iter_mut().find(|x| x.key == FieldKey::Renewal) {
            r.kind = FieldKind::Toggle(o.renewal);
        }
        if !o.installments.is_empty() {
            // Next to the plan the form keeps: the units it grants (the CLI's --grant).
            let at = f.fields.iter().position(|x| x.key == FieldKey::Description).unwrap_or(f.fields.len());
            let grants: Vec<String> =
                o.prices.iter().filter_map(|p| Some(format!("{}={}", p.dimension, p.granted_units?))).collect();
            f.fields.insert(at, Field::text(FieldKey::Grants, t::GRANTS, grants.join(", "), t::GRANTS_HINT));
        }
        f.set(FieldKey::Description, &o.description);
        f.touched = false;
        f.validate();
        f
    }

    pub(super) fn opportunity_form(
        partners: Vec<AccountView>,
        products: Vec<ProductView>,
        edit: Option<(OpportunityId, i64, Carry)>,
        today: NaiveDate,
    ) -> Self {
        let partner_opts = partners.iter().map(|a| (a.id.to_string(), a.name.clone())).collect();
        let product_opts = products.iter().map(|p| (p.id.to_string(), p.name.clone())).collect();
        let fields = vec![
            Field::choice(FieldKey::Partner, t::PARTNER, partner_opts, 0),
            Field::choice(FieldKey::Product, t::PRODUCT, product_opts, 0),
            Field::text(FieldKey::Name, t::NAME, "", t::name_hint(opportunity::NAME_MAX)),
            Field::choice(
                FieldKey::Kind,
                t::KIND,
                [OpportunityKind::Recurring, OpportunityKind::OneTime]
                    .iter()
                    .map(|k| (k.as_str().into(), k.label().into()))
                    .collect(),
                0,
            ),
            Field::choice(
                FieldKey::Currency,
                t::CURRENCY,
                Currency::ALL.iter().map(|c| (c.code().into(), c.code().into())).collect(),
                0,
            ),
            Field::text(FieldKey::Discount, t::DISCOUNT, "", t::DISCOUNT_HINT),
            Field::text(FieldKey::EndsOn, t::ENDS_ON, "", t::ENDS_ON_HINT),
            Field::text(FieldKey::Buyers, t::BUYERS, "", t::BUYERS_HINT),
            Field::toggle(FieldKey::Renewal, t::RENEWAL, false, t::RENEWAL_HINT),
            Field::text(FieldKey::Description, t::DESCRIPTION, "", t::OPPORTUNITY_DESCRIPTION_HINT),
        ];
        let mut f =
            Self::new(FormKind::Opportunity { partners, products, edit }, t::GRANT_OPPORTUNITY.into(), fields, today);
        f.sync_product();
        f
    }

    pub(super) fn chosen_product(&self) -> Option<&ProductView> {
        let FormKind::Opportunity { products, .. } = &self.kind else { return None };
        let id = self.fields.iter().find(|f| f.key == FieldKey::Product).map(Field::value)?;
        products.iter().find(|p| p.id.as_str() == id)
    }

    /// Rebuilds the per-dimension price fields for the chosen product.
    pub(super) fn sync_product(&mut self) {
        let dims: Vec<(String, String)> = self
            .chosen_product()
            .map(|p| {
                p.dimensions
                    .iter()
                    .map(|d| {
                        let list =
                            d.list_price.map_or_else(|| text::UNKNOWN.into(), |p| unit_price_text(p, Currency::Usd));
                        (d.key.clone(), t::list_per_unit(&list, &d.unit))
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.fields.retain(|f| !matches!(f.key, FieldKey::Price(_)));
        let at = self.fields.iter().position(|f| f.key == FieldKey::EndsOn).unwrap_or(self.fields.len());
        let new: Vec<Field> = dims
            .into_iter()
            .map(|(k, hint)| Field::text(FieldKey::Price(k.clone()), t::wholesale(&k), "", hint))
            .collect();
        self.fields.splice(at..at, new);
        self.validate();
    }

    /// A later date for `target` (now `current`) within `range`: the offer's expiry or the
    /// opportunity's end, its name in the title and the days allowed under the field before
    /// anything is typed. `party` is who the date is for (the buyer, the partner).
    pub fn extend(
        target: Extending,
        party: String,
        current: Option<NaiveDate>,
        range: DateRange,
        today: NaiveDate,
    ) -> Self {
        let label = match target {
            Extending::Offer(..) => t::NEW_EXPIRY,
            Extending::Opportunity(..) => t::NEW_END_DATE,
        };
        let fields = vec![Field::text(target.field(), label, "", t::extension_hint(current, range))];
        let title = t::extend(target.name());
        Self::new(FormKind::Extend { target, party, current, range }, title, fields, today)
    }

    /// A step of agreement `agreement`'s financing, prefilled from the application under
    /// way (`current`: financier, months, status), the next status chosen.
    pub fn finance(agreement: AgreementId, current: Option<(&str, u32, FinancingStatus)>, today: NaiveDate) -> Self {
        let live = current.filter(|c| c.2 != FinancingStatus::Declined);
        let (provider, months) =
            live.map_or((String::new(), "12".to_owned()), |(p, m, _)| (p.to_owned(), m.to_string()));
        let options: Vec<(String, String)> =
            FinancingStatus::ALL.iter().map(|s| (s.as_str().to_owned(), s.as_str().to_owned())).collect();
        let next = match live.map(|c| c.2) {
            Some(FinancingStatus::Offered) => 1,
            Some(_) => 3,
            None => 0,
        };
        let fields = vec![
            Field::text(FieldKey::Provider, t::FINANCIER, provider, t::FINANCIER_HINT),
            Field::text(FieldKey::Months, t::MONTHS, months, t::MONTHS_HINT),
            Field::choice(FieldKey::FinancingStatus, t::FINANCING_STATUS, options, next),
        ];
        Self::new(FormKind::Finance { agreement: agreement.clone() }, t::finance(agreement.as_str()), fields, today)
    }

    /// A new account.
    pub fn account(today: NaiveDate) -> Self {
        let fields = vec![
            Field::text(FieldKey::AccountId, t::ACCOUNT_ID, "", t::ACCOUNT_ID_HINT),
            Field::text(FieldKey::LegalName, t::LEGAL_NAME, "", t::LEGAL_NAME_HINT),
            Field::toggle(FieldKey::Isv, t::ISV, false, t::ISV_HINT),
            Field::toggle(FieldKey::PartnerRole, t::PARTNER, false, t::PARTNER_HINT),
            Field::toggle(FieldKey::Distributor, t::DISTRIBUTOR, false, t::DISTRIBUTOR_HINT),
            Field::toggle(FieldKey::BuyerRole, t::BUYER, false, t::BUYER_ROLE_HINT),
        ];
        Self::new(FormKind::Account, t::ADD_ACCOUNT.into(), fields, today)
    }
}
