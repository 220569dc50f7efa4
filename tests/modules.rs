//! The modules of `src/` import one another without a cycle. Each file of the library is read
//! with `syn`; every `use` and every path naming a module of the crate (`crate::…`, `super::…`,
//! a child module) is an edge from the file's module to the module it names. Then, at every level
//! of the tree, the modules side by side (the files and folders of one folder) must not depend on
//! one another in a circle, counting what the modules inside each of them import: `config` and
//! `tui` may not import each other, nor `tui::screens` and `tui::widgets`, nor two screens. A
//! module and the modules inside it are one piece of the design and may use each other (a
//! folder's `mod.rs` declares and re-exports what its files define, and they use its items).
//! Test modules (`#[cfg(test)]`) are left out: they may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use syn::visit::Visit;

/// A module by its path from the crate root (`["tui", "app"]`); the root is empty.
type Module = Vec<String>;

/// Every module file of the library (the binary's `main.rs` is another crate) and its syntax.
fn read_modules(dir: &Path, at: &Module, out: &mut BTreeMap<Module, syn::File>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let mut inner = at.clone();
            inner.push(name);
            read_modules(&path, &inner, out);
            continue;
        }
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        if at.is_empty() && stem == "main" {
            continue;
        }
        let module = match stem {
            "mod" | "lib" => at.clone(),
            _ => {
                let mut m = at.clone();
                m.push(stem.to_owned());
                m
            }
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out.insert(module, file);
    }
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// The modules one file names.
struct Uses<'a> {
    known: &'a BTreeSet<Module>,
    /// The file's module, and the inline module being read (for `super`).
    file: Module,
    at: Module,
    found: BTreeSet<Module>,
}

impl Uses<'_> {
    /// The deepest module of the crate a path names, if it names one.
    fn resolve(&self, segments: &[String]) -> Option<Module> {
        let first = segments.first()?;
        let (mut module, rest) = match first.as_str() {
            "crate" => (Vec::new(), &segments[1..]),
            "self" => (self.at.clone(), &segments[1..]),
            "super" => {
                let ups = segments.iter().take_while(|s| *s == "super").count();
                let mut m = self.at.clone();
                m.truncate(m.len().saturating_sub(ups));
                (m, &segments[ups..])
            }
            child => {
                let mut m = self.at.clone();
                m.push(child.to_owned());
                if !self.known.contains(&m) {
                    return None;
                }
                (self.at.clone(), segments)
            }
        };
        for segment in rest {
            module.push(segment.clone());
            if !self.known.contains(&module) {
                module.pop();
                break;
            }
        }
        Some(module)
    }

    fn note(&mut self, segments: &[String]) {
        if let Some(module) = self.resolve(segments)
            && module != self.file
        {
            self.found.insert(module);
        }
    }
}

/// The paths of a `use` tree, each cut at its last name.
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push(path);
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push(path);
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for item in &g.items {
                use_paths(item, prefix, out);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Uses<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Impl(i) => &i.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_test(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if m.content.is_some() {
            self.at.push(m.ident.to_string());
            syn::visit::visit_item_mod(self, m);
            self.at.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut paths = Vec::new();
        use_paths(&u.tree, &mut Vec::new(), &mut paths);
        for path in paths {
            self.note(&path);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.segments.len() > 1 {
            let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            self.note(&segments);
        }
        syn::visit::visit_path(self, path);
    }
}

/// Each module and the modules it names.
fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = BTreeMap::new();
    read_modules(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &Vec::new(),
        &mut files,
    );
    let known: BTreeSet<Module> = files.keys().cloned().collect();
    files
        .iter()
        .map(|(module, file)| {
            let mut uses = Uses {
                known: &known,
                file: module.clone(),
                at: module.clone(),
                found: BTreeSet::new(),
            };
            uses.visit_file(file);
            (module.clone(), uses.found)
        })
        .collect()
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_owned()
    } else {
        module.join("::")
    }
}

