//! Embeds `migrations/NNNN_name.sql` (workspace root) into the core at build time.
use std::{env, fmt::Write as _, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../migrations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(u32, String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(&dir).expect("migrations/ exists at the workspace root") {
        let path = entry.expect("readable migrations/").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if !name.ends_with(".sql") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let (num, rest) = name
            .split_once('_')
            .unwrap_or_else(|| panic!("migration {name}: expected NNNN_name.sql"));
        let version: u32 =
            num.parse().unwrap_or_else(|_| panic!("migration {name}: expected NNNN_name.sql"));
        files.push((
            version,
            rest.trim_end_matches(".sql").to_owned(),
            path.canonicalize().expect("path"),
        ));
    }
    files.sort();
    for (i, (v, name, _)) in files.iter().enumerate() {
        assert_eq!(
            *v as usize,
            i + 1,
            "migration {name}: versions must run 1, 2, 3 … without gaps"
        );
    }
    let mut out = String::from("/// Every migration shipped with this build, in order.\npub static MIGRATIONS: &[Migration] = &[\n");
    for (v, name, path) in &files {
        writeln!(
            out,
            "    Migration {{ version: {v}, name: {name:?}, sql: include_str!({:?}) }},",
            path.display().to_string()
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    fs::write(PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("migrations.rs"), out)
        .expect("write");
    embed("templates", "j2", "seed_templates.rs");
    embed("rules/notices", "toml", "notice_rules.rs");
}

/// Embeds every `*.EXT` file of `DIR` (workspace root) as `&[(file name, text)]` in `OUT_DIR/OUT`:
/// the seed templates, the notice checker's rules.
fn embed(dir: &str, ext: &str, out_name: &str) {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, PathBuf)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| {
            println!("cargo:rerun-if-changed={}", p.display());
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            (name, p.canonicalize().expect("path"))
        })
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for (name, path) in files {
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string())
            .expect("write to string");
    }
    out.push(']');
    fs::write(PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join(out_name), out)
        .expect("write");
}
