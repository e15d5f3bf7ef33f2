//! A list's search index, kept inside the encrypted database: for each searchable key (name, last
//! name, e-mail, ZIP code), every record's key and id, sorted, in chunks of [`CHUNK`] entries.
//!
//! Why not SQLite indexes: at a million rows, four `CREATE INDEX` took 9–11 s on this kind of
//! machine (each rescans the whole table and sorts through SQLite's record comparator), more than
//! twice the time of inserting the rows. The import already holds every key as it writes the row;
//! sorting them in memory and writing them as a few hundred blobs takes a fraction of that.
//!
//! Every record of the list is in it, merged duplicates included: a search fetches each hit by id
//! and keeps only records that are not merged. An import adds its keys (merging with the list's
//! existing ones); a rollback rebuilds the list's index from the table. Keys are compared as bytes
//! (UTF-8 byte order is code-point order, SQLite's BINARY collation).

use super::ListIds;
use crate::Result;
use rusqlite::{params, OptionalExtension};

// The searchable keys, by field number: the columns name_key, last_key, email, postal_code.
pub(crate) const NAME: usize = 0;
pub(crate) const LAST: usize = 1;
pub(crate) const EMAIL: usize = 2;
pub(crate) const POSTAL: usize = 3;

/// Entries per stored chunk.
const CHUNK: usize = 2048;
/// Keys are sorted in runs of this many as they come (an import's writer has time to spare while
/// the reader cleans the next rows); the final sort then only merges the runs.
const RUN: usize = 1 << 16;
/// Longer keys are cut (at a character boundary): nobody types 255 bytes into a search box.
const MAX_KEY: usize = 255;

/// One field's keys: each as a length byte and the bytes in one arena; entries as (offset, the
/// record's number on the list), eight bytes each: 1M records' four fields in about 80 MB.
#[derive(Default)]
pub(crate) struct Keys {
    arena: Vec<u8>,
    entries: Vec<(u32, u32)>,
    /// The arena passed 4 GB (a list of billions of records).
    overflow: bool,
    /// Sorted since the last push.
    sorted: bool,
    /// Where the entries not yet sorted as a run begin, and their keys in the arena.
    run: usize,
    run_arena: usize,
}

impl Keys {
    pub(crate) fn push(&mut self, key: &str, n: u32) {
        let mut len = key.len().min(MAX_KEY);
        while !key.is_char_boundary(len) {
            len -= 1;
        }
        self.push_bytes(&key.as_bytes()[..len], n);
    }

    fn push_bytes(&mut self, key: &[u8], n: u32) {
        match (u32::try_from(self.arena.len()), u8::try_from(key.len())) {
            (Ok(off), Ok(len)) => {
                self.arena.push(len);
                self.arena.extend_from_slice(key);
                self.entries.push((off, n));
                self.sorted = false;
                if self.entries.len() - self.run >= RUN {
                    self.sort_run();
                }
            }
            _ => self.overflow = true,
        }
    }

    fn key(arena: &[u8], off: u32) -> &[u8] {
        let off = off as usize;
        &arena[off + 1..off + 1 + usize::from(arena[off])]
    }

    fn order(arena: &[u8], a: &(u32, u32), b: &(u32, u32)) -> std::cmp::Ordering {
        Self::key(arena, a.0).cmp(Self::key(arena, b.0)).then(a.1.cmp(&b.1))
    }

    /// Sorts the entries pushed since the last run, and lays their keys out in the arena in that
    /// order: the final merge then reads each run front to back instead of all over the arena.
    fn sort_run(&mut self) {
        let Keys { arena, entries, run, run_arena, overflow, .. } = self;
        let run_entries = &mut entries[*run..];
        run_entries.sort_unstable_by(|a, b| Self::order(arena, a, b));
        let mut laid = Vec::with_capacity(arena.len() - *run_arena);
        for e in run_entries.iter_mut() {
            let off = e.0 as usize;
            let end = off + 1 + usize::from(arena[off]);
            match u32::try_from(*run_arena + laid.len()) {
                Ok(o) => e.0 = o,
                Err(_) => *overflow = true,
            }
            laid.extend_from_slice(&arena[off..end]);
        }
        arena.truncate(*run_arena);
        arena.extend_from_slice(&laid);
        *run = entries.len();
        *run_arena = arena.len();
    }

    fn sort(&mut self) {
        if !self.sorted {
            self.sort_run();
            // A stable sort finds the sorted runs and merges them.
            let arena = &self.arena;
            self.entries.sort_by(|a, b| Self::order(arena, a, b));
            self.sorted = true;
        }
    }
}

