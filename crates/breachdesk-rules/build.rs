//! Embeds every `rules/**/*.toml` into the crate, except `rules/vectors/` (test vectors) and
//! `rules/notices/` (the notice content checker's rules, which the core embeds).
use std::{
    env, fs,
    path::{Path, PathBuf},
};

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<_> =
        fs::read_dir(dir).expect("rules/ is readable").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "vectors" || n == "notices") {
                continue;
            }
            walk(&p, root, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            println!("cargo:rerun-if-changed={}", p.display());
            let rel = p.strip_prefix(root).expect("under root").display().to_string();
            out.push((rel, p.canonicalize().expect("path")));
        }
    }
}

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("manifest dir")).join("../../rules");
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    let mut s = String::from("&[\n");
    for (rel, abs) in files {
        s.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", abs.display().to_string()));
    }
    s.push_str("]\n");
    fs::write(PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("rules.rs"), s)
        .expect("write");
}
