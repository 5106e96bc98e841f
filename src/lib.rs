//! cppo: AWS Marketplace Consulting Partner Private Offers, on a local SQLite file.
//!
//! Layers (an arrow points to what a module may use):
//! `domain <- store <- market <- cli`, `domain <- aws <- market`, `market <- sdk <- cli` (the
//! AWS SDK adapter behind market's `Marketplace` port: the only module that talks to AWS), `market <- app <- ui`, and
//! `tui` glues app and ui to the terminal.

pub mod app;
pub mod aws;
pub mod cli;
pub mod domain;
pub mod market;
pub mod sdk;
pub mod store;
pub mod tui;
pub mod ui;
