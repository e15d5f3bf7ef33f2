//! A list's search index, kept inside the encrypted database: for each searchable key (name, last
//! name, e-mail, ZIP code), every record's key and number, sorted, in front-coded chunks of
//! [`CHUNK`] entries (see [`encode`]).
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
/// Keys are sorted in runs of this many as they come (on the import's keeper thread, while the
/// other stages work on the next rows); the final sort then only merges the runs.
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

/// Appends one chunk's entries, front-coded: each key as the length of the prefix it shares with
/// the key before it (none for the chunk's first), then the rest's length and bytes; then the
/// record's number, as the gap from the one before when the key repeats it (keys sort by key,
/// then number), else whole. Sorted keys share long prefixes (a ZIP code or a last name repeats
/// thousands of times, e-mail addresses share their name): at a million generated records, 30 MB
/// instead of 68.
fn encode<'a>(out: &mut Vec<u8>, entries: impl Iterator<Item = (&'a [u8], u32)>) {
    let (mut prev, mut prev_n): (Option<&[u8]>, u32) = (None, 0);
    for (key, n) in entries {
        let shared = prev.map_or(0, |p| p.iter().zip(key).take_while(|(a, b)| a == b).count());
        put_varint(out, shared as u64);
        put_varint(out, (key.len() - shared) as u64);
        out.extend_from_slice(&key[shared..]);
        // Sorted entries repeat a key with rising numbers; wrapping keeps any order round-tripping.
        let repeat = prev == Some(key);
        put_varint(out, u64::from(if repeat { n.wrapping_sub(prev_n) } else { n }));
        (prev, prev_n) = (Some(key), n);
    }
}

