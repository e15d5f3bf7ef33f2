//! One prepared INSERT run many times with values the caller lends for the length of each call:
//! the import's row writes.
//!
//! rusqlite binds every text and blob as `SQLITE_TRANSIENT`: SQLite copies each value into memory
//! of its own before the statement runs, then frees it. At a million rows of 26 columns that is
//! about a fifth of the writer thread's time (measured with `perf`), for a copy that a statement
//! which runs at once does not need. [`BulkInsert::insert`] binds with `SQLITE_STATIC`, runs the
//! statement, then resets it and clears its bindings before it returns, so SQLite holds no
//! pointer into the caller's values once the call is over.
//!
//! This is the crate's only `unsafe` code (the workspace denies it everywhere else).
#![allow(unsafe_code)]

use crate::Result;
use rusqlite::ffi;
use std::ffi::{c_int, CStr, CString};

/// A value to bind, borrowed for one [`BulkInsert::insert`] call.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Bind<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl Bind<'_> {
    /// The value as SQLite reads it back from a STRICT table.
    pub(crate) fn value_ref(&self) -> rusqlite::types::ValueRef<'_> {
        use rusqlite::types::ValueRef as V;
        match *self {
            Bind::Null => V::Null,
            Bind::Int(i) => V::Integer(i),
            Bind::Text(t) => V::Text(t.as_bytes()),
            Bind::Blob(b) => V::Blob(b),
        }
    }
}

impl<'a> From<Option<&'a str>> for Bind<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Bind::Null, Bind::Text)
    }
}

impl From<Option<i64>> for Bind<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Bind::Null, Bind::Int)
    }
}

/// A prepared statement of `conn` that changes rows (an INSERT). It borrows the connection, so it
/// is finalized before the connection can close; it holds a raw pointer, so it stays on the
/// thread that made it.
#[derive(Debug)]
pub(crate) struct BulkInsert<'c> {
    conn: &'c rusqlite::Connection,
    stmt: *mut ffi::sqlite3_stmt,
    params: usize,
}

