"""The ``callkit`` command (DESIGN §5).

Exit codes: 0 success, 2 bad input (one line on stderr, never a traceback), 1 an internal error.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from callkit.errors import CallkitError

__all__ = ["main", "build_parser"]

_REPO_SAMPLES = Path(__file__).resolve().parent.parent / "data_samples"


def _samples_dir() -> Path:
    """data_samples/ of the checkout (the demo's inputs)."""
    if (_REPO_SAMPLES / "profile.yaml").exists():
        return _REPO_SAMPLES
    cwd = Path.cwd() / "data_samples"
    if (cwd / "profile.yaml").exists():
        return cwd
    raise CallkitError("data_samples/profile.yaml not found; run `callkit demo` from the callkit checkout "
                       "or create samples with `callkit sample --out DIR` and run `callkit run DIR/profile.yaml`")


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
    if not args.calls and not args.transcripts:
        raise CallkitError("validate: give call export file(s), --transcripts FILE, or both")
    res = load_calls(args.calls, source=args.source, tz=args.tz, region=args.region,
                     employees=args.employees, own_numbers=args.own_number or (),
                     columns=args.columns.split(",") if args.columns else None,
                     area_code=args.area_code) if args.calls else None
    tr = None
    if args.transcripts:  # the transcript load report, joined to the calls when given
        from callkit.speech import load_transcripts
        tr = load_transcripts(args.transcripts, calls=res.calls if res else None).report
    if args.json:
        out = res.report.to_dict() if res else {}
        if tr is not None:
            out["transcripts"] = tr.as_dict()
        print(json.dumps(out, ensure_ascii=False))
    else:
        print("\n".join(str(x) for x in (res.report.summary() if res else None, tr) if x is not None))
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    from callkit.audit import run_metrics
    _check_load_opts(args)
    written = run_metrics(args.input, out=Path(args.out), employees=args.employees, tz=args.tz,
                          source=args.source, region=args.region, own_numbers=args.own_number or (),
                          on_note=lambda line: print(line, file=sys.stderr))
    for p in written:
        print(p)
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from callkit import samples
    written = samples.write_sample(Path(args.out), calls=args.calls, seed=args.seed)
    for p in written:
        print(p)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from callkit import report
    run = report.run_client(_samples_dir() / "profile.yaml", Path(args.out))
    _print_run(run)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from callkit import report
    run = report.run_client(Path(args.profile), Path(args.out))
    _print_run(run)
    return 0


def _print_run(run) -> None:
    for name in ("html", "notebook", "workbook", "charts_dir", "metrics_dir"):
        p = getattr(run, name, None)
        if p:
            print(f"{name}: {p}")


def cmd_batch(args: argparse.Namespace) -> int:
    from callkit import report
    summary = report.run_batch(Path(args.dir), Path(args.out), jobs=args.jobs)
    print(summary.text())
    return 0 if summary.all_ok else 1


def cmd_request(args: argparse.Namespace) -> int:
    from callkit import request
    path = request.write_request(Path(args.profile), out=Path(args.out) if args.out else None)
    print(path)
    return 0


def _add_load_opts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", default="auto", help="export format (default: recognise from content)")
    p.add_argument("--tz", default="Europe/Moscow", help="client's time zone (default Europe/Moscow)")
    p.add_argument("--region", default="RU", help="home region for phone numbers (default RU)")
    p.add_argument("--employees", help="employees directory (CSV/XLSX)")
    p.add_argument("--own-number", action="append", help="a company number (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="callkit", description="Sales-department audit from telephony exports.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="the whole audit on data_samples/")
    p.add_argument("--out", default="out", help="output folder (default ./out)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("run", help="one client's audit from its profile")
    p.add_argument("profile")
    p.add_argument("--out", default="out")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("batch", help="every profile in a folder")
    p.add_argument("dir")
    p.add_argument("--out", required=True)
    p.add_argument("--jobs", type=int, default=1)
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("validate", help="load call exports and print the load report")
    p.add_argument("calls", nargs="*")
    p.add_argument("--transcripts", help="a transcript file or folder: print its load report too")
    _add_load_opts(p)
    p.add_argument("--columns", help="column order of a headerless export, comma-separated (Mango)")
    p.add_argument("--area-code", help="area code for local numbers written without it")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("metrics", help="machine-readable CSVs (DESIGN §5)")
    p.add_argument("input", nargs="+", help="PROFILE.yaml, or call export file(s)")
    _add_load_opts(p)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser("sample", help="synthetic data with planted patterns")
    p.add_argument("--calls", type=int, default=3000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("request", help="write the pre-audit data request for the client's IT")
    p.add_argument("profile")
    p.add_argument("--out")
    p.set_defaults(func=cmd_request)
    return ap


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CallkitError as exc:
        print(f"callkit: error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"callkit: error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("callkit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
