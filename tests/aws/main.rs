//! cppo and AWS: reading AWS CLI output (`import`, `lists`, `real`), the change sets cppo
//! writes checked against AWS's own model (`model`, `export`, `plan`, `durations`), linking
//! and syncing records with AWS (`link`, `sync`), who may import what
//! (`import_authority`), agreements from AWS's Agreement API with the renewal radar
//! (`agreements`), and `pull` / `push` against a fake AWS (`pull`, `pull_in_flight`). One
//! test binary, one module per subject.

#[path = "../support/aws_cli.rs"]
mod aws_cli;
#[path = "../support/aws_model.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod aws_model;
#[path = "../common/mod.rs"]
mod common;
use common::aws_answers;
#[path = "../support/cppo_screen.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod cppo_screen;
#[path = "../support/demo_file.rs"]
mod demo_file;
#[path = "../support/env.rs"]
mod env;
#[path = "../support/fake_aws.rs"]
mod fake_aws;
#[path = "../support/require.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod require;
#[path = "../support/pty.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod term;

mod agreements;
mod durations;
mod export;
mod import;
mod import_authority;
mod link;
mod lists;
mod model;
mod plan;
mod pull;
mod pull_in_flight;
mod real;
mod replacement;
mod sync;
mod tui;
mod tui_pty;
