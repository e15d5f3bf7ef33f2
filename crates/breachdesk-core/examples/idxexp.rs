// Temporary experiment: CREATE INDEX cost on SQLCipher under settings.
use rusqlite::Connection;
use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let csv = &args[1];
    let variant = &args[2];
    let db = format!("/tmp/idxexp-{variant}.db");
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_file(format!("{db}-wal"));
    let conn = Connection::open(&db).unwrap();
    if !variant.contains("plain") {
        conn.execute_batch("PRAGMA key = \"x'2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99'\";").unwrap();
    }
    if variant.contains("p16") { conn.execute_batch("PRAGMA cipher_page_size = 16384; PRAGMA page_size=16384;").unwrap(); }
    if variant.contains("sha256") { conn.execute_batch("PRAGMA cipher_hmac_algorithm = HMAC_SHA256;").unwrap(); }
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).unwrap();
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;").unwrap();
    let t = Instant::now();
    conn.execute_batch("BEGIN; CREATE TABLE people (c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12)").unwrap();
    {
        let mut insert = conn.prepare("INSERT INTO people VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)").unwrap();
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(csv).unwrap();
        let mut rec = csv::StringRecord::new();
        while reader.read_record(&mut rec).unwrap() {
            insert.execute(rusqlite::params_from_iter(rec.iter())).unwrap();
        }
    }
    if !variant.contains("onetx") { conn.execute_batch("COMMIT").unwrap(); }
    let bare = t.elapsed();
    let cache = if variant.contains("bigcache") { -262144 } else { -16384 };
    let threads = if variant.contains("t0") { 0 } else { 2 };
    conn.execute_batch(&format!("PRAGMA threads = {threads}; PRAGMA cache_size = {cache};")).unwrap();
    if !variant.contains("onetx") { conn.execute_batch("BEGIN").unwrap(); }
    let mut each = Vec::new();
    if variant.contains("fts") {
        let t = Instant::now();
        let opts = if variant.contains("pfx") { ", prefix='2 3'" } else { "" };
        conn.execute_batch(&format!("CREATE VIRTUAL TABLE terms USING fts5(t, content='', detail=none{opts}); INSERT INTO terms(rowid, t) SELECT rowid, c1 || ' ' || c2 || ' ' || c8 || ' ' || c6 FROM people;")).unwrap();
        each.push(t.elapsed().as_secs_f64());
        if variant.contains("name") {
            let t = Instant::now();
            conn.execute_batch("CREATE INDEX p_name ON people (c2, c1)").unwrap();
            each.push(t.elapsed().as_secs_f64());
        }
        let t = Instant::now();
        conn.execute_batch("COMMIT").unwrap();
        println!("{variant}: bare {:.2}s built {:?} commit {:.2}s", bare.as_secs_f64(), each.iter().map(|x| format!("{x:.2}")).collect::<Vec<_>>(), t.elapsed().as_secs_f64());
        for q in ["garc*", "m*", "981*", "\"jose\" + \"garcia1*\"", "nguyen*"] {
            let t = Instant::now();
            let n: i64 = conn.query_row(&format!("SELECT count(*) FROM (SELECT rowid FROM terms WHERE terms MATCH '{q}' LIMIT 100)"), [], |r| r.get(0)).unwrap();
            println!("  {q}: {n} in {:.2} ms", t.elapsed().as_secs_f64()*1000.0);
        }
        return;
    }
    for (n, c) in [("p_name", "c1, c2"), ("p_last", "c2"), ("p_email", "c8"), ("p_zip", "c6")] {
        let t = Instant::now();
        conn.execute_batch(&format!("CREATE INDEX {n} ON people ({c})")).unwrap();
        each.push(t.elapsed().as_secs_f64());
    }
    let t = Instant::now();
    conn.execute_batch("COMMIT").unwrap();
    let commit = t.elapsed();
    println!("{variant}: bare {:.2}s indexes {:?} commit {:.2}s", bare.as_secs_f64(), each.iter().map(|x| format!("{x:.2}")).collect::<Vec<_>>(), commit.as_secs_f64());
}
