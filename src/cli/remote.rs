//! `cppo pull` and `cppo push`: the AWS SDK adapter (`sdk`) behind `market`'s use cases. A
//! progress bar on a terminal (none in scripts: indicatif draws only to a terminal), the
//! report as text or `--json`, and AWS's failures as one line each, saying what was kept.

use anyhow::anyhow;
use serde_json::json;

use super::args::{AwsArgs, PullArgs, PushArgs};
use super::output::{self, Progress};
use crate::aws::changeset::field_of;
use crate::domain::{AccountId, ProductType, RecordId};
use crate::market::{Market, PullOptions, PullReport, PushReport, SyncError, send};
use crate::sdk::Aws;

/// The SDK's client for these flags (each one not given, the command line's before the
/// command).
fn connect(a: &AwsArgs, outer: &AwsArgs, nothing: &str) -> anyhow::Result<Aws> {
    Aws::connect(&a.settings(Some(outer))).map_err(|e| anyhow!("{e}; {nothing}"))
}

fn sync_error(e: SyncError) -> anyhow::Error {
    match e {
        SyncError::Remote(r) => anyhow!("{r}"),
        SyncError::Market(m) => m.into(),
    }
}

pub fn pull(market: &mut Market, me: &AccountId, a: &PullArgs, outer: &AwsArgs, as_json: bool) -> anyhow::Result<()> {
    let opts = PullOptions {
        full: a.full,
        dry_run: a.dry_run,
        product_type: ProductType::parse(&a.product_type).map_err(|e| anyhow!("--product-type: {e}"))?,
    };
    let mut aws = connect(&a.aws, outer, "nothing was stored")?;
    let mut bar = Progress::new("pulling from AWS".into());
    let report = market.pull(me, &mut aws, opts, &mut |what, done, total| {
        bar.label(what);
        bar.show(done, total);
    });
    bar.finish();
    let report = report.map_err(sync_error)?;
    if as_json {
        let mut v = output::import_json(&report.import);
        v["since"] = json!(report.since.map(|t| t.to_rfc3339()));
        v["watermark"] = json!(report.watermark.map(|t| t.to_rfc3339()));
        v["read"] = json!({
            "resale_authorizations": report.counts.authorizations,
            "offers": report.counts.offers,
            "agreements": report.counts.agreements,
            "offers_not_cppo": report.left_out,
        });
        return super::stdout::json(&v);
    }
    say!("{}", pulled_words(&report))?;
    output::import_lines(&report.import)
}

/// The pull's first line: what it read, and from when.
fn pulled_words(r: &PullReport) -> String {
    let since = r.since.map_or_else(|| "everything".to_owned(), |s| format!("changed since {}", s.to_rfc3339()));
    let left = if r.left_out > 0 {
        format!(" ({} offers not made from a resale authorization left out)", r.left_out)
    } else {
        String::new()
    };
    format!(
        "pulled from AWS ({since}): {} resale authorizations, {} offers, {} agreements{left}",
        r.counts.authorizations, r.counts.offers, r.counts.agreements
    )
}

pub fn push(market: &mut Market, me: &AccountId, a: &PushArgs, outer: &AwsArgs, as_json: bool) -> anyhow::Result<()> {
    let id = RecordId::parse(&a.id)?;
    // The export's checks first: a push it refuses never reaches AWS, nor asks for credentials.
    let export = market.export(me, &id, a.release)?;
    let mut aws = connect(&a.aws, outer, "nothing was sent")?;
    let sent =
        send(&mut aws, &export.change_set, a.validate, &mut |status| note!("{status}")).map_err(|e| anyhow!("{e}"))?;
    let report = market.record_push(me, &id, a.validate, &sent).map_err(sync_error)?;
    if as_json {
        super::stdout::json(&push_json(&id, &report))?;
    } else {
        push_lines(&id, &report)?;
    }
    match report.status.as_str() {
        "SUCCEEDED" => Ok(()),
        "FAILED" if report.validated => Err(anyhow!("AWS found errors in the change set of {id}: nothing was changed")),
        "FAILED" => Err(anyhow!(
            "AWS refused change set {} for {id}: it stays in cppo as it was, with AWS's errors beside it (`show` lists them)",
            report.change_set_id
        )),
        other => Err(anyhow!("change set {} ended {other}: AWS applied nothing", report.change_set_id)),
    }
}

fn push_lines(id: &RecordId, r: &PushReport) -> anyhow::Result<()> {
    let what = if r.validated { "validated" } else { "pushed" };
    say!("{id} {what}: change set {} {}", r.change_set_id, r.status)?;
    for line in r.error_lines() {
        say!("  {line}")?;
    }
    if r.record != id.as_str() {
        say!("{id} is now {}, the id AWS gave it", r.record)?;
    }
    if let Some(pulled) = &r.pulled {
        say!("AWS's copy of {}:", r.record)?;
        output::import_lines(pulled)?;
    }
    Ok(())
}

fn push_json(id: &RecordId, r: &PushReport) -> serde_json::Value {
    let errors: Vec<_> = r
        .errors
        .iter()
        .map(|(t, c, m)| json!({"change_type": t, "field": field_of(t), "code": c, "message": m}))
        .collect();
    json!({
        "id": id.to_string(),
        "record": r.record,
        "change_set_id": r.change_set_id,
        "status": r.status,
        "validated": r.validated,
        "errors": errors,
        "pulled": r.pulled.as_ref().map(output::import_json),
    })
}