/// A circle among the nodes of `edges`, if there is one (depth first, colouring).
fn circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn walk(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(found) = walk(next, edges, done, path) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| walk(node, edges, &mut done, &mut Vec::new()))
}

/// For each folder (module with modules inside), its children's dependencies on one another:
/// an edge from child A to child B when anything inside A names anything inside B.
fn levels(
    graph: &BTreeMap<Module, BTreeSet<Module>>,
) -> BTreeMap<Module, BTreeMap<String, BTreeSet<String>>> {
    let mut out: BTreeMap<Module, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, targets) in graph {
        for to in targets {
            // The deepest module holding both, and the child of it on each side.
            let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
            if common == from.len() || common == to.len() {
                continue;
            }
            let parent = from[..common].to_vec();
            let level = out.entry(parent).or_default();
            level
                .entry(from[common].clone())
                .or_default()
                .insert(to[common].clone());
        }
    }
    out
}

/// The groups of modules of one level that depend on one another in a circle: each group's
/// names, sorted (strongly connected components of more than one module).
fn knots(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(node) = todo.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|n| (n, reach(n))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for (node, from_node) in &reached {
        let knot: Vec<String> = from_node
            .iter()
            .filter(|other| reached.get(other).is_some_and(|r| r.contains(*node)))
            .cloned()
            .collect();
        if knot.len() > 1 && !out.contains(&knot) {
            out.push(knot);
        }
    }
    out
}

/// Circles that are known and owned by another issue, each to be taken off this list by the
/// change that undoes it (the test fails while an entry here no longer holds). None left: issue 13
/// took the record types out of `store` (`crate::interchange`) and what an import did out of
/// `store::import` (`store::summary`).
const KNOWN: [&str; 0] = [];

#[test]
fn no_two_modules_import_each_other() {
    let graph = graph();
    assert!(
        graph.contains_key(&vec!["tui".to_owned(), "theme".to_owned()]),
        "the walk found the modules: {:?}",
        graph.keys().collect::<Vec<_>>()
    );
    let levels = levels(&graph);
    let found: Vec<String> = levels
        .iter()
        .flat_map(|(parent, children)| {
            knots(children)
                .into_iter()
                .map(move |knot| format!("{}: {}", name(parent), knot.join(", ")))
        })
        .collect();
    let new: Vec<String> = found
        .iter()
        .filter(|f| !KNOWN.contains(&f.as_str()))
        .map(|f| {
            let parent = f.split_once(": ").map(|(p, _)| p).unwrap_or_default();
            let level = levels
                .iter()
                .find(|(p, _)| name(p) == parent)
                .map(|(_, children)| circle(children))
                .unwrap_or_default();
            format!("{f} (for one: {})", level.unwrap_or_default().join(" -> "))
        })
        .collect();
    assert!(new.is_empty(), "import cycles:\n{}", new.join("\n"));
    let undone: Vec<&str> = KNOWN
        .iter()
        .filter(|k| !found.iter().any(|f| f == *k))
        .copied()
        .collect();
    assert!(
        undone.is_empty(),
        "no longer a cycle as listed, take it off KNOWN: {undone:?} (found: {found:?})"
    );
}

#[test]
fn the_check_sees_a_cycle() {
    // config -> tui -> config, as it was before the theme stopped reading config's types.
    let module = |p: &str| -> Module { p.split("::").map(str::to_owned).collect() };
    let mut graph = BTreeMap::new();
    graph.insert(module("config"), BTreeSet::from([module("tui::theme")]));
    graph.insert(module("tui::theme"), BTreeSet::from([module("config")]));
    graph.insert(module("tui"), BTreeSet::from([module("tui::theme")]));
    let levels = levels(&graph);
    let top = &levels[&Vec::<String>::new()];
    assert_eq!(
        circle(top),
        Some(vec![
            "config".to_owned(),
            "tui".to_owned(),
            "config".to_owned()
        ])
    );
    assert_eq!(
        knots(top),
        vec![vec!["config".to_owned(), "tui".to_owned()]]
    );
    assert!(
        !levels.contains_key(&module("tui")),
        "a module may use its own"
    );
}
