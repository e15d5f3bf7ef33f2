#!/usr/bin/env python3
"""Red-team run of a release `breachdesk` binary: the failure classes of issue 13, each tried a
number of times, every try counted as passed or failed. Run it on two builds (before and after a
change) to fill the before/after table:

    tools/redteam.py target/release/breachdesk [--quick] [--only AREA,AREA] [--json FILE]

It needs nothing but Python 3 and the binary (passphrase mode: no keyring). Every person in the
files it makes is invented. A try fails when the binary crashes (exit 101, a signal), reports an
internal error (exit 2) where a plain answer was due, takes longer or more memory than stated,
loses or half-writes data, or leaves plaintext behind. Figures (time, peak memory) are printed
for the hostile workbooks.
"""

import argparse
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib

PASS = "correct horse battery staple"
ENV = dict(os.environ, BD_PASS=PASS)
for k in ("BREACHDESK_DATA_DIR", "BREACHDESK_ACTOR", "BREACHDESK_FAILPOINT"):
    ENV.pop(k, None)


class Run:
    def __init__(self, code, out, err, secs, rss_mb):
        self.code, self.out, self.err, self.secs, self.rss_mb = code, out, err, secs, rss_mb

    @property
    def crashed(self):
        return self.code in (101, 134) or self.code < 0

    def __repr__(self):
        return f"exit {self.code} in {self.secs:.1f} s, {self.rss_mb:.0f} MB: {self.err.strip()[:200]!r}"


# Every process runs in the run's own temporary folder: nothing it writes lands elsewhere.
CWD = None


def run(cmd, timeout=120, stdin=None, env=ENV):
    """Runs cmd; its exit code (negative: killed by that signal; -999: timed out), output, seconds
    and peak RSS. The peak is measured by GNU time around the command: Linux keeps a process's
    peak across fork and exec, so a child forked from this (large) Python process would report
    Python's own size."""
    t = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as usage:
        p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", usage.name] + cmd, stdout=out, stderr=err, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL, env=env, cwd=CWD, start_new_session=True)
        if stdin is not None:
            try:
                p.stdin.write(stdin)
                p.stdin.close()
            except BrokenPipeError:
                pass
        try:
            p.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            timed_out = True
        secs = time.monotonic() - t
        lines = usage.read().split("\n")
        code = p.returncode
        for line in lines:
            if line.startswith("Command terminated by signal"):
                code = -int(line.split()[-1])
            elif line.startswith("Command exited with non-zero status"):
                code = int(line.split()[-1])
        kb = next((int(x) for x in reversed(lines) if x.strip().isdigit()), 0)
        out.seek(0)
        err.seek(0)
        return Run(-999 if timed_out else code, out.read().decode(errors="replace"), err.read().decode(errors="replace"), secs, kb / 1024)


class Box:
    """One data directory in passphrase mode, with one incident."""

    def __init__(self, binary, root, name="d"):
        self.binary, self.dir = binary, os.path.join(root, name)
        self.root = root

    def cmd(self, *args, json_out=False):
        c = [self.binary, "--data-dir", self.dir, "--passphrase-env", "BD_PASS", "--actor", "Red Team"]
        if json_out:
            c.append("--json")
        return c + list(args)

    def __call__(self, *args, json_out=False, timeout=120, stdin=None):
        return run(self.cmd(*args, json_out=json_out), timeout=timeout, stdin=stdin)

    def init(self):
        r = self("init")
        assert r.code == 0, f"init: {r}"
        r = self("incident", "new", "--title", "Portal breach", "--severity", "SEV-1", "--timezone", "America/New_York", "--detected-at", "2026-03-02T10:00", json_out=True)
        assert r.code == 0, f"incident new: {r}"
        self.inc = json.loads(r.out)["human_id"]
        return self

    def json(self, *args):
        r = self(*args, json_out=True)
        if r.code != 0:
            raise RuntimeError(f"{args}: {r}")
        return json.loads(r.out)

    def consistent(self):
        """Whether the stored counts, facts and obligations agree (what a crash between
        transactions breaks): facts' affected total = the list's count; the obligations in scope
        = what the engine computes from the stored facts."""
        try:
            counts = self.json("individuals", "counts", self.inc)
            facts = self.json("facts", "show", self.inc)
            stored = {o["rule_id"] for o in self.json("obligations", "list", self.inc) if o.get("in_scope", True) and not o["rule_id"].startswith("CUSTOM")}
            computed = {o["rule_id"] for o in self.json("clocks", self.inc)["obligations"]}
        except (RuntimeError, json.JSONDecodeError) as e:
            return False, f"unreadable: {e}"
        total = sum(facts.get("affected", {}).values())
        if total != counts["total"]:
            return False, f"facts say {total} affected, the list has {counts['total']}"
        if stored != computed:
            return False, f"{len(stored)} obligations in scope, the engine computes {len(computed)}"
        return True, ""