/// Calls `each` with the entries of one stored chunk, in order: (key, the record's number on the
/// list), until it returns false. False when `each` stopped; an error when the chunk is damaged.
fn decode(data: &[u8], each: &mut dyn FnMut(&[u8], u32) -> Result<bool>) -> Result<bool> {
    let damaged = || {
        crate::Error::Internal("the list's search index is damaged (the next import or rollback rebuilds it from the records)".into())
    };
    // The first entry shares nothing (the key before it is empty), and a first empty key counts
    // as a repeat of it with the number as the gap from 0: the number itself.
    let (mut key, mut prev_n, mut at) = (Vec::with_capacity(64), 0u32, 0);
    while at < data.len() {
        let shared = usize::try_from(get_varint(data, &mut at).ok_or_else(damaged)?)
            .map_err(|_| damaged())?;
        let len = usize::try_from(get_varint(data, &mut at).ok_or_else(damaged)?)
            .map_err(|_| damaged())?;
        let rest = data.get(at..at.saturating_add(len)).ok_or_else(damaged)?;
        if shared > key.len() {
            return Err(damaged());
        }
        let repeat = shared == key.len() && len == 0;
        key.truncate(shared);
        key.extend_from_slice(rest);
        at += len;
        let v =
            u32::try_from(get_varint(data, &mut at).ok_or_else(damaged)?).map_err(|_| damaged())?;
        let n = if repeat { prev_n.wrapping_add(v) } else { v };
        prev_n = n;
        if !each(&key, n)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Sorts one field's keys and hands them over as encoded chunks: (field, seq, first key, data).
/// False when the receiver hung up.
fn sort_and_encode(
    field: usize,
    k: &mut Keys,
    send: &std::sync::mpsc::SyncSender<(usize, usize, Vec<u8>, Vec<u8>)>,
) -> bool {
    k.sort();
    for (seq, chunk) in k.entries.chunks(CHUNK).enumerate() {
        let mut data = Vec::with_capacity(CHUNK * 16);
        encode(&mut data, chunk.iter().map(|&(off, n)| (Keys::key(&k.arena, off), n)));
        let first = Keys::key(&k.arena, chunk[0].0).to_vec();
        if send.send((field, seq, first, data)).is_err() {
            return false;
        }
    }
    true
}

/// Replaces the list's stored index with `keys` (sorting them first if they are not). Two threads
/// sort the fields and cut them into encoded chunks, the e-mail keys (the longest) on one and the
/// other three on the other, while this one writes the chunks as they come: the sorting and
/// encoding use the second core while the first encrypts and writes. (Two sorts at a time, not
/// four: each merge holds a buffer as large as its keys' entries.)
pub(crate) fn write(tx: &rusqlite::Transaction<'_>, list: i64, keys: &mut ListKeys) -> Result<()> {
    if keys.iter().any(|k| k.overflow) {
        return Err(crate::Error::Internal(
            "the list is too large for its search index (over 4 GB of keys)".into(),
        ));
    }
    tx.execute("DELETE FROM individual_search WHERE list = ?1", [list])?;
    let mut insert = tx.prepare("INSERT INTO individual_search (list, field, seq, first_key, data) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    let (email, others): (Vec<_>, Vec<_>) =
        keys.iter_mut().enumerate().partition(|(field, _)| *field == EMAIL);
    std::thread::scope(|scope| -> Result<()> {
        let (send, chunks) = std::sync::mpsc::sync_channel(16);
        // A sender that stops early does so because the writer failed: its error is reported.
        for fields in [email, others] {
            let send = send.clone();
            scope.spawn(move || {
                fields.into_iter().all(|(field, k)| sort_and_encode(field, k, &send))
            });
        }
        drop(send);
        for (field, seq, first, data) in chunks {
            insert.execute(params![
                list,
                i64::try_from(field).unwrap_or(0),
                i64::try_from(seq).unwrap_or(0),
                first,
                data
            ])?;
        }
        Ok(())
    })?;
    tx.execute("UPDATE individual_lists SET search_built = 1 WHERE list = ?1", [list])?;
    Ok(())
}

/// The list's stored keys (for an import that adds to them); its records' keys when a stored chunk
/// is damaged (the import then writes the index whole again).
pub(crate) fn load(tx: &rusqlite::Transaction<'_>, list: i64) -> Result<ListKeys> {
    let mut keys = new_keys();
    let mut stmt = tx
        .prepare("SELECT field, data FROM individual_search WHERE list = ?1 ORDER BY field, seq")?;
    let mut rows = stmt.query([list])?;
    while let Some(r) = rows.next()? {
        let field = usize::try_from(r.get::<_, i64>(0)?).unwrap_or(usize::MAX);
        let data: Vec<u8> = r.get(1)?;
        if let Some(k) = keys.get_mut(field) {
            let whole = decode(&data, &mut |key, n| {
                k.push_bytes(key, n);
                Ok(true)
            });
            if whole.is_err() {
                return from_records(tx, list); // pushing never fails: the chunk is damaged
            }
        }
    }
    Ok(keys)
}

/// A record's keys as the index holds them (no e-mail: no entry; no ZIP code: the empty key, so
/// that the ZIP order puts them first, as SQL orders NULL).
pub(crate) fn add(
    keys: &mut ListKeys,
    n: u32,
    name_key: &str,
    last_key: &str,
    email: Option<&str>,
    postal_code: Option<&str>,
) {
    keys[NAME].push(name_key, n);
    keys[LAST].push(last_key, n);
    if let Some(e) = email {
        keys[EMAIL].push(e, n);
    }
    keys[POSTAL].push(postal_code.unwrap_or(""), n);
}

/// The keys of the list's records, read from the table.
fn from_records(tx: &rusqlite::Transaction<'_>, list: i64) -> Result<ListKeys> {
    let mut keys = new_keys();
    let ids = ListIds(list);
    let mut stmt = tx.prepare("SELECT id, name_key, last_key, email, postal_code FROM individuals WHERE id BETWEEN ?1 AND ?2")?;
    let mut rows = stmt.query([ids.lo(), ids.hi()])?;
    while let Some(r) = rows.next()? {
        let (name, last, email, postal): (String, String, Option<String>, Option<String>) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        add(&mut keys, ListIds::n(r.get(0)?), &name, &last, email.as_deref(), postal.as_deref());
    }
    Ok(keys)
}

/// Rebuilds the list's index from its records (after a rollback, or for a list imported before
/// the index existed).
pub(crate) fn rebuild(tx: &rusqlite::Transaction<'_>, list: i64) -> Result<()> {
    let mut keys = from_records(tx, list)?;
    write(tx, list, &mut keys)
}

/// Builds the index of every list that has none yet (lists imported before schema 8, or
/// renumbered by schema 9) and recounts the list from its records (counts kept by schema 8 and
/// earlier still counted the data elements of records merged on review).
pub(crate) fn backfill(conn: &mut rusqlite::Connection) -> Result<()> {
    let schema8: bool = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = 'individual_search'",
        [],
        |r| r.get(0),
    )?;
    if !schema8 {
        return Ok(()); // an older migration set (tests of the migration checks)
    }
    let lists: Vec<(i64, String)> = conn
        .prepare("SELECT list, incident_id FROM individual_lists WHERE search_built = 0")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
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
pub(crate) fn scan(
    conn: &rusqlite::Connection,
    ids: ListIds,
    field: usize,
    prefix: &str,
    take: &mut dyn FnMut(i64) -> Result<bool>,
) -> Result<()> {
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
        let more = decode(&data, &mut |key, n| {
            if key.starts_with(p) {
                take(ids.id(n))
            } else {
                Ok(key < p) // before the prefix (the chunk's first entries): go on; after it: done
            }
        })?;
        if !more {
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(entries: &[(&[u8], u32)]) -> (usize, Vec<(Vec<u8>, u32)>) {
        let mut data = Vec::new();
        encode(&mut data, entries.iter().copied());
        let mut back = Vec::new();
        let whole = decode(&data, &mut |k, n| {
            back.push((k.to_vec(), n));
            Ok(true)
        })
        .expect("decodes");
        assert!(whole);
        (data.len(), back)
    }

    #[test]
    fn front_coded_chunks_round_trip() {
        let entries: Vec<(&[u8], u32)> = vec![
            (b"", 1),
            (b"", 7), // an empty key repeated: a gap from 1
            (b"a", 300),
            (b"garcia", 2),
            (b"garcia", 9),
            (b"garcia", u32::MAX),
            ("garcía".as_bytes(), 3), // shares "garc" with the key before
            (b"garcias", 0),
            ("müller".as_bytes(), u32::MAX),
        ];
        let (_, back) = round_trip(&entries);
        let want: Vec<(Vec<u8>, u32)> = entries.iter().map(|(k, n)| (k.to_vec(), *n)).collect();
        assert_eq!(back, want);
        // A chunk that starts with the empty key twice is two entries, not one repeated.
        assert_eq!(round_trip(&[(b"", 5), (b"", 6)]).1, [(b"".to_vec(), 5), (b"".to_vec(), 6)]);
        // The repeats cost little: 2,048 entries of one ZIP code, numbered 1, 3, 5, …
        let zip: Vec<(&[u8], u32)> = (0..2048).map(|i| (&b"98101"[..], 1 + 2 * i)).collect();
        let (bytes, back) = round_trip(&zip);
        assert_eq!(back.len(), 2048);
        assert!(bytes < 2048 * 4, "{bytes} bytes");
    }

    #[test]
    fn a_damaged_chunk_is_an_error_not_a_panic() {
        let mut data = Vec::new();
        encode(&mut data, [(&b"garcia"[..], 2), (&b"garcias"[..], 9)].into_iter());
        // [0, 6, "garcia", 2] then [6, 1, "s", 9]: cut anywhere but between the two entries.
        for cut in (1..data.len()).filter(|&c| c != 9) {
            assert!(decode(&data[..cut], &mut |_, _| Ok(true)).is_err(), "cut at {cut}");
        }
        // A shared prefix longer than the key before it.
        let bad = [0, 1, b'a', 1, 9, 0, 1];
        assert!(decode(&bad, &mut |_, _| Ok(true)).is_err());
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
        let got: Vec<(Vec<u8>, u32)> =
            k.entries.iter().map(|e| (Keys::key(&k.arena, e.0).to_vec(), e.1)).collect();
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
        let order: Vec<(Vec<u8>, u32)> =
            k.entries.iter().map(|e| (Keys::key(&k.arena, e.0).to_vec(), e.1)).collect();
        assert_eq!(order[0], (b"garcia".to_vec(), 2));
        assert_eq!(order[1], (b"garcia".to_vec(), 9));
        assert_eq!(order[2], ("garcía".as_bytes().to_vec(), 3));
        assert_eq!(order[3].0.len(), 254, "cut to whole characters under 255 bytes");
        assert!(std::str::from_utf8(&order[3].0).is_ok());
    }
}
