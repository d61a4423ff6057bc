use std::time::Instant;
use connect_guard::facts::Facts;
use connect_guard::params::Params;
use connect_guard::scan::{InputScope, rego_input_with_baseline};
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args[1].parse().unwrap();
    let snapshot = connect_guard::synthetic::organization(n, 42);
    let params = Params::default();
    let t = Instant::now();
    let facts = Facts::derive(&snapshot, &params);
    eprintln!("facts {:?} decisions {}", t.elapsed(), facts.scp_decisions.len());
    if std::env::var_os("SIZES").is_some() { sizes(&facts); }
    let t = Instant::now();
    let input = rego_input_with_baseline(&snapshot, &facts, None, InputScope::WithoutAccounts);
    eprintln!("input {:?}", t.elapsed());
    let config = regorus::Value::from(serde_json::to_value(&params).unwrap());
    for file in &args[2..] {
        let text = std::fs::read_to_string(file).unwrap();
        let mut engine = regorus::Engine::new();
        let ctx = std::sync::Arc::new(connect_guard::engine::extensions::ExtensionContext::new(&snapshot.organization));
        connect_guard::engine::extensions::register(&mut engine, Some(&ctx)).unwrap();
        for lib in ["policies/lib/decisions.rego", "policies/lib/names.rego"] {
            engine.add_policy(lib.into(), std::fs::read_to_string(lib).unwrap()).unwrap();
        }
        let mut data = std::collections::BTreeMap::new();
        data.insert(regorus::Value::from("config"), config.clone());
        engine.add_data(regorus::Value::from(data)).unwrap();
        engine.set_input(input.clone());
        let pkg = text.lines().next().unwrap().trim_start_matches("package ").to_owned();
        engine.add_policy(file.clone(), text).unwrap();
        let t = Instant::now();
        let v = engine.eval_rule(format!("data.{pkg}.deny")).unwrap();
        let e = t.elapsed();
        let n = match &v { regorus::Value::Set(s) => s.len(), _ => 0 };
        let t = Instant::now();
        let j = serde_json::to_value(&v).unwrap();
        eprintln!("{file}: eval {:?} ({n}) to_json {:?}", e, t.elapsed());
        drop(j);
    }
}
#[allow(dead_code)]
fn sizes(facts: &Facts) {
    let v = serde_json::to_value(facts).unwrap();
    for (k, x) in v.as_object().unwrap() {
        eprintln!("{k}: {} bytes", serde_json::to_string(x).unwrap().len());
    }
}
