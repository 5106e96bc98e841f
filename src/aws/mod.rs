//! AWS Marketplace's own JSON, both ways: out, the `StartChangeSet` requests that the AWS
//! CLI submits (`changeset`); in, what the AWS CLI prints about resale authorizations, offers
//! and change sets, read into plain values for cppo to store (`import`). Pure functions over
//! text and the domain's types: no I/O, no SQL.
//!
//! The shapes follow the Catalog API (`reference/aws-cppo-facts.md` sections 1.6 and 3,
//! `reference/aws-interop.md`): `Catalog` "AWSMarketplace", 1-20 changes, a create change
//! named so that later changes refer to it as `$Name.Entity.Identifier`, `DetailsDocument`
//! objects, the release change last.

pub mod changeset;
pub mod import;
pub mod pull;

pub use changeset::{ChangeSet, ExportError};

/// The entity types cppo exchanges with AWS.
pub const RESALE_AUTHORIZATION: &str = "ResaleAuthorization@1.0";
pub const OFFER: &str = "Offer@1.0";
