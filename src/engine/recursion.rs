//! Refuses recursive Rego functions before they run.
//!
//! OPA rejects recursion at compile time; regorus 0.14.1 accepts a recursive user function
//! and evaluates it on the native stack until the process aborts with a stack overflow,
//! whatever time limit is set (ENGINE.md §4). Mutual recursion between *rules* regorus
//! already detects. So before a policy is evaluated, its functions' call graph is read from
//! regorus's own parse (`Engine::get_ast_as_json`) and any cycle is an error naming the
//! function and its line: the policy fails to load, the other rules still run.
//!
//! The graph is over functions only, and calls are resolved the way Rego resolves them: a
//! bare name to the calling package, `data.…` to that path, an import alias to the imported
//! path. A name that resolves to no function defined here (a built-in such as `count`, or a
//! registered `iam.*` function) is not an edge.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// A function that calls itself, directly or through others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recursion {
    /// The file defining the first function of the cycle.
    pub path: String,
    /// Its line.
    pub line: Option<u32>,
    /// The cycle, e.g. `rules.x.f → rules.x.g → rules.x.f`.
    pub cycle: String,
}

impl Recursion {
    /// The one-line message of a policy error.
    pub(crate) fn message(&self) -> String {
        format!(
            "recursive function ({}): Rego does not allow recursion, and evaluating it would \
             exhaust the stack",
            self.cycle
        )
    }
}

/// A function definition: where it is, and the functions it calls.
#[derive(Debug, Default)]
struct Function {
    path: String,
    line: Option<u32>,
    calls: BTreeSet<String>,
}

/// The first recursive cycle among the functions of the engine's policies, if any.
pub(crate) fn find(engine: &regorus::Engine) -> Option<Recursion> {
    let ast: Value = serde_json::from_str(&engine.get_ast_as_json().ok()?).ok()?;
    let mut functions: BTreeMap<String, Function> = BTreeMap::new();
    for module in ast.as_array()? {
        let path = module["source"]["file"].as_str().unwrap_or_default();
        let ast = &module["ast"];
        let Some(package) = dotted(&ast["package"]["refr"]) else {
            continue;
        };
        let imports = imports(&ast["imports"]);
        for rule in ast["rules"].as_array().into_iter().flatten() {
            let spec = &rule["Spec"];
            let head = &spec["head"]["Func"];
            let Some(name) = dotted(&head["refr"]) else {
                continue;
            };
            let function = functions.entry(format!("{package}.{name}")).or_default();
            function.path = path.to_owned();
            function.line = function.line.or_else(|| {
                head["span"]["line"]
                    .as_u64()
                    .and_then(|l| u32::try_from(l).ok())
            });
            let mut calls = BTreeSet::new();
            collect_calls(spec, &mut calls);
            function
                .calls
                .extend(calls.iter().map(|c| resolve(c, &package, &imports)));
        }
    }
    cycle(&functions)
}

/// `import data.lib.names` → `names` ↦ `lib.names`; `import data.x as y` → `y` ↦ `x`.
fn imports(imports: &Value) -> BTreeMap<String, String> {
    imports
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|import| {
            let path = dotted(&import["refr"])?;
            let path = path.strip_prefix("data.")?.to_owned();
            let alias = import["as"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| path.rsplit('.').next().map(str::to_owned))?;
            Some((alias, path))
        })
        .collect()
}

/// The name a call refers to, as a path under `data`.
fn resolve(call: &str, package: &str, imports: &BTreeMap<String, String>) -> String {
    if let Some(rest) = call.strip_prefix("data.") {
        return rest.to_owned();
    }
    let (head, tail) = call.split_once('.').unwrap_or((call, ""));
    match (imports.get(head), tail.is_empty()) {
        (Some(path), false) => format!("{path}.{tail}"),
        (_, true) => format!("{package}.{call}"),
        // A built-in namespace such as `object.get` or `iam.scp_decision`.
        (None, false) => call.to_owned(),
    }
}

/// Every `Call` below `node`, by the dotted name of the function called.
fn collect_calls(node: &Value, calls: &mut BTreeSet<String>) {
    match node {
        Value::Object(fields) => {
            if let Some(name) = fields.get("Call").and_then(|c| dotted(&c["fcn"])) {
                calls.insert(name);
            }
            for value in fields.values() {
                collect_calls(value, calls);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_calls(item, calls);
            }
        }
        _ => {}
    }
}

