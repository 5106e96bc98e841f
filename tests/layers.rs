//! The direction of the layers, read from the sources: `domain` <- `aws` <- `store` <-
//! `market` <- `cli` / `app` <- `ui`, with `tui` gluing `app` and `ui` to the terminal.
//! Nothing above `market` names `store` or `rusqlite`; the domain names no layer above it
//! and no I/O crate. A `use` that skips a layer fails here, with the file and line.

use std::path::Path;

/// Every `.rs` file under `src/<layer>` (and `src/<layer>.rs`), with its text.
fn sources(layer: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![root.join(layer)];
    let file = root.join(format!("{layer}.rs"));
    if file.exists() {
        out.push((file.display().to_string(), std::fs::read_to_string(&file).unwrap()));
    }
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    assert!(!out.is_empty(), "no sources for {layer}");
    out
}

/// The lines of `layer` that name any of `forbidden` (comments aside).
fn offenders(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (file, text) in sources(layer) {
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if forbidden.iter().any(|f| code.contains(f)) {
                found.push(format!("{file}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn nothing_above_market_names_store_or_rusqlite() {
    for layer in ["app", "ui", "cli", "tui"] {
        let found = offenders(layer, &["crate::store", "rusqlite"]);
        assert!(found.is_empty(), "{layer} skips the market layer:\n{}", found.join("\n"));
    }
}

#[test]
fn market_reaches_sqlite_only_through_store() {
    let found = offenders("market", &["rusqlite"]);
    assert!(found.is_empty(), "market names rusqlite:\n{}", found.join("\n"));
}

#[test]
fn the_domain_and_the_aws_mapping_know_no_layer_above_them_and_no_io() {
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
    let found = offenders("domain", &above);
    assert!(found.is_empty(), "domain reaches up or out:\n{}", found.join("\n"));
    let found = offenders("aws", &above);
    assert!(found.is_empty(), "aws reaches up or out:\n{}", found.join("\n"));
}

#[test]
fn the_ui_only_draws() {
    let found = offenders("ui", &["crate::tui", "crate::cli", "std::fs", "Effect::"]);
    assert!(found.is_empty(), "ui does more than draw:\n{}", found.join("\n"));
}
