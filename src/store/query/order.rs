//! How a branch walks its rows in the order of a sort: the keys it orders by, what it reads,
//! and the keyset condition that starts a page after a cursor.
//!
//! A row's keys are selected as `k0`, `k1`, ... and its cursor holds them, so a page of one
//! branch and a page of the union order alike. Keys are text or integer columns, or text the
//! SQL builds, so that SQLite compares them as the rows sort.

use super::{Branch, ListQuery, Sort};
use crate::domain::{OfferStatus, OpportunityStatus};

/// One sort key of a walk.
#[derive(Debug, Clone)]
pub(super) enum Key {
    /// An SQL expression over the walk's row.
    Sql(String),
    /// An SQL expression with an integer value and no column affinity (a `coalesce` over an
    /// integer column): the cursor's text is cast to compare with it, as a column converts it.
    Int(String),
    /// The same for every row of the walk (a status's rank): compared with the cursor here,
    /// so a walk wholly before the cursor is not run at all.
    Const(&'static str),
}

impl Key {
    fn sql(&self) -> String {
        match self {
            Key::Sql(s) | Key::Int(s) => s.clone(),
            Key::Const(c) => format!("'{c}'"),
        }
    }
}

/// One way through a branch's rows: what it reads, what it adds to the branch's conditions,
/// and the keys its rows come in (then the row's id).
#[derive(Debug, Clone)]
pub(super) struct Walk {
    pub from: String,
    pub cond: Vec<String>,
    pub keys: Vec<Key>,
    /// Also bound the keys alone by the cursor's (implied by the keyset condition; lets SQLite
    /// start the outer loop of a join at the cursor).
    pub bound_keys: bool,
}

impl Walk {
    fn on(from: &str, keys: Vec<Key>) -> Self {
        Walk { from: from.to_owned(), cond: Vec::new(), keys, bound_keys: false }
    }
}

/// The ranks of the statuses, in the order a status sort lists them: as `f` cycles them.
pub(super) fn rank(i: usize) -> &'static str {
    ["0", "1", "2", "3", "4", "5", "6", "7"][i]
}

/// The keys an opportunity sorts by. Opportunities are few next to offers: the keys that no
/// index holds are computed for the viewer's rows, then sorted.
pub(super) fn opportunity_walks(b: &Branch, sort: Sort) -> Vec<Walk> {
    let sql = |s: &str| vec![Key::Sql(s.to_owned())];
    let keys = match sort {
        Sort::Created => sql("created_at"),
        Sort::Name => sql("name"),
        Sort::Date => sql("ends_on"),
        Sort::Product => sql("coalesce((SELECT title FROM products WHERE products.id = product_id), '')"),
        Sort::Counterparty => counterparty_keys(b.counterparty),
        Sort::Kind => sql("kind"),
        // A custom price list (no single discount) before every discount.
        Sort::Discount => sql("printf('%013.6f', coalesce(CAST(discount_pct AS REAL), -1))"),
        Sort::Currency => sql("currency"),
        // Not a column of the Opportunities tab: as created.
        Sort::Amount => sql("created_at"),
        Sort::Status => {
            let arms: Vec<String> = OpportunityStatus::ALL
                .iter()
                .enumerate()
                .map(|(i, s)| format!("WHEN {} THEN '{}'", super::opportunity_status_sql(*s), rank(i)))
                .collect();
            vec![Key::Sql(format!("CASE {} END", arms.join(" "))), Key::Sql("ends_on".into())]
        }
        Sort::Offers => vec![Key::Sql("offers_created".into())],
    };
    vec![Walk::on("opportunities", keys)]
}

/// The counterparty's name, then its id (names need not be unique), read per row.
pub(super) fn counterparty_keys(counterparty: &str) -> Vec<Key> {
    vec![
        Key::Sql(format!("coalesce((SELECT name FROM accounts WHERE accounts.id = {counterparty}), '')")),
        Key::Sql(format!("coalesce({counterparty}, '')")),
    ]
}

/// The rows of `table` in the order of their counterparty (`column`): the accounts in name
/// order (`accounts_name` is unique, so SQLite knows the order holds within each account),
/// each one's rows by the branch's index that starts with the viewer's column and `column`.
pub(super) fn by_counterparty(table: &str, column: &str, cond: Vec<String>) -> Walk {
    by_counterparty_among(table, column, "", cond)
}

