//! The crate's modules as `syn` reads them from `src/lib.rs` down: for each module (a file,
//! or a `mod x { .. }` inside one) what it defines, what its `use`s bring in, and every path
//! written in it with its line. From these: each path made absolute (for the layer rules)
//! and the file that defines what it names (for the import graph between files).
//!
//! Name resolution follows rustc where this crate needs it: `crate::`, `super::`, `self::`,
//! child modules, `use` bindings (renames, groups, `self` in groups), globs, re-exports, and
//! the paths inside macro calls whose arguments parse as expressions (`format!`, `vec!`).
//! A name it cannot place (a generic, `Self`, a crate from outside) is left as written.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Item, UseTree};

/// How many `use` hops a resolution may follow before it gives up (a `use` loop).
const MAX_HOPS: usize = 32;

struct Module {
    /// The file it lives in, as `src/app/mod.rs`.
    file: String,
    /// `["crate", "app", "form"]`.
    path: Vec<String>,
    parent: Option<usize>,
    children: BTreeMap<String, usize>,
    /// Names of the items it defines (types, functions, constants, traits, macros).
    items: BTreeSet<String>,
    /// What each name a `use` brings in stands for, written relative to this module.
    bindings: BTreeMap<String, Vec<String>>,
    /// The modules a `use ..::*` opens, written relative to this module.
    globs: Vec<Vec<String>>,
    /// Every path written here (use leaves and paths of two or more segments), with its line.
    written: Vec<(Vec<String>, usize)>,
}

/// Files that import each other, round one circle or several.
pub struct Knot {
    /// In order.
    pub files: Vec<String>,
    /// The files, one circle through them and every import among them, with lines.
    pub told: String,
}

pub struct Crate {
    modules: Vec<Module>,
}

impl Crate {
    /// The crate of this package, from `src/lib.rs`.
    pub fn read() -> Crate {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
        Crate::load(&|file: &str| std::fs::read_to_string(root.join(file)).ok())
    }

    /// A crate made of the given `(file, text)` pairs, to test the reader itself.
    #[allow(dead_code, reason = "only tests/layers.rs's own test builds a crate from text")]
    pub fn from_sources(files: &[(&str, &str)]) -> Crate {
        let files: BTreeMap<&str, &str> = files.iter().copied().collect();
        Crate::load(&|file: &str| files.get(file).map(|text| text.to_string()))
    }