/// The four fields' keys of a list.
pub(crate) type ListKeys = [Keys; 4];

/// Empty keys.
pub(crate) fn new_keys() -> ListKeys {
    std::array::from_fn(|_| Keys::default())
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(data: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// The entries of one stored chunk, in order: (key, the record's number on the list).
fn decode(data: &[u8]) -> impl Iterator<Item = (&[u8], u32)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= data.len() {
            return None;
        }
        let len = usize::try_from(get_varint(data, &mut at)?).ok()?;
        let key = data.get(at..at + len)?;
        at += len;
        let n = u32::try_from(get_varint(data, &mut at)?).ok()?;
        Some((key, n))
    })
}

/// Sorts the keys, on two cores: the e-mail keys (the longest) on one, the other three on this one.
pub(crate) fn sort(keys: &mut ListKeys) {
    let (head, tail) = keys.split_at_mut(EMAIL);
    let (email, after) = tail.split_at_mut(1);
    std::thread::scope(|s| {
        s.spawn(|| email[0].sort());
        for k in head.iter_mut().chain(after.iter_mut()) {
            k.sort();
        }
    });
}

/// Replaces the list's stored index with `keys` (sorting them first if they are not).
pub(crate) fn write(tx: &rusqlite::Transaction<'_>, list: i64, keys: &mut ListKeys) -> Result<()> {
    if keys.iter().any(|k| k.overflow) {
        return Err(crate::Error::Internal("the list is too large for its search index (over 4 GB of keys)".into()));
    }
    sort(keys);
    tx.execute("DELETE FROM individual_search WHERE list = ?1", [list])?;
    let mut insert = tx.prepare("INSERT INTO individual_search (list, field, seq, first_key, data) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    let mut data = Vec::with_capacity(CHUNK * 40);
    for (field, k) in keys.iter().enumerate() {
        for (seq, chunk) in k.entries.chunks(CHUNK).enumerate() {
            data.clear();
            for &(off, n) in chunk {
                let key = Keys::key(&k.arena, off);
                put_varint(&mut data, key.len() as u64);
                data.extend_from_slice(key);
                put_varint(&mut data, u64::from(n));
            }
            let first = Keys::key(&k.arena, chunk[0].0);
            insert.execute(params![list, i64::try_from(field).unwrap_or(0), i64::try_from(seq).unwrap_or(0), first, &data])?;
        }
    }
    tx.execute("UPDATE individual_lists SET search_built = 1 WHERE list = ?1", [list])?;
    Ok(())
}

/// The list's stored keys (for an import that adds to them).
pub(crate) fn load(tx: &rusqlite::Transaction<'_>, list: i64) -> Result<ListKeys> {
    let mut keys = new_keys();
    let mut stmt = tx.prepare("SELECT field, data FROM individual_search WHERE list = ?1 ORDER BY field, seq")?;
    let mut rows = stmt.query([list])?;
    while let Some(r) = rows.next()? {
        let field = usize::try_from(r.get::<_, i64>(0)?).unwrap_or(usize::MAX);
        let data: Vec<u8> = r.get(1)?;
        if let Some(k) = keys.get_mut(field) {
            for (key, n) in decode(&data) {
                k.push_bytes(key, n);
            }
        }
    }
    Ok(keys)
}

/// A record's keys as the index holds them (no e-mail: no entry; no ZIP code: the empty key, so
/// that the ZIP order puts them first, as SQL orders NULL).
pub(crate) fn add(keys: &mut ListKeys, n: u32, name_key: &str, last_key: &str, email: Option<&str>, postal_code: Option<&str>) {
    keys[NAME].push(name_key, n);
    keys[LAST].push(last_key, n);
    if let Some(e) = email {
        keys[EMAIL].push(e, n);
    }
    keys[POSTAL].push(postal_code.unwrap_or(""), n);
}

/// Rebuilds the list's index from its records (after a rollback, or for a list imported before
/// the index existed).
pub(crate) fn rebuild(tx: &rusqlite::Transaction<'_>, list: i64) -> Result<()> {
    let mut keys = new_keys();
    {
        let ids = ListIds(list);
        let mut stmt = tx.prepare("SELECT id, name_key, last_key, email, postal_code FROM individuals WHERE id BETWEEN ?1 AND ?2")?;
        let mut rows = stmt.query([ids.lo(), ids.hi()])?;
        while let Some(r) = rows.next()? {
            let (name, last, email, postal): (String, String, Option<String>, Option<String>) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            add(&mut keys, ListIds::n(r.get(0)?), &name, &last, email.as_deref(), postal.as_deref());
        }
    }
    write(tx, list, &mut keys)
}

/// Builds the index of every list that has none yet (lists imported before schema 8, or
/// renumbered by schema 9) and recounts the list from its records (counts kept by schema 8 and
/// earlier still counted the data elements of records merged on review).
pub(crate) fn backfill(conn: &mut rusqlite::Connection) -> Result<()> {
    let schema8: bool = conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'individual_search'", [], |r| r.get(0))?;
    if !schema8 {
        return Ok(()); // an older migration set (tests of the migration checks)
    }
    let lists: Vec<(i64, String)> =
        conn.prepare("SELECT list, incident_id FROM individual_lists WHERE search_built = 0")?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    if lists.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (list, incident) in lists {
        rebuild(&tx, list)?;
        super::rebuild_counts(&tx, &incident, ListIds(list))?;
    }
    tx.commit()?;
    Ok(())
}

/// Calls `take` with the id of every entry of `field` whose key starts with `prefix` (every entry,
/// for ""), in key order, until it returns false.
pub(crate) fn scan(conn: &rusqlite::Connection, ids: ListIds, field: usize, prefix: &str, take: &mut dyn FnMut(i64) -> Result<bool>) -> Result<()> {
    let list = ids.0;
    let field = i64::try_from(field).unwrap_or(0);
    let p = prefix.as_bytes();
    // The first entry with this prefix is in the last chunk that starts before it (or the first).
    let start: i64 = conn
        .prepare_cached("SELECT seq FROM individual_search WHERE list = ?1 AND field = ?2 AND first_key < ?3 ORDER BY first_key DESC, seq DESC LIMIT 1")?
        .query_row(params![list, field, p], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let mut stmt = conn.prepare_cached("SELECT data FROM individual_search WHERE list = ?1 AND field = ?2 AND seq >= ?3 ORDER BY seq")?;
    let mut rows = stmt.query(params![list, field, start])?;
    while let Some(r) = rows.next()? {
        let data: Vec<u8> = r.get(0)?;
        for (key, n) in decode(&data) {
            if key.starts_with(p) {
                if !take(ids.id(n))? {
                    return Ok(());
                }
            } else if key > p {
                return Ok(());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_chunks_round_trip() {
        let mut data = Vec::new();
        for (k, n) in [("", 1_u32), ("a", 300), ("müller", u32::MAX)] {
            put_varint(&mut data, k.len() as u64);
            data.extend_from_slice(k.as_bytes());
            put_varint(&mut data, u64::from(n));
        }
        let back: Vec<(Vec<u8>, u32)> = decode(&data).map(|(k, n)| (k.to_vec(), n)).collect();
        assert_eq!(back, [(b"".to_vec(), 1), (b"a".to_vec(), 300), ("müller".as_bytes().to_vec(), u32::MAX)]);
    }

    /// Keys pushed over several runs (each sorted as it fills) end in the order of one full sort.
    #[test]
    fn runs_sorted_as_they_fill_merge_into_the_full_order() {
        let mut k = Keys::default();
        let mut all = Vec::new();
        let mut x: u64 = 7;
        for n in 0..u32::try_from(3 * RUN + 5).expect("n") {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let key = format!("{:x}", x >> 50); // short keys: many repeats, ordered by number
            k.push(&key, n);
            all.push((key.into_bytes(), n));
        }
        assert_eq!(k.run, 3 * RUN, "three runs were sorted as they filled");
        k.sort();
        all.sort();
        let got: Vec<(Vec<u8>, u32)> = k.entries.iter().map(|e| (Keys::key(&k.arena, e.0).to_vec(), e.1)).collect();
        assert!(got == all, "the merged runs are in full order");
    }

    #[test]
    fn keys_sort_by_bytes_then_id_and_long_keys_are_cut_at_a_character() {
        let mut k = Keys::default();
        k.push("garcía", 3);
        k.push("garcia", 9);
        k.push("garcia", 2);
        k.push(&"é".repeat(200), 1);
        k.sort();
        let order: Vec<(Vec<u8>, u32)> = k.entries.iter().map(|e| (Keys::key(&k.arena, e.0).to_vec(), e.1)).collect();
        assert_eq!(order[0], (b"garcia".to_vec(), 2));
        assert_eq!(order[1], (b"garcia".to_vec(), 9));
        assert_eq!(order[2], ("garcía".as_bytes().to_vec(), 3));
        assert_eq!(order[3].0.len(), 254, "cut to whole characters under 255 bytes");
        assert!(std::str::from_utf8(&order[3].0).is_ok());
    }
}
