//! Bulk writes for `cppo demo --scale`: many offers through prepared statements inside one
//! transaction, instead of one `BEGIN IMMEDIATE` per offer. The rows are the ones
//! `offers::insert` writes; `market::scale` builds them with the domain.
//!
//! Keeping the secondary indexes, the trigram tables, the tally and the months up to date
//! row by row costs more than writing the rows, so a load sets them aside ([`suspend`]),
//! writes the rows, rebuilds each index with one sort ([`rebuild_indexes`]), installs trigram
//! tables built on the side ([`SearchBuilder`]) or fills them in one ordered sweep
//! ([`index_search`]), adds its counts to the tally ([`add_to_tally`]), then counts the
//! months and puts the triggers back ([`resume`]). The agreements it accepts keep their
//! trigram tables ([`ensure_agreement_search`]) and tally up to date row by row. All of it
//! inside the caller's transaction, so an interrupted load leaves the file as it was.

use rusqlite::{Connection, params};

use super::codec::id;
use super::offers::{OfferFigures, OfferStatements};
use super::{StoreError, StoreResult};
use crate::domain::{Offer, OpportunityId, OpportunityKind};

/// Inserts offers and their lines with the statements `offers::insert` uses.
pub struct OfferWriter<'c>(OfferStatements<'c>);

impl<'c> OfferWriter<'c> {
    pub fn new(conn: &'c Connection) -> StoreResult<Self> {
        Ok(Self(OfferStatements::new(conn)?))
    }

    /// Writes one offer as row `rowid`, created at `created_at` (a `codec::timestamp`), with
    /// its lines.
    pub fn insert(
        &mut self,
        rowid: i64,
        o: &Offer,
        kind: OpportunityKind,
        f: &OfferFigures,
        created_at: &str,
    ) -> StoreResult<()> {
        self.0.write(o, kind, f, created_at, Some(rowid))
    }
}

/// Counts `n` more offers made from `opportunity`.
pub fn add_offers_created(conn: &Connection, opportunity: &OpportunityId, n: u32) -> StoreResult<()> {
    conn.prepare_cached(
        "UPDATE opportunities SET offers_created = offers_created + ?2, version = version + 1 WHERE id = ?1",
    )?
    .execute(params![opportunity.as_str(), n])?;
    Ok(())
}

/// Every Active recurring opportunity with the time it became Active (from the audit log;
/// its creation time if the log does not say), oldest first.
pub fn reusable_opportunities(conn: &Connection) -> StoreResult<Vec<(OpportunityId, String)>> {
    let mut st = conn.prepare(
        "SELECT o.id, coalesce((SELECT min(e.at) FROM events e
                                 WHERE e.entity_id = o.id AND e.entity = 'opportunity' AND e.to_state = 'active'),
                                o.created_at) AS active_at
         FROM opportunities o WHERE o.state = 'active' AND o.kind = 'recurring'
         ORDER BY active_at, o.id",
    )?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (s, at) = row?;
        out.push((id(s, OpportunityId::parse)?, at));
    }
    Ok(out)
}

/// The trigram tables that keep `/` fast on big files, and the triggers that keep them in
/// step with `offers`. The first bulk load makes them ([`ensure_search`]); a file without them
/// is searched with LIKE alone, which small files can afford.
///
/// Every three-character sequence of each offer's id, and of its name (case-folded), points at
/// the offer's rowid: a filter of three or more characters reads the offers holding all of
/// its trigrams in either, and the LIKE of before decides, so these only narrow the rows to
/// look at. Without positions (detail=none) they store rowids only; the text stays in
/// `offers` (external content). Two tables rather than one with two columns: building them
/// costs half as much. They are not in a migration because FTS5 writes rows into its shadow
/// tables as soon as a table is created, and a new, empty file must hold no rows at all.
const SEARCH_SCHEMA: &str = "
CREATE VIRTUAL TABLE offer_search_id USING fts5(
    id, content='offers', content_rowid='rowid', columnsize=0, detail='none', tokenize='trigram'
);
CREATE VIRTUAL TABLE offer_search_name USING fts5(
    name, content='offers', content_rowid='rowid', columnsize=0, detail='none', tokenize='trigram'
);
CREATE TRIGGER offer_search_insert AFTER INSERT ON offers BEGIN
    INSERT INTO offer_search_id(rowid, id) VALUES (new.rowid, new.id);
    INSERT INTO offer_search_name(rowid, name) VALUES (new.rowid, new.name);
END;
CREATE TRIGGER offer_search_delete AFTER DELETE ON offers BEGIN
    INSERT INTO offer_search_id(offer_search_id, rowid, id) VALUES ('delete', old.rowid, old.id);
    INSERT INTO offer_search_name(offer_search_name, rowid, name) VALUES ('delete', old.rowid, old.name);
