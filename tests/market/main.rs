//! The market on real files: its use cases (`market`), the demo (`demo`), the scaled demo
//! and its search (`scale`), its agreements (`scale_agreements`) and their pages in every order
//! (`agreement_pages`), and lists read again around a record (`around`). One test
//! binary, one module per subject; the demo files are built once for all of them
//! (`tests/support/demo_file.rs`).

#[path = "../common/mod.rs"]
mod common;
#[path = "../support/demo_file.rs"]
mod demo_file;
#[path = "../support/drafts.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod drafts;
#[path = "../support/env.rs"]
mod env;

mod agreement_pages;
mod around;
mod aws_rows;
mod demo;
mod market;
mod scale;
mod scale_agreements;
