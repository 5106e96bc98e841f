//! The shape of the crate, read from its sources as Rust (with `syn`), not as text: every
//! `use` tree and every path in code (inside `format!`-like macros too), made absolute
//! from `crate::`, `super::`, `self::`, a child module or a name a `use` brought in.
//!
//! Two rules: the layers point one way (`domain` <- `aws` <- `store` <- `market` <-
//! `cli` / `app` <- `ui`, with `tui` gluing `app` and `ui` to the terminal: nothing above
//! `market` names `store` or `rusqlite`, the domain and the AWS mapping name no layer above
//! them and no I/O crate, the ui only draws); and no two files of `src/` import each other,
//! directly or round a longer circle. For the second, a path counts against the file that
//! defines what it names (re-exports followed, so `crate::domain::Money` is `money.rs`, not
//! `domain/mod.rs`), and a child's `super::` counts like any other import. A failure names
//! the file and line of each offending path.

#[path = "support/source_graph.rs"]
mod source_graph;

use source_graph::Crate;

/// The paths written in `layer` that start with any of `forbidden` (`crate::store`,
/// `rusqlite`, `std::fs`), each as `file:line: path`.
fn offenders(krate: &Crate, layer: &str, forbidden: &[&str]) -> Vec<String> {
    let forbidden: Vec<Vec<&str>> = forbidden.iter().map(|f| f.split("::").collect()).collect();
    krate
        .named_in(layer)
        .filter(|(_, path)| forbidden.iter().any(|f| path.len() >= f.len() && path.iter().zip(f).all(|(a, b)| a == b)))
        .map(|(at, path)| format!("{at}: {}", path.join("::")))
        .collect()
}

#[test]
fn nothing_above_market_names_store_or_rusqlite() {
    let krate = Crate::read();
    for layer in ["app", "ui", "cli", "tui", "sdk"] {
        let found = offenders(&krate, layer, &["crate::store", "rusqlite"]);
        assert!(found.is_empty(), "{layer} skips the market layer:\n{}", found.join("\n"));
    }
}

#[test]
fn market_reaches_sqlite_only_through_store() {
    let found = offenders(&Crate::read(), "market", &["rusqlite"]);
    assert!(found.is_empty(), "market names rusqlite:\n{}", found.join("\n"));
}

#[test]
fn the_domain_and_the_aws_mapping_know_no_layer_above_them_and_no_io() {
    let krate = Crate::read();
    let above = [
        "crate::store",
        "crate::market",
        "crate::app",
        "crate::ui",
        "crate::tui",
        "crate::cli",
        "rusqlite",
        "ratatui",
        "crossterm",
        "std::fs",
        "tokio",
    ];
    let found = offenders(&krate, "domain", &above);
    assert!(found.is_empty(), "domain reaches up or out:\n{}", found.join("\n"));
    let found = offenders(&krate, "aws", &above);
    assert!(found.is_empty(), "aws reaches up or out:\n{}", found.join("\n"));
}

/// The AWS SDK adapter serves `market`'s port and the commands: it never reaches up into
/// the TUI or the CLI.
#[test]
fn the_aws_sdk_adapter_knows_nothing_of_the_screens_or_the_command_line() {
    let found = offenders(&Crate::read(), "sdk", &["crate::app", "crate::ui", "crate::tui", "crate::cli"]);
    assert!(found.is_empty(), "sdk reaches up:\n{}", found.join("\n"));
}

#[test]
fn the_ui_only_draws() {
    let krate = Crate::read();
    let mut found = offenders(&krate, "ui", &["crate::tui", "crate::cli", "std::fs"]);
    // Naming a variant of an effect (`Effect::Save`, `TerminalEffect::Bell`) is making one.
    found.extend(
        krate
            .named_in("ui")
            .filter(|(_, path)| path.iter().rev().skip(1).any(|s| s.ends_with("Effect")))
            .map(|(at, path)| format!("{at}: {}", path.join("::"))),
    );
    assert!(found.is_empty(), "ui does more than draw:\n{}", found.join("\n"));
}

/// No two modules import each other (issue 19): every circle through siblings, cousins or
/// layers fails here, with its files and the imports that make it. A module and the modules
/// that contain it count as one room (see `Crate::circles`).
#[test]
fn no_two_modules_import_each_other() {
    let knots = Crate::read().circles();
    let told: Vec<&str> = knots.iter().map(|k| k.told.as_str()).collect();
    assert!(
        told.is_empty(),
        "modules that import each other (each line: a file, the path that names the next one):\n{}",
        told.join("\n\n")
    );
}

/// A parent that re-exports its child while the child uses the parent's items is one room; a
/// child and its parent's sibling that name each other are a circle.
#[test]
fn a_parent_and_its_child_are_one_room_siblings_are_not() {
    let krate = Crate::from_sources(&[
        ("src/lib.rs", "pub mod a; pub mod b;"),
        ("src/a/mod.rs", "pub mod x; pub use x::Thing; pub struct Base;"),
        ("src/a/x.rs", "use super::Base; pub struct Thing(Base);"),
        ("src/b.rs", "pub struct B;"),
    ]);
    assert!(krate.circles().is_empty(), "{:?}", krate.circles().iter().map(|k| &k.told).collect::<Vec<_>>());
    let krate = Crate::from_sources(&[
        ("src/lib.rs", "pub mod a; pub mod b;"),
        ("src/a/mod.rs", "pub mod x;"),
        ("src/a/x.rs", "use crate::b::B; pub struct Thing(B);"),
        ("src/b.rs", "use crate::a::x::Thing; pub struct B; fn f(_: Thing) {}"),
    ]);
    let knots = krate.circles();
    assert_eq!(knots.len(), 1);
    assert_eq!(knots[0].files, ["src/a/x.rs", "src/b.rs"], "{}", knots[0].told);
}

/// The reader itself: it must see what a text search missed, and resolve as rustc does.
#[test]
fn the_reader_sees_nested_use_groups_aliases_and_super() {
    let krate = Crate::from_sources(&[
        ("src/lib.rs", "pub mod a; pub mod b; pub mod c;"),
        ("src/a/mod.rs", "pub mod x; pub use x::Thing;"),
        ("src/a/x.rs", "use super::super::{b::{self as other}}; pub struct Thing; fn f() { other::g(); }"),
        ("src/b.rs", "use crate::a::Thing as T; pub fn g() { let _ = format!(\"{}\", crate::c::Here); }"),
        ("src/c.rs", "pub struct Here;"),
    ]);
    let names: Vec<String> = krate.named_in("a").map(|(at, path)| format!("{at} {}", path.join("::"))).collect();
    assert!(names.contains(&"src/a/x.rs:1 crate::b".to_string()), "{names:?}");
    assert!(names.contains(&"src/a/x.rs:1 crate::b::g".to_string()), "{names:?}");
    let names: Vec<String> = krate.named_in("b").map(|(_, path)| path.join("::")).collect();
    assert!(names.contains(&"crate::c::Here".to_string()), "inside format!: {names:?}");
    // b names a::Thing through a's re-export, so the edge runs to x.rs, and x.rs names b:
    // a circle of two files, while a/mod.rs (which only re-exports) stays out of it.
    let knots = krate.circles();
    assert_eq!(knots.len(), 1);
    assert_eq!(knots[0].files, ["src/a/x.rs", "src/b.rs"], "{}", knots[0].told);
    let told = &knots[0].told;
    assert!(told.contains("src/a/x.rs:1: super::super::b -> src/b.rs"), "{told}");
    assert!(told.contains("src/b.rs:1: crate::a::Thing -> src/a/x.rs"), "{told}");
}