END;
CREATE TRIGGER offer_search_update_id AFTER UPDATE OF id ON offers WHEN new.id IS NOT old.id BEGIN
    INSERT INTO offer_search_id(offer_search_id, rowid, id) VALUES ('delete', old.rowid, old.id);
    INSERT INTO offer_search_id(rowid, id) VALUES (new.rowid, new.id);
END;
CREATE TRIGGER offer_search_update_name AFTER UPDATE OF name ON offers WHEN new.name IS NOT old.name BEGIN
    INSERT INTO offer_search_name(offer_search_name, rowid, name) VALUES ('delete', old.rowid, old.name);
    INSERT INTO offer_search_name(rowid, name) VALUES (new.rowid, new.name);
END;
";
const SEARCH_TABLES: [&str; 2] = ["offer_search_id", "offer_search_name"];

/// The agreements' trigram tables, on the same terms as the offers' (the agreement's id and
/// its offer's id), with the triggers that keep them in step with `agreements`. A load keeps
/// them row by row: its agreements are a tenth of its offers.
const AGREEMENT_SEARCH_SCHEMA: &str = "
CREATE VIRTUAL TABLE agreement_search_id USING fts5(
    id, content='agreements', content_rowid='rowid', columnsize=0, detail='none', tokenize='trigram'
);
CREATE VIRTUAL TABLE agreement_search_offer USING fts5(
    offer_id, content='agreements', content_rowid='rowid', columnsize=0, detail='none', tokenize='trigram'
);
INSERT INTO agreement_search_id(agreement_search_id) VALUES ('rebuild');
INSERT INTO agreement_search_offer(agreement_search_offer) VALUES ('rebuild');
CREATE TRIGGER agreement_search_insert AFTER INSERT ON agreements BEGIN
    INSERT INTO agreement_search_id(rowid, id) VALUES (new.rowid, new.id);
    INSERT INTO agreement_search_offer(rowid, offer_id) VALUES (new.rowid, new.offer_id);
END;
CREATE TRIGGER agreement_search_delete AFTER DELETE ON agreements BEGIN
    INSERT INTO agreement_search_id(agreement_search_id, rowid, id) VALUES ('delete', old.rowid, old.id);
    INSERT INTO agreement_search_offer(agreement_search_offer, rowid, offer_id)
    VALUES ('delete', old.rowid, old.offer_id);
END;
CREATE TRIGGER agreement_search_update AFTER UPDATE OF id, offer_id ON agreements BEGIN
    INSERT INTO agreement_search_id(agreement_search_id, rowid, id) VALUES ('delete', old.rowid, old.id);
    INSERT INTO agreement_search_offer(agreement_search_offer, rowid, offer_id)
    VALUES ('delete', old.rowid, old.offer_id);
    INSERT INTO agreement_search_id(rowid, id) VALUES (new.rowid, new.id);
    INSERT INTO agreement_search_offer(rowid, offer_id) VALUES (new.rowid, new.offer_id);
END;
";
/// The tables an accepted offer writes to, whose secondary indexes a load also sets aside.
const AGREEMENT_TABLES: [&str; 3] = ["agreements", "charges", "disbursements"];
/// The triggers on `offers` that fill the trigram tables and the tally row by row (a bulk
/// load does that work in bulk instead).
const DERIVED_TRIGGERS: [&str; 3] = ["offer_search_insert", "offer_tally_insert", "offer_months_insert"];

/// True if the file has the offers' trigram tables.
pub fn has_search(conn: &Connection) -> StoreResult<bool> {
    has_tables(conn, SEARCH_TABLES)
}

/// True if the file has both tables (or views) `names`.
pub(super) fn has_tables(conn: &Connection, names: [&str; 2]) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM sqlite_schema WHERE name IN (?1, ?2)")?
        .query_row(names, |r| r.get::<_, i64>(0))?
        == 2)
}

/// Makes the trigram tables, empty, if the file does not have them; true if it made them.
/// The caller fills them ([`SearchBuilder`] or [`index_search`]) in the same transaction.
pub fn ensure_search(conn: &Connection) -> StoreResult<bool> {
    if has_search(conn)? {
        return Ok(false);
    }
    conn.execute_batch(SEARCH_SCHEMA)?;
    Ok(true)
}

/// Makes the agreements' trigram tables, filled from the agreements the file holds, if it
/// does not have them (a file whose offers' a load made before the agreements had any).
pub fn ensure_agreement_search(conn: &Connection) -> StoreResult<()> {
    if !has_tables(conn, ["agreement_search_id", "agreement_search_offer"])? {
        conn.execute_batch(AGREEMENT_SEARCH_SCHEMA)?;
    }
    Ok(())
}