    fn load(read: &dyn Fn(&str) -> Option<String>) -> Crate {
        let mut krate = Crate { modules: Vec::new() };
        let text = read("src/lib.rs").expect("src/lib.rs");
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("src/lib.rs: {e}"));
        krate.add("src/lib.rs", vec!["crate".into()], "src", None, &parsed.items, read);
        krate
    }

    /// Adds the module `path`, whose `items` live in `file` and whose `mod x;` children live
    /// under `dir`, and everything below it.
    fn add(
        &mut self,
        file: &str,
        path: Vec<String>,
        dir: &str,
        parent: Option<usize>,
        items: &[Item],
        read: &dyn Fn(&str) -> Option<String>,
    ) -> usize {
        let at = self.modules.len();
        self.modules.push(Module {
            file: file.to_string(),
            path: path.clone(),
            parent,
            children: BTreeMap::new(),
            items: BTreeSet::new(),
            bindings: BTreeMap::new(),
            globs: Vec::new(),
            written: Vec::new(),
        });
        for item in items {
            match item {
                Item::Mod(m) => {
                    let name = m.ident.to_string();
                    let child_path = [path.clone(), vec![name.clone()]].concat();
                    let child_dir = format!("{dir}/{name}");
                    let child = match &m.content {
                        Some((_, inner)) => self.add(file, child_path, &child_dir, Some(at), inner, read),
                        None => {
                            let (child_file, text) = [format!("{dir}/{name}.rs"), format!("{dir}/{name}/mod.rs")]
                                .into_iter()
                                .find_map(|f| read(&f).map(|t| (f, t)))
                                .unwrap_or_else(|| panic!("{file}: no file for `mod {name};`"));
                            let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{child_file}: {e}"));
                            self.add(&child_file, child_path, &child_dir, Some(at), &parsed.items, read)
                        }
                    };
                    self.modules[at].children.insert(name, child);
                }
                Item::Use(u) => {
                    let module = &mut self.modules[at];
                    use_tree(&u.tree, &mut Vec::new(), module);
                }
                other => {
                    if let Some(name) = item_name(other) {
                        self.modules[at].items.insert(name);
                    }
                    let mut reader = PathReader { module: &mut self.modules[at] };
                    reader.visit_item(other);
                }
            }
        }
        at
    }

    /// `path`, written in module `at`, made absolute: `["crate", ..]` for this crate, as
    /// written for anything from outside (`["std", "fs"]`, `["rusqlite", "Connection"]`).
    fn absolute(&self, at: usize, path: &[String], hops: usize) -> Vec<String> {
        let module = &self.modules[at];
        let (first, rest) = match path.split_first() {
            Some(split) if hops < MAX_HOPS => split,
            _ => return path.to_vec(),
        };
        match first.as_str() {
            "crate" => path.to_vec(),
            "::" => rest.to_vec(),
            "self" => [module.path.clone(), rest.to_vec()].concat(),
            "super" => {
                // `super::x` here is `self::x` in the parent; `super::super::x`, `super::x` there.
                let parent = module.parent.expect("`super` at the crate root");
                let from_parent = match rest.first().map(String::as_str) {
                    Some("super") => rest.to_vec(),
                    _ => [vec!["self".to_string()], rest.to_vec()].concat(),
                };
                self.absolute(parent, &from_parent, hops + 1)
            }
            name => {
                if module.children.contains_key(name) || module.items.contains(name) {
                    return [module.path.clone(), path.to_vec()].concat();
                }
                if let Some(target) = module.bindings.get(name) {
                    return [self.absolute(at, target, hops + 1), rest.to_vec()].concat();
                }
                for glob in &module.globs {
                    let opened = self.absolute(at, glob, hops + 1);
                    if let Some(m) = self.module_at(&opened)
                        && self.defines(m, name)
                    {
                        return self.absolute(m, path, hops + 1);
                    }
                }
                path.to_vec()
            }
        }
    }

    fn defines(&self, at: usize, name: &str) -> bool {
        let m = &self.modules[at];
        m.children.contains_key(name) || m.items.contains(name) || m.bindings.contains_key(name)
    }

    /// The module an absolute path names, if it names one.
    fn module_at(&self, path: &[String]) -> Option<usize> {
        let (first, rest) = path.split_first()?;
        if first != "crate" {
            return None;
        }
        rest.iter().try_fold(0, |m, name| self.modules[m].children.get(name).copied())
    }

    /// The module that defines what an absolute path names, `use`s and re-exports followed;
    /// None for anything outside the crate.
    fn defining(&self, path: &[String], hops: usize) -> Option<usize> {
        if path.first().map(String::as_str) != Some("crate") || hops >= MAX_HOPS {
            return None;
        }
        let mut at = 0;
        for (i, name) in path.iter().enumerate().skip(1) {
            let module = &self.modules[at];
            if let Some(&child) = module.children.get(name) {
                at = child;
                continue;
            }
            if module.items.contains(name) {
                return Some(at);
            }
            if let Some(target) = module.bindings.get(name) {
                let target = [self.absolute(at, target, hops + 1), path[i + 1..].to_vec()].concat();
                return self.defining(&target, hops + 1);
            }
            for glob in &module.globs {
                if let Some(m) = self.module_at(&self.absolute(at, glob, hops + 1))
                    && self.defines(m, name)
                {
                    let target = [self.modules[m].path.clone(), path[i..].to_vec()].concat();
                    return self.defining(&target, hops + 1);
                }
            }
            return Some(at);
        }
        Some(at)
    }

    /// Every path written in `layer` (`src/<layer>/..` and `src/<layer>.rs`), made absolute,
    /// with `file:line`.
    pub fn named_in<'a>(&'a self, layer: &str) -> impl Iterator<Item = (String, Vec<String>)> + 'a {
        let (dir, file) = (format!("src/{layer}/"), format!("src/{layer}.rs"));
        let modules = self.modules.iter().enumerate();
        let mine = modules.filter(move |(_, m)| m.file.starts_with(&dir) || m.file == file);
        mine.flat_map(move |(at, m)| {
            m.written.iter().map(move |(path, line)| (format!("{}:{line}", m.file), self.absolute(at, path, 0)))
        })
    }

    /// The import graph between files: for each file, the files it names, each with the
    /// first `file:line: path` that does.
    fn edges(&self) -> BTreeMap<&str, BTreeMap<&str, String>> {
        let mut edges: BTreeMap<&str, BTreeMap<&str, String>> = BTreeMap::new();
        for (at, module) in self.modules.iter().enumerate() {
            let from = module.file.as_str();
            edges.entry(from).or_default();
            for (path, line) in &module.written {
                let absolute = self.absolute(at, path, 0);
                let Some(to) = self.defining(&absolute, 0).map(|m| self.modules[m].file.as_str()) else { continue };
                if to != from {
                    let why = || format!("{from}:{line}: {}", path.join("::"));
                    edges.entry(from).or_default().entry(to).or_insert_with(why);
                }
            }
        }
        edges
    }

    /// Each set of files that import each other (a strongly connected component of the
    /// graph), told as its files and one shortest circle through the first of them.
    ///
    /// A module and the modules that contain it are one room, not two: a parent declares its
    /// children and re-exports what they offer, a child reaches its parents' items with
    /// `super::` or `crate::` (Rust's ordinary shape). Those edges are left out; a circle
    /// through siblings, cousins or layers is what "no two modules import each other" forbids.
    pub fn circles(&self) -> Vec<Knot> {
        let mut edges = self.edges();
        let files: Vec<&str> = edges.keys().copied().collect();
        for file in &files {
            let mut at = *file;
            while let Some(parent) = parent_file(at, &files) {
                edges.get_mut(file).map(|e| e.remove(parent));
                edges.get_mut(parent).map(|e| e.remove(file));
                at = parent;
            }
        }
        let mut told = Vec::new();
        for component in components(&edges) {
            let start = component[0];
            let circle = shortest_circle(&edges, start);
            let steps: Vec<String> =
                circle.windows(2).map(|pair| format!("  {} -> {}", edges[pair[0]][pair[1]], pair[1])).collect();
            let within: Vec<String> = component
                .iter()
                .flat_map(|from| edges[from].iter().filter(|(to, _)| component.contains(to)))
                .map(|(to, why)| format!("  {why} -> {to}"))
                .collect();
            told.push(Knot {
                files: component.iter().map(|f| f.to_string()).collect(),
                told: format!(
                    "{}\n a circle:\n{}\n every import inside:\n{}",
                    component.join(" <-> "),
                    steps.join("\n"),
                    within.join("\n")
                ),
            });
        }
        told
    }
}