def generate_csv(binary, path, rows, seed=1):
    r = run([binary, "individuals", "generate", "--rows", str(rows), "--seed", str(seed), "-o", path], env=ENV)
    assert r.code == 0, r


class Tally:
    def __init__(self):
        self.rows = []  # (area, tries, passed, failed, notes)

    def area(self, name):
        return Area(self, name)


class Area:
    def __init__(self, tally, name):
        self.tally, self.name, self.tries, self.passed, self.notes = tally, name, 0, 0, []

    def check(self, ok, note=""):
        self.tries += 1
        self.passed += bool(ok)
        if not ok and note and len(self.notes) < 3:
            self.notes.append(note)

    def __enter__(self):
        print(f"== {self.name}", file=sys.stderr, flush=True)
        return self

    def __exit__(self, kind, value, tb):
        if kind is not None:
            self.check(False, f"the scenario itself failed: {value}")
        self.tally.rows.append((self.name, self.tries, self.passed, self.tries - self.passed, self.notes))
        print(f"   {self.passed}/{self.tries} passed {'; '.join(self.notes)}", file=sys.stderr, flush=True)
        return True


def timestamps(b, root, t):
    with t.area("1. out-of-range timestamps") as a:
        for value in ["+10000-01-01T00:00", "-0001-06-01T00:00", "262142-01-01T00:00", "2200-01-01T00:00", "1969-12-31T23:00"]:
            for write in (["incident", "update", None, f"--aware-at={value}"], ["incident", "update", None, f"--occurred-at={value}"], ["timeline", "add", None, "--kind", "note", f"--at={value}", "--description", "x"]):
                box = Box(b, root, f"ts{random.random()}").init()
                write = [box.inc if x is None else x for x in write]
                w = box(*write)
                reads = [box("incident", "list"), box("incident", "show", box.inc), box("obligations", "list", box.inc), box("timeline", "list", box.inc)]
                bad = [r for r in reads if r.code != 0]
                a.check(not w.crashed and w.code != 2 and not bad, f"{value}: {bad[0] if bad else w}")
                shutil.rmtree(box.dir, ignore_errors=True)