impl<'c> BulkInsert<'c> {
    /// Prepares one SQL statement.
    ///
    /// # Errors
    /// SQLite's error when the SQL does not prepare; an internal error when it is empty, holds
    /// more than one statement or only reads.
    pub(crate) fn prepare(conn: &'c rusqlite::Connection, sql: &str) -> Result<Self> {
        let c_sql =
            CString::new(sql).map_err(|_| crate::Error::Internal("SQL with a NUL byte".into()))?;
        let mut stmt = std::ptr::null_mut();
        let mut tail = std::ptr::null();
        // SAFETY: `conn.handle()` is the open connection, which outlives `self` (borrowed for
        // 'c); `c_sql` is NUL-terminated and lives across the call; `stmt` and `tail` are
        // out-pointers to locals.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                conn.handle(),
                c_sql.as_ptr(),
                -1,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut stmt,
                &mut tail,
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(Self::error_of(conn, rc));
        }
        // From here on `stmt` (possibly null) is finalized by Drop.
        let mut this = BulkInsert { conn, stmt, params: 0 };
        if stmt.is_null() {
            return Err(crate::Error::Internal("empty SQL".into()));
        }
        // SAFETY: `tail` points into `c_sql`'s buffer, still alive and NUL-terminated.
        let rest = unsafe { CStr::from_ptr(tail) }.to_string_lossy();
        // SAFETY: `stmt` is a valid prepared statement.
        let (read_only, returns) = unsafe {
            (ffi::sqlite3_stmt_readonly(stmt) != 0, ffi::sqlite3_column_count(stmt) != 0)
        };
        if !rest.trim().is_empty() || read_only || returns {
            return Err(crate::Error::Internal(
                "BulkInsert takes one statement that writes and returns no rows".into(),
            ));
        }
        // SAFETY: as above.
        this.params =
            usize::try_from(unsafe { ffi::sqlite3_bind_parameter_count(stmt) }).unwrap_or(0);
        Ok(this)
    }

    fn error_of(conn: &rusqlite::Connection, rc: c_int) -> crate::Error {
        // SAFETY: the connection is open; sqlite3_errmsg returns a NUL-terminated string owned by
        // SQLite, copied here before any other call on the connection.
        let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(conn.handle())) }
            .to_string_lossy()
            .into_owned();
        rusqlite::Error::SqliteFailure(ffi::Error::new(rc), Some(msg)).into()
    }

    /// Binds `values` to the parameters ?1, ?2, … in order, runs the statement once and resets it.
    ///
    /// # Errors
    /// An internal error when the number of values is not the statement's number of parameters;
    /// SQLite's error when a bind or the statement fails (a constraint, a full disk).
    pub(crate) fn insert(&mut self, values: &[Bind<'_>]) -> Result<()> {
        if values.len() != self.params {
            return Err(crate::Error::Internal(format!(
                "{} values for {} parameters",
                values.len(),
                self.params
            )));
        }
        let mut rc = ffi::SQLITE_OK;
        for (i, v) in values.iter().enumerate() {
            let ndx = c_int::try_from(i + 1).unwrap_or(c_int::MAX);
            // SAFETY: `self.stmt` is a valid statement of this thread's connection; text and blob
            // pointers stay valid until the bindings are cleared below, before this call returns
            // (`values` is borrowed for the whole call). SQLITE_STATIC tells SQLite not to copy
            // or free them. A zero-length value is bound from a static empty buffer.
            rc = unsafe {
                match *v {
                    Bind::Null => ffi::sqlite3_bind_null(self.stmt, ndx),
                    Bind::Int(n) => ffi::sqlite3_bind_int64(self.stmt, ndx, n),
                    Bind::Text(s) => {
                        let p = if s.is_empty() { c"".as_ptr() } else { s.as_ptr().cast() };
                        ffi::sqlite3_bind_text64(
                            self.stmt,
                            ndx,
                            p,
                            s.len() as u64,
                            ffi::SQLITE_STATIC(),
                            ffi::SQLITE_UTF8 as u8,
                        )
                    }
                    Bind::Blob([]) => ffi::sqlite3_bind_zeroblob(self.stmt, ndx, 0),
                    Bind::Blob(b) => ffi::sqlite3_bind_blob64(
                        self.stmt,
                        ndx,
                        b.as_ptr().cast(),
                        b.len() as u64,
                        ffi::SQLITE_STATIC(),
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                break;
            }
        }
        let mut err = None;
        if rc == ffi::SQLITE_OK {
            // SAFETY: every parameter is bound to live memory (above).
            rc = unsafe { ffi::sqlite3_step(self.stmt) };
            if rc != ffi::SQLITE_DONE {
                err = Some(if rc == ffi::SQLITE_ROW {
                    crate::Error::Internal("BulkInsert's statement returned rows".into())
                } else {
                    Self::error_of(self.conn, rc)
                });
            }
        } else {
            err = Some(Self::error_of(self.conn, rc));
        }
        // SAFETY: valid statement. After these two calls SQLite holds no pointer into `values`.
        unsafe {
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
        }
        err.map_or(Ok(()), Err)
    }
}

impl Drop for BulkInsert<'_> {
    fn drop(&mut self) {
        // SAFETY: `self.stmt` came from sqlite3_prepare_v3 on a connection that is still open
        // (borrowed for 'c) and is finalized once; finalizing null is a no-op.
        unsafe {
            ffi::sqlite3_finalize(self.stmt);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> rusqlite::Connection {
        let c = rusqlite::Connection::open_in_memory().expect("open");
        c.execute_batch("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT, c BLOB, d TEXT) STRICT")
            .expect("table");
        c
    }

    /// The statement's SQL with its current bindings, as SQLite would run it.
    fn bound(ins: &BulkInsert<'_>) -> String {
        // SAFETY: a valid statement; the returned copy is SQLite's, freed with sqlite3_free.
        unsafe {
            let p = ffi::sqlite3_expanded_sql(ins.stmt);
            let s = CStr::from_ptr(p).to_string_lossy().into_owned();
            ffi::sqlite3_free(p.cast());
            s
        }
    }

    #[test]
    fn values_are_stored_as_bound_and_no_pointer_outlives_the_call() {
        let c = conn();
        {
            let mut ins =
                BulkInsert::prepare(&c, "INSERT INTO t (a, b, c, d) VALUES (?1, ?2, ?3, ?4)")
                    .expect("prepare");
            for i in 0..3_i64 {
                // Values that live only for this iteration: SQLite must have copied what it keeps.
                let text = format!("müller {i}");
                let blob = vec![u8::try_from(i).expect("small"); 16];
                ins.insert(&[
                    Bind::Int(i),
                    Bind::Text(&text),
                    Bind::Blob(&blob),
                    Bind::from(None::<&str>),
                ])
                .expect("insert");
                // While the values still live, the statement already holds none of them.
                assert!(
                    bound(&ins).ends_with("VALUES (NULL, NULL, NULL, NULL)"),
                    "{}",
                    bound(&ins)
                );
                drop((text, blob));
            }
            ins.insert(&[Bind::Int(9), Bind::Text(""), Bind::Blob(&[]), Bind::Text("x")])
                .expect("empty values");
        }
        let rows: Vec<(i64, String, Vec<u8>, Option<String>)> = c
            .prepare("SELECT a, b, c, d FROM t ORDER BY a")
            .expect("sql")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("q")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[2], (2, "müller 2".into(), vec![2; 16], None));
        assert_eq!(
            rows[3],
            (9, String::new(), Vec::new(), Some("x".into())),
            "empty text and blob are values, not NULL"
        );
        c.flush_prepared_statement_cache();
        c.close().map_err(|(_, e)| e).expect("every statement was finalized");
    }

    #[test]
    fn errors_name_the_cause_and_leave_the_statement_usable() {
        let c = conn();
        let mut ins =
            BulkInsert::prepare(&c, "INSERT INTO t (a, b) VALUES (?1, ?2)").expect("prepare");
        ins.insert(&[Bind::Int(1), Bind::Text("a")]).expect("first");
        let dup = ins.insert(&[Bind::Int(1), Bind::Text("b")]).expect_err("same key");
        assert!(dup.to_string().contains("UNIQUE"), "{dup}");
        let wrong = ins.insert(&[Bind::Int(2)]).expect_err("one value for two");
        assert!(wrong.to_string().contains("1 values for 2 parameters"), "{wrong}");
        let strict =
            ins.insert(&[Bind::Text("not a number"), Bind::Text("c")]).expect_err("STRICT integer");
        assert!(
            strict.to_string().to_lowercase().contains("datatype")
                || strict.to_string().contains("mismatch"),
            "{strict}"
        );
        ins.insert(&[Bind::Int(2), Bind::Text("c")]).expect("usable after errors");
        assert!(BulkInsert::prepare(&c, "SELECT 1").is_err(), "a read is refused");
        assert!(
            BulkInsert::prepare(&c, "INSERT INTO t (a) VALUES (?1) RETURNING a").is_err(),
            "rows back are refused"
        );
        assert!(
            BulkInsert::prepare(&c, "INSERT INTO t (a) VALUES (1); INSERT INTO t (a) VALUES (2)")
                .is_err(),
            "one statement only"
        );
        assert!(BulkInsert::prepare(&c, "INSERT INTO nowhere VALUES (1)")
            .expect_err("no table")
            .to_string()
            .contains("nowhere"));
    }

    /// The workspace denies `unsafe`; this module is the one place that may allow it.
    #[test]
    fn no_other_source_file_allows_unsafe_code() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).expect("read dir").flatten() {
                let p = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                if p.is_dir() && !["target", "node_modules", ".git", "gen"].contains(&name.as_str())
                {
                    walk(&p, found);
                } else if name.ends_with(".rs")
                    && std::fs::read_to_string(&p)
                        .expect("read")
                        .contains(concat!("allow(", "unsafe_code)"))
                {
                    found.push(p.display().to_string());
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut found = Vec::new();
        for d in ["crates", "src-tauri/src", "tests"] {
            walk(&root.join(d), &mut found);
        }
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].ends_with("breachdesk-core/src/bulk.rs"), "{found:?}");
    }
}