/// The file that declares `file`'s module (`src/app/form/picker.rs` -> `src/app/form/mod.rs`,
/// `src/aws/import/offer.rs` -> `src/aws/import.rs`, `src/app/mod.rs` -> `src/lib.rs`); a
/// folder with no file of its own (`market/seed/`, declared inline by `market/mod.rs`) is
/// passed through to the one above.
fn parent_file<'a>(file: &str, files: &[&'a str]) -> Option<&'a str> {
    let path = std::path::Path::new(file);
    let mut dir = if path.file_name()? == "mod.rs" { path.parent()?.parent()? } else { path.parent()? };
    loop {
        let d = dir.to_str()?;
        let candidates =
            if d == "src" { vec!["src/lib.rs".to_owned()] } else { vec![format!("{d}/mod.rs"), format!("{d}.rs")] };
        if let Some(found) = files.iter().copied().find(|f| candidates.iter().any(|c| c == f)) {
            // The crate's root has no parent.
            return (found != file).then_some(found);
        }
        dir = dir.parent()?;
    }
}

/// The name an item defines in its module's namespace, if any.
fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(i) => &i.ident,
        Item::Enum(i) => &i.ident,
        Item::Fn(i) => &i.sig.ident,
        Item::Macro(i) => i.ident.as_ref()?,
        Item::Static(i) => &i.ident,
        Item::Struct(i) => &i.ident,
        Item::Trait(i) => &i.ident,
        Item::TraitAlias(i) => &i.ident,
        Item::Type(i) => &i.ident,
        Item::Union(i) => &i.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// Records what a `use` tree brings into `module` and the paths it names.
