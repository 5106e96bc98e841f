//! cppo and AWS: reading AWS CLI output (`import`, `lists`, `real`), the change sets cppo
//! writes checked against AWS's own model (`model`, `export`, `plan`, `durations`), linking
//! and syncing records with AWS (`link`, `sync`), who may import what
//! (`import_authority`), and agreements from AWS's Agreement API with the renewal radar
//! (`agreements`). One test binary, one module per subject.

#[path = "../support/aws_cli.rs"]
mod aws_cli;
#[path = "../support/aws_model.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod aws_model;
#[path = "../common/mod.rs"]
mod common;
use common::aws_answers;
#[path = "../support/demo_file.rs"]
mod demo_file;
#[path = "../support/env.rs"]
mod env;
#[path = "../support/fake_aws.rs"]
mod fake_aws;
#[path = "../support/require.rs"]
#[allow(dead_code, reason = "shared support; this crate uses part of it")]
mod require;

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
mod real;
mod replacement;
mod sync;
