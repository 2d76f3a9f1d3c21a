"""Fuzz at the CLI (issue 13, item 8): mutated exports, profiles and transcripts.

The contract checked on every example: exit code 0 or 2; on 2 exactly one line on stderr
(``callkit: error: ...``), never a traceback (an internal error, exit 1, fails the test); on 0
the load report reconciles — ``rows_read == rows_loaded + rows_rejected + duplicates`` — and
accounts for every physical record of the file (the records the text layer finds, less the
header and the title lines the report says it skipped). Masking of manager-facing outputs is
checked on a full run in ``test_package.py`` (planted numbers) and property-tested in
``test_masking.py``.

Seeded (``derandomize``) and bounded for CI; ``CALLKIT_FUZZ_EXAMPLES=N`` runs N random examples
per test instead (``CALLKIT_FUZZ_EXAMPLES=2000 pytest tests/test_cli_fuzz.py``).
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callkit.cli import main
from callkit.io.text import read_tables
from tests.mutations import mutate

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data_samples"
FUZZ = int(os.environ.get("CALLKIT_FUZZ_EXAMPLES", "0"))
#: examples per test and what ran (for the closing note: pytest -s prints the counts)
COUNTS: dict[str, int] = {}


def _settings(ci: int):
    return settings(max_examples=FUZZ or ci, deadline=None, derandomize=not FUZZ, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _head(path: Path, n: int) -> bytes:
    return b"\n".join(path.read_bytes().split(b"\n")[:n]) + b"\n"


EXPORTS = {p.name: p.read_bytes() for p in sorted((SAMPLES / "formats").iterdir()) if p.suffix != ".xlsx"}
EXPORTS["Master.csv"] = _head(SAMPLES / "calls" / "Master.csv", 120)
TRANSCRIPTS = _head(SAMPLES / "transcripts.jsonl", 150)
PROFILE = (SAMPLES / "profile.yaml").read_text(encoding="utf-8")

PHONES = ["+7 916 123–45–67", "8.916.123.45.69", "0079161234599", "8104930123456", "(495) 123 45 67",
          "7001234567", "89161234567"]
TOKENS = [b'"', b'""', b";", b",", b"\t", b"|", b"\n", b"\r", b"\r\n", b"\n\n", b"\x00", b"\xef\xbb\xbf",
          b"'", b"=cmd|' /C calc'!A0", b"\xff\xfe", b"NULL", b"0000-00-00 00:00:00", b"2026-02-30 25:61:00",
          b"-5", b"1e400", b"\xd0", b"\\", "Иванов «Ромашка»".encode(), "Ромашка".encode("cp1251")]
TOKENS += [p.encode() for p in PHONES]

op = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.sampled_from(TOKENS)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("long"), st.integers(0, 10**6), st.sampled_from([300, 70_000, 2_100_000])),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 200)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("dupline"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("dropline"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("encode"), st.just(0), st.sampled_from(["utf-16", "cp1251", "koi8-r", "utf-8-sig"])),
)


def _call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(argv))
    return rc, out.getvalue(), err.getvalue()


def _contract(rc: int, err: str, what: str) -> None:
    assert rc in (0, 2), f"{what}: exit {rc}: {err}"
    assert "Traceback" not in err, err
    if rc == 2:
        assert err.count("\n") == 1 and err.startswith("callkit: error: "), err


def _count(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


@_settings(60)
@given(name=st.sampled_from(sorted(EXPORTS)), ops=st.lists(op, min_size=1, max_size=4))
def test_mutated_exports(name, ops):
    _count("exports")
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / name
        p.write_bytes(mutate(EXPORTS[name], ops))
        rc, out, err = _call("validate", str(p), "--json")
        _contract(rc, err, name)
        if rc:
            return
        r = json.loads(out)
        assert r["reconciled"] and r["rows_read"] == r["rows_loaded"] + r["rows_rejected"] + r["duplicates"]
        if r["format"] in ("mango",):   # headerless: every record is data
            skipped_max = 0
        else:
            skipped_max = 1 + sum(int(m) for n in r["notes"]
                                  for m in re.findall(r"(\d+) line\(s\) above the header", n))
        records = sum(len(t) for t in read_tables(p))
        # every record is read (as data, or as the header / a title line the report names)
        assert 0 <= records - r["rows_read"] <= skipped_max + (1 if r["format"].startswith("asterisk") else 0), r


def _yaml_token() -> st.SearchStrategy[str]:
    return st.sampled_from([
        ": ", "\n", "  ", "- ", "[", "]", "{", "}", "&a ", "*a ", "!!python/object/apply:os.system ['true']",
        ".inf", ".nan", "-.inf", "2026-02-30", "~", "null", "'", '"', "\t", "#", "NO", "yes", "0x1F",
        "1e400", "9" * 400, "moscow", "Mars/Olympus", "%YAML 1.1\n", "---\n", "...\n", "? ", "|\n",
        ">\n", "\x00", "\ufeff", "x" * 20_000, "[" * 60, "\r", "\u2028", "<<: *a\n"])


@_settings(60)
@given(ops=st.lists(st.tuples(st.integers(0, 10**6), _yaml_token()), min_size=1, max_size=4))
def test_mutated_profiles(ops):
    _count("profiles")
    text = PROFILE
    for pos, tok in ops:
        pos %= len(text) + 1
        text = text[:pos] + tok + text[pos:]
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "profile.yaml"
        p.write_text(text, encoding="utf-8", errors="surrogatepass")
        rc, out, err = _call("request", str(p), "--out", str(Path(tmp) / "req"))
        _contract(rc, err, "profile")
        if rc == 0:
            assert Path(out.strip()).is_file()


@_settings(40)
@given(ops=st.lists(op, min_size=1, max_size=4), as_csv=st.booleans())
def test_mutated_transcripts(ops, as_csv):
    _count("transcripts")
    base = TRANSCRIPTS
    if as_csv:   # the same utterances as the generic CSV form
        rows = [json.loads(x) for x in base.decode().splitlines() if x.strip()]
        buf = io.StringIO()
        import csv
        w = csv.writer(buf)
        w.writerow(["call_id", "speaker", "start", "end", "text"])
        for r in rows:
            w.writerow([r.get("call_id"), r.get("speaker"), r.get("start"), r.get("end"), r.get("text")])
        base = buf.getvalue().encode()
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / ("transcripts.csv" if as_csv else "transcripts.jsonl")
        p.write_bytes(mutate(base, ops))
        rc, out, err = _call("validate", "--transcripts", str(p), "--json")
        _contract(rc, err, p.name)
        if rc == 0:
            t = json.loads(out)["transcripts"]
            assert t["rows_read"] == t["rows_loaded"] + t["rows_rejected"] + t["duplicates"], t


def test_fuzz_counts_are_reported():
    """Runs last in this module: prints how many examples each fuzz test ran (pytest -s)."""
    print(f"\nCLI fuzz examples: {COUNTS} (CALLKIT_FUZZ_EXAMPLES={FUZZ or 'unset'})")
    assert all(COUNTS.get(k, 0) >= 1 for k in ("exports", "profiles", "transcripts"))