/// What [`suspend`] set aside: the SQL to create it again, in order, and where the new rows
/// start.
#[derive(Debug)]
pub struct Suspended {
    indexes: Vec<String>,
    /// The indexes of the agreement tables (a load accepts some of its offers).
    agreement_indexes: Vec<String>,
    triggers: Vec<String>,
    first_rowid: i64,
}

impl Suspended {
    /// The rowid of the first offer the load writes; the next ones follow it.
    pub fn first_rowid(&self) -> i64 {
        self.first_rowid
    }
    /// How many indexes [`resume`] rebuilds (for progress).
    pub fn indexes(&self) -> usize {
        self.indexes.len()
    }
}

/// Drops the secondary indexes of `offers` (and of [`AGREEMENT_TABLES`]) and the triggers
/// that index and count new offers, keeping their SQL as the schema holds it; also gives SQLite a bigger page cache and a
/// helper thread for sorting. Call inside the load's transaction, then [`resume`] in the
/// same one.
pub fn suspend(conn: &Connection) -> StoreResult<Suspended> {
    conn.pragma_update(None, "cache_size", -262_144)?;
    conn.pragma_update(None, "threads", 2)?;
    let first_rowid: i64 = conn.query_row("SELECT coalesce(max(rowid), 0) + 1 FROM offers", [], |r| r.get(0))?;
    let schema = |sql: &str| -> StoreResult<Vec<(String, String)>> {
        let mut st = conn.prepare(sql)?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    let indexes_of = |tables: &[&str]| {
        schema(&format!(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('{}') AND sql IS NOT NULL
             ORDER BY rowid",
            tables.join("', '")
        ))
    };
    let indexes = indexes_of(&["offers"])?;
    let agreement_indexes = indexes_of(&AGREEMENT_TABLES)?;
    let triggers = schema(&format!(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'offers' AND name IN ('{}')
         ORDER BY rowid",
        DERIVED_TRIGGERS.join("', '")
    ))?;
    for (name, _) in indexes.iter().chain(&agreement_indexes) {
        conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    Ok(Suspended {
        indexes: indexes.into_iter().map(|(_, s)| s).collect(),
        agreement_indexes: agreement_indexes.into_iter().map(|(_, s)| s).collect(),
        triggers: triggers.into_iter().map(|(_, s)| s).collect(),
        first_rowid,
    })
}

/// Rebuilds the indexes [`suspend`] dropped, calling `step()` after each of `offers` (the
/// agreement tables' are a fraction of the rows: they are not counted).
pub fn rebuild_indexes(conn: &Connection, s: &Suspended, step: &mut dyn FnMut()) -> StoreResult<()> {
    for sql in &s.indexes {
        conn.execute_batch(sql)?;
        step();
    }
    for sql in &s.agreement_indexes {
        conn.execute_batch(sql)?;
    }
    Ok(())
}

/// Indexes the offers from rowid `from` on in the trigram tables, in place (when no
/// [`SearchBuilder`] did it on the side).
pub fn index_search(conn: &Connection, from: i64) -> StoreResult<()> {
    for table in SEARCH_TABLES {
        let col = if table == "offer_search_id" { "id" } else { "name" };
        conn.execute(
            &format!(
                "INSERT INTO {table}(rowid, {col}) SELECT rowid, {col} FROM offers WHERE rowid >= ?1 ORDER BY rowid"
            ),
            [from],
        )?;
    }
    Ok(())
}

/// Adds `n` offers to a tally group: (partner, ISV, buyer or "", product, opportunity, state).
pub fn add_to_tally(conn: &Connection, group: [&str; 6], n: u64) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO offer_tally VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO UPDATE SET n = n + excluded.n",
    )?
    .execute(params![group[0], group[1], group[2], group[3], group[4], group[5], n as i64])?;
    Ok(())
}

/// Counts the loaded offers into the months table, then puts back the triggers [`suspend`]
/// dropped and the default page cache: the end of a load.
pub fn resume(conn: &Connection, s: Suspended) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO offer_months
         SELECT partner_account_id, isv_account_id, coalesce(buyer_account_id, ''), state, substr(created_at, 1, 7), count(*)
         FROM offers WHERE rowid >= ?1 GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT DO UPDATE SET n = n + excluded.n",
        [s.first_rowid],
    )?;
    for sql in &s.triggers {
        conn.execute_batch(sql)?;
    }
    conn.pragma_update(None, "cache_size", -2000)?;
    conn.pragma_update(None, "threads", 0)?;
    Ok(())
}