fn use_tree(tree: &UseTree, prefix: &mut Vec<String>, module: &mut Module) {
    let line = |ident: &syn::Ident| ident.span().start().line;
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_tree(&p.tree, prefix, module);
            prefix.pop();
        }
        UseTree::Name(n) => bind(module, prefix, &n.ident.to_string(), None, line(&n.ident)),
        UseTree::Rename(r) => bind(module, prefix, &r.ident.to_string(), Some(r.rename.to_string()), line(&r.ident)),
        UseTree::Glob(g) => {
            module.globs.push(prefix.clone());
            module.written.push((prefix.clone(), g.star_token.spans[0].start().line));
        }
        UseTree::Group(g) => g.items.iter().for_each(|t| use_tree(t, prefix, module)),
    }
}

/// `use prefix::name [as rename]`: `self` in a group names the prefix itself.
fn bind(module: &mut Module, prefix: &[String], name: &str, rename: Option<String>, line: usize) {
    let path = if name == "self" { prefix.to_vec() } else { [prefix, &[name.to_string()]].concat() };
    let bound = rename.unwrap_or_else(|| path.last().cloned().unwrap_or_default());
    if bound != "_" {
        module.bindings.insert(bound, path.clone());
    }
    module.written.push((path, line));
}

/// Gathers the paths of an item's body into its module: `use`s inside functions bind there
/// too, and macro calls are read when their arguments parse as expressions.
struct PathReader<'m> {
    module: &'m mut Module,
}

impl<'ast> Visit<'ast> for PathReader<'_> {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        use_tree(&u.tree, &mut Vec::new(), self.module);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.segments.len() >= 2 || path.leading_colon.is_some() {
            let mut written: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            if path.leading_colon.is_some() {
                written.insert(0, "::".into());
            }
            let line = path.segments[0].ident.span().start().line;
            self.module.written.push((written, line));
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        let args = mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated);
        if let Ok(args) = args {
            args.iter().for_each(|arg| self.visit_expr(arg));
        }
    }
}

/// The strongly connected components of more than one file (Tarjan), each sorted, in order.
fn components<'a>(edges: &BTreeMap<&'a str, BTreeMap<&'a str, String>>) -> Vec<Vec<&'a str>> {
    struct Walk<'a, 'e> {
        edges: &'e BTreeMap<&'a str, BTreeMap<&'a str, String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<&'a str>>,
    }
    impl<'a> Walk<'a, '_> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for &w in self.edges.get(v).into_iter().flat_map(|e| e.keys()) {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    self.low.insert(v, self.low[v].min(self.low[w]));
                } else if self.on_stack.contains(w) {
                    self.low.insert(v, self.low[v].min(self.index[w]));
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for &v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found.sort();
    walk.found
}

/// The shortest way from `start` back to itself, both ends included (breadth first).
fn shortest_circle<'a>(edges: &BTreeMap<&'a str, BTreeMap<&'a str, String>>, start: &'a str) -> Vec<&'a str> {
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in edges.get(v).into_iter().flat_map(|e| e.keys()) {
            if w == start {
                // Back from v to start (the only node without a predecessor), then close.
                let mut circle = vec![v];
                while let Some(&before) = came_from.get(circle[circle.len() - 1]) {
                    circle.push(before);
                }
                circle.reverse();
                circle.push(start);
                return circle;
            }
            if w != start && !came_from.contains_key(w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![start]
}