/// [`by_counterparty`] over the accounts that pass `accounts` (a condition on `accounts`, or
/// "" for all).
pub(super) fn by_counterparty_among(table: &str, column: &str, accounts: &str, cond: Vec<String>) -> Walk {
    let among = if accounts.is_empty() { String::new() } else { format!(" WHERE {accounts}") };
    Walk {
        from: format!(
            "(SELECT id AS cp_id, name AS cp_name FROM accounts{among}) a CROSS JOIN {table} ON a.cp_id = {column}"
        ),
        cond,
        keys: vec![Key::Sql("a.cp_name".into()), Key::Sql("a.cp_id".into())],
        bound_keys: true,
    }
}

/// The walks of an offers branch for `sort`, reading `from` (the table, or candidates joined
/// to it). `walk_indexes`: the branch has indexes for every sort (the partner's and the
/// ISV's), and `from` is the plain table, so the walks follow them; else the rows read are
/// sorted. `statuses`: those a status sort lists (the status filter's, or all).
pub(super) fn offer_walks(
    b: &Branch,
    sort: Sort,
    from: &str,
    walk_indexes: bool,
    statuses: &[OfferStatus],
) -> Vec<Walk> {
    let sql = |s: &str| vec![Key::Sql(s.to_owned())];
    match sort {
        // The last five are not columns of the Offers tab: as created.
        Sort::Created | Sort::Product | Sort::Kind | Sort::Discount | Sort::Currency | Sort::Offers => {
            vec![Walk::on(from, sql("created_at"))]
        }
        Sort::Name => vec![Walk::on(from, sql("name"))],
        Sort::Date => vec![Walk::on(from, sql("expires_on"))],
        Sort::Amount => vec![Walk::on(from, vec![Key::Sql("currency".into()), Key::Sql(b.amount.into())])],
        Sort::Status => OfferStatus::ALL
            .iter()
            .enumerate()
            .filter(|(_, s)| statuses.contains(s))
            .map(|(i, s)| Walk {
                from: from.to_owned(),
                cond: vec![super::offer_status_sql(*s).to_owned()],
                keys: vec![Key::Const(rank(i)), Key::Sql("expires_on".into())],
                bound_keys: false,
            })
            .collect(),
        Sort::Counterparty if walk_indexes => {
            // The accounts in name order, each one's offers by the index that starts with it
            // (the ISV's: one walk per kind, its index holding the kind first); a draft with
            // no buyer yet sorts first, as an empty name.
            let by = |column: &str, kind: Option<&str>| {
                by_counterparty(
                    "offers",
                    column,
                    kind.map(|k| format!("opportunity_kind = '{k}'")).into_iter().collect(),
                )
            };
            if b.by_kind {
                return vec![by(b.counterparty, Some("one_time")), by(b.counterparty, Some("recurring"))];
            }
            let mut walks = vec![by(b.counterparty, None)];
            if b.counterparty == "buyer_account_id" {
                walks.push(Walk {
                    from: from.to_owned(),
                    cond: vec!["buyer_account_id IS NULL".into()],
                    keys: vec![Key::Const(""), Key::Const("")],
                    bound_keys: false,
                });
            }
            walks
        }
        Sort::Counterparty => vec![Walk::on(from, counterparty_keys(b.counterparty))],
    }
}

/// The parameters the keys of a cursor are bound to, in order (no walk has more keys).
pub(super) const KEY_NAMES: [&str; 2] = [":k0", ":k1"];

/// What a query over the walks answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// The rows after the cursor with their keys, sorted and cut to a page.
    Page,
    /// The same, each row as its id and its table (`source`) with its keys: a page of a list
    /// drawn from several tables, whose rows are read by id after.
    Ids,
    /// How many rows lie after the cursor in the query's direction (read backwards from a
    /// row: how many come before it), up to `:near` per walk, found as a page is: walking
    /// the sort's index from the cursor. Quick when the row is near the end it counts from.
    CountNear,
    /// The same, all of them, by whichever index SQLite finds cheapest (for a status filter
    /// its range, where walking the sort's index to a row far down reads more).
    Count,
}

