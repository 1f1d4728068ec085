//! The house's layout, checked: the top-level modules of `src/` (a file or
//! a folder each) import each other without a cycle, so that the pipeline
//! reads from top to bottom; and no function is over 100 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Names re-exported at the crate root, by the module that defines them.
const ROOT_REEXPORTS: [(&str, &str); 7] = [
    ("Audit", "audit"),
    ("Outcome", "audit"),
    ("OutputFile", "output"),
    ("Account", "settings"),
    ("Settings", "settings"),
    ("Wording", "settings"),
    ("PartAudit", "split"),
];

/// The edges of the crate: they may use anything, nothing uses them.
const EDGES: [&str; 3] = ["lib", "main", "wasm"];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> (PathBuf, Vec<PathBuf>) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    (root, files)
}

/// The top-level module a path under `src/` belongs to.
fn top_level(root: &Path, path: &Path) -> String {
    let first = path
        .strip_prefix(root)
        .unwrap()
        .components()
        .next()
        .unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.strip_suffix(".rs").unwrap_or(&name).to_string()
}

/// The modules a line of code names through `crate::`.
fn named_modules(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or_default();
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let names: Vec<&str> = match rest.strip_prefix('{') {
            Some(list) => list
                .split('}')
                .next()
                .unwrap_or_default()
                .split(',')
                .collect(),
            None => vec![rest],
        };
        for name in names {
            let name: String = name
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let module = ROOT_REEXPORTS
                .iter()
                .find(|(item, _)| *item == name)
                .map_or(name.clone(), |(_, module)| module.to_string());
            out.push(module);
        }
    }
    out
}

fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let (root, files) = src();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in files {
        let from = top_level(&root, &path);
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for to in named_modules(line) {
                if to != from && !to.is_empty() {
                    graph.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    graph
}

#[test]
fn top_level_modules_import_each_other_without_a_cycle() {
    let graph = module_graph();
    // The pipeline's stages are all there and in order.
    assert!(graph["read"].contains("values"));
    assert!(graph["entries"].contains("read"));
    assert!(graph["rules"].contains("entries"));
    assert!(graph["split"].contains("audit"));
    for (from, to) in &graph {
        for edge in EDGES {
            assert!(
                from == edge || !to.contains(edge),
                "{from} uses the edge {edge}"
            );
        }
    }
    // Depth-first search for a path back to where it started.
    for start in graph.keys() {
        let mut stack: Vec<Vec<&str>> = vec![vec![start.as_str()]];
        while let Some(path) = stack.pop() {
            let last = *path.last().unwrap();
            for next in graph.get(last).into_iter().flatten() {
                assert!(
                    next != start,
                    "import cycle: {} -> {next}",
                    path.join(" -> ")
                );
                if !path.contains(&next.as_str()) && path.len() < graph.len() {
                    let mut longer = path.clone();
                    longer.push(next);
                    stack.push(longer);
                }
            }
        }
    }
}

/// Functions and their length in lines, by counting braces from each `fn`
/// (string and char literals and comments left out).
fn function_lengths(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let Some(at) = trimmed.find("fn ") else {
            continue;
        };
        let before = &trimmed[..at];
        if !before.split_whitespace().all(|w| {
            [
                "pub",
                "pub(crate)",
                "pub(super)",
                "const",
                "async",
                "unsafe",
            ]
            .contains(&w)
        }) {
            continue;
        }
        let name: String = trimmed[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let (mut depth, mut opened) = (0i32, false);
        for (j, body_line) in lines[i..].iter().enumerate() {
            let code = strip_literals(body_line);
            if !opened && code.trim_end().ends_with(';') {
                break;
            }
            for c in code.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if opened && depth <= 0 {
                out.push((i + 1, name.clone(), j + 1));
                break;
            }
        }
    }
    out
}

/// A line without its string literals, char literals and comment.
fn strip_literals(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                chars.next();
            }
            (true, '"') => in_string = false,
            (true, _) => {}
            (false, '"') => in_string = true,
            (false, '\'') => {
                // A char literal ('x', '\n', '{'); a lifetime has no closing quote.
                let rest: String = chars.clone().take(3).collect();
                if rest.chars().nth(1) == Some('\'') {
                    chars.nth(1);
                } else if rest.starts_with('\\') && rest.chars().nth(2) == Some('\'') {
                    chars.nth(2);
                }
            }
            (false, '/') if chars.peek() == Some(&'/') => break,
            (false, _) => out.push(c),
        }
    }
    out
}

#[test]
fn no_function_is_over_100_lines() {
    let (root, files) = src();
    let mut long = Vec::new();
    let mut counted = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (line, name, length) in function_lengths(&text) {
            counted += 1;
            if length > 100 {
                let file = path.strip_prefix(&root).unwrap().display();
                long.push(format!("src/{file}:{line} {name}: {length} lines"));
            }
        }
    }
    assert!(
        counted > 300,
        "only {counted} functions found: the counter is broken"
    );
    assert!(
        long.is_empty(),
        "functions over 100 lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_counter_counts() {
    let text = "fn a() {\n    let s = \"}\";\n    if x { y('{') }\n}\nfn b();\n";
    assert_eq!(function_lengths(text), [(1, "a".to_string(), 4)]);
}