/// Builds the trigram tables of a bulk load in a private in-memory database, on another
/// thread while the load writes the rows and rebuilds the indexes, then copies them over
/// (FTS5 keeps all of an index in its shadow tables, so the copy is the index).
///
/// The copy bypasses FTS5 on the connection it is written with: that connection must not
/// search afterwards (FTS5 caches the index layout per connection and only notices changes
/// made by others). `market::scale` opens the file again once the load has committed.
pub struct SearchBuilder {
    side: Connection,
}

impl SearchBuilder {
    /// Empty trigram tables made by the same SQL as those of `main`, holding the offers
    /// `main` has before `first_rowid`.
    pub fn new(main: &Connection, first_rowid: i64) -> StoreResult<Self> {
        let side = Connection::open_in_memory()?;
        for table in SEARCH_TABLES {
            let sql: String = main.query_row("SELECT sql FROM sqlite_schema WHERE name = ?1", [table], |r| r.get(0))?;
            side.execute_batch(&sql)?;
        }
        side.execute_batch("BEGIN")?;
        let mut b = Self { side };
        let mut st = main.prepare("SELECT rowid, id, name FROM offers WHERE rowid < ?1 ORDER BY rowid")?;
        let mut rows = st.query([first_rowid])?;
        while let Some(r) = rows.next()? {
            b.add(r.get(0)?, &r.get::<_, String>(1)?, &r.get::<_, String>(2)?)?;
        }
        Ok(b)
    }

    /// Indexes one offer (in rowid order).
    pub fn add(&mut self, rowid: i64, id: &str, name: &str) -> StoreResult<()> {
        self.side
            .prepare_cached("INSERT INTO offer_search_id(rowid, id) VALUES (?1, ?2)")?
            .execute(params![rowid, id])?;
        self.side
            .prepare_cached("INSERT INTO offer_search_name(rowid, name) VALUES (?1, ?2)")?
            .execute(params![rowid, name])?;
        Ok(())
    }

    /// Replaces the trigram tables of `main` (inside the load's transaction) with these.
    pub fn install(self, main: &Connection) -> StoreResult<()> {
        self.side.execute_batch("COMMIT")?;
        let mut shadows = Vec::new();
        {
            let mut st = self.side.prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
            )?;
            let names = st.query_map([], |r| r.get::<_, String>(0))?;
            for name in names {
                shadows.push(name?);
            }
        }
        for table in &shadows {
            main.execute(&format!("DELETE FROM \"{table}\""), [])?;
            let mut read = self.side.prepare(&format!("SELECT * FROM \"{table}\""))?;
            let cols = read.column_count();
            let marks = (1..=cols).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let mut write = main.prepare(&format!("INSERT INTO \"{table}\" VALUES ({marks})"))?;
            let mut rows = read.query([])?;
            while let Some(r) = rows.next()? {
                let values = (0..cols).map(|i| r.get::<_, rusqlite::types::Value>(i)).collect::<Result<Vec<_>, _>>()?;
                write.execute(rusqlite::params_from_iter(values))?;
            }
        }
        Ok(())
    }
}

/// Puts the file in rollback-journal mode for a load (`wal` false), or back in WAL mode.
/// Outside a transaction, with no other connection open.
fn set_journal(conn: &Connection, wal: bool) -> StoreResult<()> {
    conn.pragma_update_and_check(None, "journal_mode", if wal { "WAL" } else { "DELETE" }, |_| Ok(()))?;
    Ok(())
}

/// Turns foreign key checks off or on (outside a transaction; SQLite ignores it inside). A
/// bulk load turns them off: its rows only use ids it has just read from the file.
fn set_foreign_keys(conn: &Connection, on: bool) -> StoreResult<()> {
    conn.pragma_update(None, "foreign_keys", on)?;
    Ok(())
}

impl super::Store {
    /// One bulk write: the rows go into the file itself rather than into the WAL and then
    /// again into the file (the rollback journal keeps it atomic all the same), with foreign
    /// keys off (the caller writes only ids it read from the file). WAL and foreign keys come
    /// back afterwards, whatever `f` returns; a file left out of WAL by a kill is put back
    /// by the next open.
    pub fn bulk_write<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        let on_file = self.path() != std::path::Path::new(":memory:");
        if on_file {
            set_journal(self.conn(), false)?;
        }
        set_foreign_keys(self.conn(), false)?;
        let result = self.write(f);
        set_foreign_keys(self.conn(), true)?;
        if on_file {
            set_journal(self.conn(), true)?;
        }
        result
    }
}