/// One walk as a sorted, limited `SELECT` of `table`'s rows and their keys `k0..` (or, in a
/// count's [`Shape`], the count of those rows), under the branch's conditions `cond`; `None`
/// when the walk lies wholly before the cursor. Either way the same keyset condition, on
/// the indexes a page uses: a count reads no row into Rust.
pub(super) fn walk_sql(table: &str, walk: &Walk, mut cond: Vec<String>, q: &ListQuery, shape: Shape) -> Option<String> {
    let dir = if q.descending { "DESC" } else { "ASC" };
    cond.extend(walk.cond.iter().cloned());
    if let Some(c) = &q.after {
        let cursor = &c.keys;
        let mut rest = 0;
        // The constant keys decide here whether the walk lies before, after or at the cursor.
        for (i, k) in walk.keys.iter().enumerate() {
            let Key::Const(v) = k else { break };
            let at = cursor.get(i).map_or("", String::as_str);
            if *v != at {
                if (*v < at) != q.descending {
                    return None;
                }
                rest = usize::MAX;
                break;
            }
            rest = i + 1;
        }
        if rest != usize::MAX {
            let cmp = if q.descending { "<" } else { ">" };
            let eq = if q.inclusive { "=" } else { "" };
            let exprs: Vec<String> = walk.keys[rest..].iter().map(Key::sql).collect();
            let params: Vec<String> = (rest..walk.keys.len())
                .map(|i| match walk.keys[i] {
                    Key::Int(_) => format!("CAST(:k{i} AS INTEGER)"),
                    _ => format!(":k{i}"),
                })
                .collect();
            if walk.bound_keys && !exprs.is_empty() {
                cond.push(format!("({}) {cmp}= ({})", exprs.join(", "), params.join(", ")));
            }
            cond.push(format!(
                "({}{table}.id) {cmp}{eq} ({}:id)",
                exprs.iter().map(|e| format!("{e}, ")).collect::<String>(),
                params.iter().map(|p| format!("{p}, ")).collect::<String>(),
            ));
        }
    }
    let mut order: Vec<String> =
        walk.keys.iter().filter(|k| !matches!(k, Key::Const(_))).map(|k| format!("{} {dir}", k.sql())).collect();
    order.push(format!("{table}.id {dir}"));
    let row = match shape {
        Shape::Page => format!("{table}.*"),
        Shape::Ids => format!("{table}.id AS id, '{table}' AS source"),
        // In the page's order, so that SQLite walks the index a page walks.
        Shape::CountNear => {
            return Some(format!(
                "SELECT count(*) AS n FROM (SELECT 1 FROM {} WHERE {} ORDER BY {} LIMIT :near)",
                walk.from,
                cond.join(" AND "),
                order.join(", ")
            ));
        }
        Shape::Count => {
            return Some(format!("SELECT count(*) AS n FROM {} WHERE {}", walk.from, cond.join(" AND ")));
        }
    };
    let selected: Vec<String> = walk.keys.iter().enumerate().map(|(i, k)| format!("{} AS k{i}", k.sql())).collect();
    Some(format!(
        "SELECT * FROM (SELECT {row}, {} FROM {} WHERE {} ORDER BY {} LIMIT :limit)",
        selected.join(", "),
        walk.from,
        cond.join(" AND "),
        order.join(", ")
    ))
}

/// The union of the walks' pages, in the sort's order, cut to a page (or the sum of their
/// counts, and the largest, which says whether one stopped at `:near`); `None` when every
/// walk lies before the cursor.
pub(super) fn union_sql(with: &str, arms: Vec<String>, keys: usize, q: &ListQuery, shape: Shape) -> Option<String> {
    if arms.is_empty() {
        return None;
    }
    if !matches!(shape, Shape::Page | Shape::Ids) {
        return Some(format!("{with} SELECT sum(n), max(n) FROM ({})", arms.join(" UNION ALL ")));
    }
    let dir = if q.descending { "DESC" } else { "ASC" };
    let order: Vec<String> = (0..keys).map(|i| format!("k{i} {dir}")).chain([format!("id {dir}")]).collect();
    Some(format!("{with} {} ORDER BY {} LIMIT :limit", arms.join(" UNION ALL "), order.join(", ")))
}
