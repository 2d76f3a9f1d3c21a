"""The ``callkit`` command (DESIGN §5).

Exit codes: 0 success; 2 bad input (one line on stderr naming the file, field or option and what
was expected — never a traceback); 3 ``batch`` only: some clients failed (one line each says why;
the other clients' reports are written); 1 an internal error (a bug: one line, and the traceback
with ``CALLKIT_DEBUG=1``); 130 interrupted.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from callkit.errors import CallkitError, InputError

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_INTERNAL", "EXIT_BAD_INPUT", "EXIT_SOME_FAILED"]

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_SOME_FAILED = 0, 1, 2, 3

_EPILOG = """exit codes: 0 done; 2 bad input (one line on stderr says what and where); 3 batch: some
clients failed (their lines say why, the others are written); 1 internal error (a bug; set
CALLKIT_DEBUG=1 for the traceback); 130 interrupted.
The client profile format is described in docs/profile.md of the callkit repository."""


def _version() -> str:
    try:
        from importlib.metadata import version
        return version("callkit")
    except Exception:  # noqa: BLE001 - not installed as a distribution (a bare checkout)
        import callkit
        return callkit.__version__


def _out_dir(value: str | None, option: str = "--out") -> Path | None:
    """An output folder option: refuse a path that exists and is not a folder."""
    if value is None:
        return None
    p = Path(value)
    if value.strip() == "":
        raise InputError(f"{option} is empty; expected an output folder")
    if p.exists() and not p.is_dir():
        raise InputError(f"{option} {value}: exists and is not a folder; expected an output folder")
    return p


def _check_load_opts(args: argparse.Namespace) -> None:
    """--tz and --region checked before any file is read (one line each, exit 2)."""
    from callkit.profile import check_region, check_timezone
    if getattr(args, "tz", None) is not None:
        args.tz = check_timezone(args.tz, where="--tz")
    if getattr(args, "region", None) is not None:
        args.region = check_region(args.region, where="--region")


def cmd_validate(args: argparse.Namespace) -> int:
    from callkit.io import load_calls
    _check_load_opts(args)
    if not args.calls and not args.transcripts and not args.queue_log:
        raise CallkitError("validate: give call export file(s), --transcripts FILE, --queue-log FILE, or both")
    res = load_calls(args.calls, source=args.source, tz=args.tz, region=args.region,
                     employees=args.employees, own_numbers=args.own_number or (),
                     columns=args.columns.split(",") if args.columns else None,
                     area_code=args.area_code) if args.calls else None
    tr = None
    if args.transcripts:  # the transcript load report, joined to the calls when given
        from callkit.speech import load_transcripts
        tr = load_transcripts(args.transcripts, calls=res.calls if res else None).report
    ql = None
    if args.queue_log:    # the queue_log load report
        from callkit.io.queuelog import load_queue_log
        ql = load_queue_log(args.queue_log, tz=args.tz).report
    if args.json:
        out = res.report.to_dict() if res else {}
        if tr is not None:
            out["transcripts"] = tr.as_dict()
        if ql is not None:
            out["queue_log"] = ql.to_dict()
        print(json.dumps(out, ensure_ascii=False))
    else:
        print("\n".join(str(x) for x in (res.report.summary() if res else None, tr,
                                          ql.summary_line() if ql is not None else None) if x is not None))
    return EXIT_OK


def cmd_metrics(args: argparse.Namespace) -> int:
    from callkit.audit import run_metrics
    _check_load_opts(args)
    from callkit.outputs import folder_lock, remove_leftovers, replace_files
    out = Path(_out_dir(args.out))
    out.mkdir(parents=True, exist_ok=True)
    # Written into a staging folder, then each file moved into --out: a failed or interrupted
    # run leaves the previous files as they were, and a second run into the folder refuses.
    with folder_lock(out, "callkit-metrics", what="metrics into this folder", target=out):
        remove_leftovers(out, "callkit-metrics")
        stage = Path(tempfile.mkdtemp(prefix=".callkit-metrics.staging-", dir=out))
        notes: list[str] = []   # the load summaries, said once the files are in place (a failed
        try:                    # run says one line: its error)
            run_metrics(args.input, out=stage, employees=args.employees, tz=args.tz,
                        source=args.source, region=args.region, own_numbers=args.own_number or (),
                        queue_log=args.queue_log or (), on_note=notes.append)
            written = replace_files(stage, out)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    for line in notes:
        print(line, file=sys.stderr)
    for p in written:
        print(p)
    return EXIT_OK


def cmd_sample(args: argparse.Namespace) -> int:
    from callkit import samples
    out = _out_dir(args.out)
    if args.calls < 1:
        raise InputError(f"--calls {args.calls}: expected a positive number of calls")
    written = samples.write_sample(out, calls=args.calls, seed=args.seed,
                                   company=args.company)
    for p in written:
        print(p)
    return EXIT_OK


def _sample_profile() -> Path:
    """The demo's profile: ``$CALLKIT_SAMPLES/profile.yaml`` when the variable is set (and then
    nowhere else), else the samples bundled with the package or in the checkout."""
    env = os.environ.get("CALLKIT_SAMPLES")
    if env:
        p = Path(env) / "profile.yaml"
        if not p.is_file():
            raise InputError(f"CALLKIT_SAMPLES={env}: no profile.yaml there; expected the folder "
                             "`callkit sample --out DIR` writes (or unset the variable)")
        return p
    from callkit.report import sample_profile_path
    return sample_profile_path()


def cmd_demo(args: argparse.Namespace) -> int:
    from callkit import report
    out = _out_dir(args.out)
    run = report.run_client(_sample_profile(), out)
    _print_run(run)
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from callkit import report
    out = _out_dir(args.out)
    run = report.run_client(Path(args.profile), out)
    _print_run(run)
    return EXIT_OK


def _print_run(run) -> None:
    for name in ("html", "notebook", "workbook", "charts_dir", "metrics_dir"):
        p = getattr(run, name, None)
        if p:
            print(f"{name}: {p}")


def cmd_batch(args: argparse.Namespace) -> int:
    from callkit import report
    out = _out_dir(args.out)
    if args.jobs < 1:
        raise InputError(f"--jobs {args.jobs}: expected a positive number of clients run at once")
    if not report.find_profiles(Path(args.dir)):
        raise InputError(f"{args.dir}: no client profiles (*.yaml, or */profile.yaml one level down)")
    summary = report.run_batch(Path(args.dir), out, jobs=args.jobs)
    print(summary.text())
    if summary.all_ok:
        return EXIT_OK
    return EXIT_SOME_FAILED if summary.ok else EXIT_BAD_INPUT


def cmd_request(args: argparse.Namespace) -> int:
    from callkit import request
    out = _out_dir(args.out) or Path.cwd()
    path = request.write_request(Path(args.profile), out=out)
    print(path)
    return EXIT_OK


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Every option says its default; options without one (None/False) say nothing extra."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default in (None, False) or action.default is argparse.SUPPRESS:
            return action.help or ""
        return super()._get_help_string(action)


def _sub(sub: argparse._SubParsersAction, name: str, help: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                          formatter_class=_Help, epilog=_EPILOG)


def _add_load_opts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", default="auto", help="export format; 'auto' recognises it from the content")
    p.add_argument("--tz", default="Europe/Moscow", help="the client's time zone (tz database name)")
    p.add_argument("--region", default="RU", help="home region for phone numbers (two-letter code)")
    p.add_argument("--employees", metavar="FILE", help="employees directory (CSV/XLSX: extension, name, department)")
    p.add_argument("--own-number", action="append", metavar="NUMBER",
                   help="a company number (repeatable); calls between it and an extension are internal")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="callkit", description="Sales-department audit from telephony exports.",
                                 formatter_class=_Help, epilog=_EPILOG)
    ap.add_argument("--version", action="version", version=f"callkit {_version()}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _sub(sub, "demo", "the whole audit on the bundled synthetic sample ($CALLKIT_SAMPLES if set)")
    p.add_argument("--out", default="out", help="output folder; the report goes to OUT/<slug>/")
    p.set_defaults(func=cmd_demo)

    p = _sub(sub, "run", "one client's audit from its profile: notebook, HTML, charts, workbook")
    p.add_argument("profile", help="the client profile (YAML; see docs/profile.md)")
    p.add_argument("--out", default="out", help="output folder; the report goes to OUT/<slug>/")
    p.set_defaults(func=cmd_run)

    p = _sub(sub, "batch", "every client profile in a folder, with a progress bar")
    p.add_argument("dir", help="folder of profiles: *.yaml, or */profile.yaml one level down")
    p.add_argument("--out", required=True, help="output folder; each client goes to OUT/<slug>/")
    p.add_argument("--jobs", type=int, default=1, help="clients run at the same time")
    p.set_defaults(func=cmd_batch)

    p = _sub(sub, "validate", "load call exports (and transcripts) and print the load report")
    p.add_argument("calls", nargs="*", help="call export file(s): CSV/TSV/XLSX in any supported format")
    p.add_argument("--transcripts", metavar="FILE", help="a transcript file or folder: print its load report too")
    p.add_argument("--queue-log", metavar="FILE", action="append",
                   help="an Asterisk queue_log (text, CSV/DB export or SQL dump): print its load report too")
    _add_load_opts(p)
    p.add_argument("--columns", help="column order of a headerless export, comma-separated (Mango Office)")
    p.add_argument("--area-code", help="area code for local numbers written without it (e.g. 3012)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the text report")
    p.set_defaults(func=cmd_validate)

    p = _sub(sub, "metrics", "machine-readable CSVs: calls, managers, compare, traffic, missed, staffing, ...")
    p.add_argument("input", nargs="+", help="PROFILE.yaml, or call export file(s)")
    _add_load_opts(p)
    p.add_argument("--queue-log", metavar="FILE", action="append",
                   help="an Asterisk queue_log (repeatable): adds queues.csv, agents.csv, pauses.csv, "
                        "queue_calls.csv (a dump's queuelog table is used without it)")
    p.add_argument("--out", required=True, help="output folder for the CSVs")
    p.set_defaults(func=cmd_metrics)

    p = _sub(sub, "sample", "synthetic data with planted patterns (a profile, exports, transcripts)")
    p.add_argument("--calls", type=int, default=3000, help="calls in the analysis period")
    p.add_argument("--seed", type=int, default=0, help="random seed (the same seed writes the same files)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--company", default="filtr", choices=("filtr", "akva"),
                   help="filtr: the demo company; akva: relative outliers below the old absolute "
                        "thresholds, an inbound manager, a service queue too thin for its Monday "
                        "rush (issue 9)")
    p.set_defaults(func=cmd_sample)

    p = _sub(sub, "request", "write the pre-audit data request for the client's IT")
    p.add_argument("profile", help="the client profile (YAML)")
    p.add_argument("--out", help="output folder (default: the current folder)")
    p.set_defaults(func=cmd_request)
    return ap


def _say(text: str) -> None:
    """One line on stderr, phone numbers masked (an error may quote a line of the export)."""
    from callkit.masking import mask_text

    print("callkit: " + mask_text(" ".join(str(text).split())), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from callkit import engine, progress

    engine.use_returning_memory_pool()   # the CLI's process: freed memory back to the system
    quiet = bool(getattr(args, "json", False))   # one JSON object on stdout, no bar on stderr
    if quiet:
        progress.set_enabled(False)
    try:
        try:
            code = int(args.func(args) or 0)
            sys.stdout.flush()
            return code
        except BrokenPipeError:
            # the reader went away (`callkit validate ... | head`): stop quietly, as `cat` does
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 141
    except CallkitError as exc:
        _say(f"error: {exc}")
        return EXIT_BAD_INPUT
    except OSError as exc:   # a file that cannot be read or written: name it, no traceback
        where = exc.filename or ""
        _say(f"error: {where}: {exc.strerror or exc}" if where else f"error: {exc.strerror or exc}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: one line, the traceback on request
        if os.environ.get("CALLKIT_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc} (set CALLKIT_DEBUG=1 for the traceback; "
             "please report it)")
        return EXIT_INTERNAL
    finally:
        if quiet:
            progress.set_enabled(None)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