/// `a.b.c` from a `Var` or a chain of `RefDot`s; `None` for anything else (`a[x]`, …).
fn dotted(node: &Value) -> Option<String> {
    if let Some(name) = node["Var"]["value"].as_str() {
        return Some(name.to_owned());
    }
    let dot = &node["RefDot"];
    let field = dot["field"].as_array()?.get(1)?.as_str()?;
    Some(format!("{}.{field}", dotted(&dot["refr"])?))
}

/// A cycle in the call graph, found by depth-first search from each function in order.
fn cycle(functions: &BTreeMap<String, Function>) -> Option<Recursion> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<'a>(
        name: &'a str,
        functions: &'a BTreeMap<String, Function>,
        marks: &mut BTreeMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        match marks.get(name) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = stack.iter().position(|n| *n == name)?;
                let mut cycle = stack[start..].to_vec();
                cycle.push(name);
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(name, Mark::Open);
        stack.push(name);
        for callee in &functions.get(name)?.calls {
            if let Some((key, _)) = functions.get_key_value(callee.as_str())
                && let Some(found) = visit(key, functions, marks, stack)
            {
                return Some(found);
            }
        }
        stack.pop();
        marks.insert(name, Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for name in functions.keys() {
        if let Some(cycle) = visit(name, functions, &mut marks, &mut Vec::new()) {
            let first = &functions[cycle[0]];
            return Some(Recursion {
                path: first.path.clone(),
                line: first.line,
                cycle: cycle.join(" → "),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(policies: &[(&str, &str)]) -> regorus::Engine {
        let mut engine = regorus::Engine::new();
        for (path, text) in policies {
            engine
                .add_policy((*path).to_owned(), (*text).to_owned())
                .expect("parses");
        }
        engine
    }

    #[test]
    fn direct_and_mutual_recursion_are_found() {
        let direct = find(&engine(&[(
            "a.rego",
            "package x\nimport rego.v1\n\nf(n) := f(n + 1)\n",
        )]))
        .expect("a cycle");
        assert_eq!(direct.cycle, "x.f → x.f");
        assert_eq!((direct.path.as_str(), direct.line), ("a.rego", Some(4)));
        let mutual = find(&engine(&[(
            "b.rego",
            "package y\nimport rego.v1\n\ng(x) := h(x)\n\nh(x) := y if {\n\ty := g(x)\n}\n",
        )]))
        .expect("a cycle");
        assert_eq!(mutual.cycle, "y.g → y.h → y.g");
        assert!(
            mutual
                .message()
                .contains("recursive function (y.g → y.h → y.g)")
        );
    }

    #[test]
    fn recursion_through_an_imported_library_is_found() {
        let found = find(&engine(&[
            (
                "lib.rego",
                "package lib.util\nimport rego.v1\n\nup(x) := data.rules.r.down(x)\n",
            ),
            (
                "rule.rego",
                "package rules.r\nimport rego.v1\nimport data.lib.util\n\ndown(x) := util.up(x)\n",
            ),
        ]))
        .expect("a cycle");
        assert_eq!(found.cycle, "lib.util.up → rules.r.down → lib.util.up");
    }

    #[test]
    fn ordinary_calls_are_not_recursion() {
        let builtin = engine(&[(
            "ok.rego",
            "package z\nimport rego.v1\nimport data.lib.names\n\n\
             f(x) := count(x)\ng(x) := f(x) + object.get({}, \"a\", 1)\n\
             h(x) := names.instance(x)\ncount2(x) := count(x)\n",
        )]);
        assert_eq!(find(&builtin), None);
    }

    #[test]
    fn the_builtin_policies_have_no_recursion() {
        let set = crate::engine::PolicySet::load(true, &[]).expect("loads");
        let mut all = regorus::Engine::new();
        for source in set
            .libraries
            .iter()
            .chain(set.rules.iter().map(|r| &r.source))
        {
            all.add_policy(source.path.clone(), source.text.clone())
                .expect("parses");
        }
        assert_eq!(find(&all), None);
    }
}