def crash_gaps(b, root, t, quick):
    with t.area("2. kill -9 mid-action: counts, facts and obligations agree") as a:
        box = Box(b, root, "crash").init()
        people = os.path.join(root, "people.csv")
        generate_csv(b, people, 30_000 if quick else 100_000)
        # How long one import takes, to kill inside it.
        first = box("individuals", "import", box.inc, people, "--skip-invalid")
        assert first.code == 0, first
        box("individuals", "rollback", box.inc, "--yes")
        span = max(first.secs, 0.5)
        tries = 6 if quick else 20
        for i in range(tries):
            p = subprocess.Popen(box.cmd("individuals", "import", box.inc, people, "--skip-invalid"), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Most kills near the end, where the import commits and the counts, facts and
            # obligations follow.
            time.sleep(span * (0.85 + random.random() * 0.3) if i % 4 else span * random.random())
            p.send_signal(signal.SIGKILL)
            p.wait()
            ok, why = box.consistent()
            a.check(ok, f"import killed: {why}")
        facts = [os.path.join(root, f"facts{i}.json") for i in range(2)]
        for i, f in enumerate(facts):
            with open(f, "w") as fh:
                json.dump({"hipaa_role": "covered_entity" if i else None, "data_types": ["name", "ssn"], "affected": {"US-CA": 600 + i, "US-NY": 40}}, fh)
        for i in range(4 if quick else 10):
            p = subprocess.Popen(box.cmd("facts", "set", box.inc, facts[i % 2]), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.35 + random.random() * 0.25)
            p.send_signal(signal.SIGKILL)
            p.wait()
            ok, why = box.consistent()
            a.check(ok, f"facts set killed: {why}")
        for i in range(4 if quick else 10):
            p = subprocess.Popen(box.cmd("incident", "update", box.inc, "--detected-at", f"2026-03-0{1 + i % 2}T10:00"), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.35 + random.random() * 0.25)
            p.send_signal(signal.SIGKILL)
            p.wait()
            ok, why = box.consistent()
            a.check(ok, f"update killed: {why}")


def concurrency(b, root, t, quick):
    with t.area("5. two writers at once") as a:
        box = Box(b, root, "conc").init()
        for i in range(6 if quick else 20):
            ps = [subprocess.Popen(box.cmd("incident", "update", box.inc, *args), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for args in (["--title", f"Title {i}"], ["--summary", f"Summary {i}"])]
            codes = [p.wait() for p in ps]
            inc = box.json("incident", "show", box.inc)["incident"]
            a.check(codes == [0, 0] and inc["title"] == f"Title {i}" and inc["summary"] == f"Summary {i}", f"updates: exits {codes}, title {inc['title']!r}, summary {inc['summary']!r}")
        people = [os.path.join(root, f"c{i}.csv") for i in range(2)]
        for i, p in enumerate(people):
            generate_csv(b, p, 20_000, seed=10 + i)
        for i in range(2 if quick else 4):
            ps = [subprocess.Popen(box.cmd("individuals", "import", box.inc, p, "--skip-invalid"), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for p in people]
            res = [(p.wait(), p.stderr.read().decode(errors="replace")) for p in ps]
            a.check(all(c == 0 for c, _ in res), f"imports: {res}")
        for i in range(4 if quick else 10):
            ps = [subprocess.Popen(box.cmd("incident", "new", "--title", f"New {i}{k}", "--severity", "SEV-2", "--timezone", "UTC", "--detected-at", "2026-05-01T10:00", "--json"), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for k in range(2)]
            res = [(p.wait(), p.stdout.read(), p.stderr.read().decode(errors="replace")) for p in ps]
            ids = {json.loads(o)["human_id"] for c, o, _ in res if c == 0}
            a.check(len(ids) == 2, f"incident new: {[(c, e) for c, _, e in res]}")
        big = os.path.join(root, "big.csv")
        generate_csv(b, big, 200_000 if not quick else 80_000, seed=3)
        for i in range(1 if quick else 3):
            imp = subprocess.Popen(box.cmd("individuals", "import", box.inc, big, "--skip-invalid"), env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.8)
            w = box("incident", "update", box.inc, "--title", f"Behind {i}")
            imp.wait()
            a.check(w.code == 0 or (w.code == 1 and "internal error" not in w.err), f"write behind an import: {w}")


def exports(b, root, t):
    with t.area("6. exports leave no plaintext behind") as a:
        box = Box(b, root, "exp").init()
        people = os.path.join(root, "e.csv")
        generate_csv(b, people, 200)
        box("individuals", "import", box.inc, people, "--skip-invalid")
        out = os.path.join(root, "out")
        os.makedirs(os.path.join(out, "somedir"))
        before = set(os.listdir(out))
        r = box("individuals", "export", box.inc, "-o", os.path.join(out, "somedir") + "/")
        left = set(os.listdir(out)) - before
        a.check(r.code == 1 and not left and not os.listdir(os.path.join(out, "somedir")), f"-o somedir/: {r}; left {left}")
        notes = os.path.join(out, "notes.partial")
        with open(notes, "w") as fh:
            fh.write("my own notes")
        r = box("individuals", "export", box.inc, "-o", os.path.join(out, "notes.csv"))
        kept = os.path.exists(notes) and open(notes).read() == "my own notes"
        a.check(r.code == 0 and kept, f"the user's notes.partial {'kept' if kept else 'overwritten or removed'}: {r}")
        p = subprocess.Popen(box.cmd("individuals", "export", box.inc), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.readline()
        p.stdout.close()
        code = p.wait()
        err = p.stderr.read().decode(errors="replace")
        a.check(code == 0 and "error" not in err.lower(), f"export | head: exit {code} {err[:120]!r}")
        mode = stat.S_IMODE(os.stat(os.path.join(out, "notes.csv")).st_mode)
        a.check(mode & 0o077 == 0, f"export file mode {oct(mode)}")


def custody(b, root, t):
    with t.area("7. key custody under faults") as a:
        def damaged(name, change, expect_not=None, expect=None):
            box = Box(b, root, f"cus-{name}").init()
            path = os.path.join(box.dir, "custody.json")
            change(path, box)
            r = box("incident", "list", timeout=30)
            ok = r.code == 1 and r.secs < 20 and r.rss_mb < 1024
            if expect_not and expect_not in r.err:
                ok = False
            if expect and expect not in r.err.lower():
                ok = False
            a.check(ok, f"{name}: {r}")
            shutil.rmtree(box.dir, ignore_errors=True)

        def edit(f):
            def change(path, box):
                doc = json.load(open(path))
                f(doc)
                json.dump(doc, open(path, "w"))
            return change

        damaged("m_cost 32 GiB", edit(lambda d: d["wrapped"].update(m_cost_kib=32 * 1024 * 1024)))
        damaged("t_cost 2^32-1", edit(lambda d: d["wrapped"].update(t_cost=4294967295)))
        damaged("format 99", edit(lambda d: d.update(format=99)))
        damaged("salt damaged", edit(lambda d: d["wrapped"].update(salt="00" * 16)), expect_not="wrong passphrase")
        damaged("ciphertext damaged", edit(lambda d: d["wrapped"].update(ciphertext="11" + d["wrapped"]["ciphertext"][2:])), expect_not="wrong passphrase")
        damaged("custody.json deleted", lambda path, box: os.remove(path), expect="custody")
        # A planted temporary-file symlink is not followed by a re-key.
        box = Box(b, root, "cus-link").init()
        victim = os.path.join(root, "victim.txt")
        with open(victim, "w") as fh:
            fh.write("do not touch")
        os.symlink(victim, os.path.join(box.dir, ".custody.json.tmp"))
        box("key", "rekey")
        a.check(open(victim).read() == "do not touch", "the .custody.json.tmp symlink was followed")


def wal(b, root, t):
    with t.area("8. a lost -wal") as a:
        people = os.path.join(root, "w.csv")
        generate_csv(b, people, 5000)
        for i in range(3):
            box = Box(b, root, f"wal{i}").init()
            box("individuals", "import", box.inc, people, "--skip-invalid")
            # A reader keeps its snapshot (an export blocked on a full pipe, as the app holds the
            # store open): the commits after it stay in the -wal.
            reader = subprocess.Popen(box.cmd("individuals", "export", box.inc), env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            time.sleep(1.0)
            for k in range(3):
                box("timeline", "add", box.inc, "--kind", "note", "--at", f"2026-03-02T1{k}:00", "--description", f"entry {k}")
            copy = os.path.join(root, f"wal{i}-copy")
            os.makedirs(copy)
            for f in os.listdir(box.dir):
                if not f.endswith("-wal") and not f.endswith("-shm") and not f.endswith(".lock"):
                    shutil.copy2(os.path.join(box.dir, f), copy)
            reader.kill()
            reader.wait()
            c = Box(b, root, f"wal{i}-copy")
            r = c("timeline", "list", box.inc, json_out=True)
            notes = sum(1 for e in json.loads(r.out) if e.get("kind") == "note") if r.code == 0 else -1
            went_back = r.code == 1 and "back" in r.err
            a.check(went_back or notes == 3, f"copy without -wal: {r} ({notes} of 3 entries)")


def two_inits(b, root, t):
    with t.area("9. two inits at once") as a:
        for i in range(6):
            d = os.path.join(root, f"init{i}")
            ps = [subprocess.Popen([b, "--data-dir", d, "--passphrase-env", "BD_PASS", "init"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
            codes = sorted(p.wait() for p in ps)
            opens = run([b, "--data-dir", d, "--passphrase-env", "BD_PASS", "incident", "list"]).code == 0
            a.check(codes == [0, 1] and opens, f"exits {codes}, opens afterwards: {opens}")


def extremes(b, root, t):
    with t.area("10. clocks at chrono's extremes") as a:
        for at in ["262142-01-01T00:00:00", "+10000-01-01T00:00:00", "-0001-06-01T00:00:00", "1970-01-01T00:00:00"]:
            f = os.path.join(root, "facts.json")
            with open(f, "w") as fh:
                json.dump({"timezone": "America/New_York", "discovered_at": at, "affected": {"US-CA": 1000}, "data_types": ["ssn"]}, fh)
            r = run([b, "clocks", "--facts", f])
            a.check(r.code in (0, 1), f"{at}: {r}")


def wide_csv(b, root, t, quick):
    with t.area("11. a CSV header of 100,000 columns") as a:
        box = Box(b, root, "wide").init()
        f = os.path.join(root, "wide.csv")
        with open(f, "w") as fh:
            fh.write(",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("x" for _ in range(100_000)) + "\n")
        r = box("individuals", "import", box.inc, f, "--dry-run", timeout=60)
        a.check(r.code == 1 and r.secs < 5, f"{r}")


def terminal(b, root, t):
    with t.area("12. untrusted text on the terminal") as a:
        box = Box(b, root, "term").init()
        f = os.path.join(root, "esc.csv")
        with open(f, "w") as fh:
            fh.write("First Name,Last Name,State\nMallory,\x1b]0;pwned\x07Evil\x1b[2J,TX\nAlice,Smith,TX\n")
        box("individuals", "import", box.inc, f, "--skip-invalid")
        s = box("individuals", "search", box.inc, "Mall")
        e = box("individuals", "export", box.inc)
        a.check("\x1b" not in s.out and "\x1b" not in e.out, "escape sequences printed raw")
        r = box("incident", "update", box.inc, "--title", "Invoice \u202egnp.exe")
        l = box("incident", "list")
        a.check(r.code == 1 or "\u202e" not in l.out, f"U+202E in a title: {r}")


def files(b, root, t):
    with t.area("13. errors and files") as a:
        box = Box(b, root, "files").init()
        r = box("check")
        a.check(r.code == 0, f"breachdesk check: {r}")
        ro = os.path.join(root, "readonly")
        shutil.copytree(box.dir, ro)
        for f in os.listdir(ro):
            os.chmod(os.path.join(ro, f), 0o400)
        os.chmod(ro, 0o500)
        c = Box(b, root, "readonly")
        r1, r2 = c("incident", "list"), c("audit", "verify")
        a.check(r1.code == 0 and r2.code == 0, f"read-only copy: {r1} / {r2}")
        os.chmod(ro, 0o700)
        dmode = stat.S_IMODE(os.stat(box.dir).st_mode)
        fmodes = {f: stat.S_IMODE(os.stat(os.path.join(box.dir, f)).st_mode) for f in os.listdir(box.dir)}
        a.check(dmode == 0o700 and all(m & 0o077 == 0 for m in fmodes.values()), f"modes: dir {oct(dmode)}, files {[(k, oct(v)) for k, v in fmodes.items()]}")
        fifo = os.path.join(root, "pipe.csv")
        os.mkfifo(fifo)
        r = box("individuals", "import", box.inc, fifo, timeout=10)
        a.check(r.code == 1, f"a FIFO as input: {r}")
        big = os.path.join(root, "huge.json")
        with open(big, "wb") as fh:
            fh.truncate(2 << 30)
        r = run([b, "clocks", "--facts", big], timeout=30)
        a.check(r.code == 1 and r.rss_mb < 512, f"a 2 GB facts file: {r}")


def xlsx_file(path, sheet_chunks, strings_chunks=None):
    """Writes a workbook whose sheet (and shared strings) come from iterators of byte chunks."""
    ct = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    rels = b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    wb = b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
    wbrels = b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wbrels)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as s:
            for c in sheet_chunks:
                s.write(c)
        if strings_chunks is not None:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as s:
                for c in strings_chunks:
                    s.write(c)


SHEET_HEAD = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = b"</sheetData></worksheet>"
HEADER_ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>First Name</t></is></c><c r="B1" t="inlineStr"><is><t>Last Name</t></is></c><c r="C1" t="inlineStr"><is><t>State</t></is></c></row>'


def hostile_xlsx(b, root, t, quick, figures):
    with t.area("4. hostile XLSX files") as a:
        box = Box(b, root, "xlsx").init()
        cases = []
        p = os.path.join(root, "index.xlsx")
        xlsx_file(p, [SHEET_HEAD, HEADER_ROW, b'<row r="2"><c r="A2" t="s"><v>99</v></c><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c></row>', SHEET_TAIL], [b"<sst><si><t>Lovelace</t></si><si><t>TX</t></si></sst>"])
        cases.append(("shared-string index out of range", p, 60, 1024))
        p = os.path.join(root, "corner.xlsx")
        xlsx_file(p, [SHEET_HEAD.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>'), HEADER_ROW, b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>', SHEET_TAIL])
        cases.append(("one cell at XFD1048576 (4 KB)", p, 60, 1024))
        p = os.path.join(root, "bomb.xlsx")
        size = (256 << 20) if quick else (4 << 30)

        def bomb():
            yield b"<sst><si><t>"
            chunk = b"a" * (1 << 20)
            for _ in range(size >> 20):
                yield chunk
            yield b"</t></si></sst>"

        xlsx_file(p, [SHEET_HEAD, HEADER_ROW, b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>', SHEET_TAIL], bomb())
        cases.append((f"shared strings inflating to one {size >> 20} MB string ({os.path.getsize(p) >> 10} KB file)", p, 120, 1024))
        p = os.path.join(root, "empty-rows.xlsx")
        n = 1_000_000 if quick else 5_000_000

        def rows():
            yield SHEET_HEAD + HEADER_ROW
            for start in range(2, n + 2, 100_000):
                yield b"".join(b'<row r="%d"/>' % r for r in range(start, min(start + 100_000, n + 2)))
            yield SHEET_TAIL

        xlsx_file(p, rows())
        cases.append((f"{n:,} empty rows", p, 30, 1024))
        for name, path, limit_s, limit_mb in cases:
            r = box("individuals", "import", box.inc, path, "--dry-run", timeout=300)
            figures.append((name, r))
            a.check(not r.crashed and r.code in (0, 1) and r.secs < limit_s and r.rss_mb < limit_mb, f"{name}: {r}")
        # A legitimate list of a million people as XLSX (every text cell a shared string).
        rows_n = 200_000 if quick else 1_000_000
        csvp = os.path.join(root, "million.csv")
        generate_csv(b, csvp, rows_n)
        p = os.path.join(root, "million.xlsx")
        strings = []

        def sheet():
            import csv as csvmod
            yield SHEET_HEAD
            with open(csvp, newline="", encoding="utf-8") as fh:
                for i, rec in enumerate(csvmod.reader(fh), start=1):
                    cells = []
                    for v in rec:
                        if v.isdigit() and not v.startswith("0") and len(v) < 15:
                            cells.append(b"<c><v>%s</v></c>" % v.encode())
                        elif v:
                            cells.append(b'<c t="s"><v>%d</v></c>' % len(strings))
                            strings.append(v.replace("&", "&amp;").replace("<", "&lt;").encode())
                    yield b'<row r="%d">' % i + b"".join(cells) + b"</row>"
            yield SHEET_TAIL

        def sst():
            yield b"<sst>"
            for s in strings:
                yield b"<si><t>" + s + b"</t></si>"
            yield b"</sst>"

        xlsx_file(p, sheet(), sst())
        del strings[:]
        name = f"a legitimate {rows_n:,}-row workbook ({os.path.getsize(p) >> 20} MB)"
        r = box("individuals", "import", box.inc, p, "--dry-run", "--skip-invalid", timeout=600)
        figures.append((name, r))
        a.check(r.code == 0 and r.rss_mb < 500, f"{name}: {r}")


def fuzzed(b, root, t, quick):
    with t.area("fuzzed CSV and XLSX files (import --dry-run)") as a:
        box = Box(b, root, "fuzz").init()
        seeds = []
        csvp = os.path.join(root, "seed.csv")
        generate_csv(b, csvp, 30)
        seeds.append(("csv", open(csvp, "rb").read()))
        x = os.path.join(root, "seed.xlsx")
        xlsx_file(x, [SHEET_HEAD, HEADER_ROW, b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>Smith</t></is></c><c r="C2" t="s"><v>1</v></c></row>', SHEET_TAIL], [b"<sst><si><t>Ada</t></si><si><t>TX</t></si></sst>"])
        seeds.append(("xlsx", open(x, "rb").read()))
        rnd = random.Random(7)
        n = 150 if quick else 1500
        for i in range(n):
            kind, data = seeds[i % 2]
            data = bytearray(data)
            for _ in range(rnd.randint(1, 8)):
                op = rnd.random()
                at = rnd.randrange(len(data) + 1)
                if op < 0.4 and data:
                    data[rnd.randrange(len(data))] ^= 1 << rnd.randrange(8)
                elif op < 0.6:
                    data[at:at] = rnd.choice([b'"', b",", b"\n", b"\x00", b"\xff\xfe", b"\x1b[2J", b"PK\x03\x04", b"\xff" * 8, bytes(rnd.randrange(256) for _ in range(16))])
                elif op < 0.8:
                    del data[at : at + rnd.randint(1, 64)]
                else:
                    span = data[at : at + rnd.randint(1, 32)]
                    data[at:at] = span * rnd.randint(2, 50)
            p = os.path.join(root, f"fuzz.{kind}")
            with open(p, "wb") as fh:
                fh.write(data)
            r = box("individuals", "import", box.inc, p, "--dry-run", timeout=20)
            a.check(r.code in (0, 1) and r.rss_mb < 1024, f"{kind} case {i}: {r}")


AREAS = ["timestamps", "crash", "concurrency", "exports", "custody", "wal", "inits", "extremes", "wide", "terminal", "files", "xlsx", "fuzz"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("--quick", action="store_true", help="fewer tries and smaller files (minutes instead of tens of minutes)")
    ap.add_argument("--only", help="comma-separated areas: " + ",".join(AREAS))
    ap.add_argument("--json", help="also write the table as JSON to this file")
    args = ap.parse_args()
    b = os.path.abspath(args.binary)
    only = set(args.only.split(",")) if args.only else set(AREAS)
    random.seed(13)
    t = Tally()
    figures = []
    root = tempfile.mkdtemp(prefix="redteam-")
    global CWD
    CWD = root
    os.chdir(root)
    try:
        steps = {
            "timestamps": lambda: timestamps(b, root, t),
            "crash": lambda: crash_gaps(b, root, t, args.quick),
            "concurrency": lambda: concurrency(b, root, t, args.quick),
            "exports": lambda: exports(b, root, t),
            "custody": lambda: custody(b, root, t),
            "wal": lambda: wal(b, root, t),
            "inits": lambda: two_inits(b, root, t),
            "extremes": lambda: extremes(b, root, t),
            "wide": lambda: wide_csv(b, root, t, args.quick),
            "terminal": lambda: terminal(b, root, t),
            "files": lambda: files(b, root, t),
            "xlsx": lambda: hostile_xlsx(b, root, t, args.quick, figures),
            "fuzz": lambda: fuzzed(b, root, t, args.quick),
        }
        for name in AREAS:
            if name in only:
                steps[name]()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{'area':<58} {'tries':>6} {'passed':>7} {'failed':>7}")
    for name, tries, passed, failed, notes in t.rows:
        print(f"{name:<58} {tries:>6} {passed:>7} {failed:>7}")
        for n in notes:
            print(f"    {n[:220]}")
    for name, r in figures:
        print(f"  {name}: exit {r.code}, {r.secs:.1f} s, peak {r.rss_mb:.0f} MB")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"rows": [dict(area=n, tries=a, passed=p, failed=f, notes=no) for n, a, p, f, no in t.rows], "figures": [dict(case=n, exit=r.code, secs=r.secs, peak_mb=r.rss_mb) for n, r in figures]}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
