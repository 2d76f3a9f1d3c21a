"""``python -m callkit.samples OUT_DIR [--calls N] [--seed S]``: write a synthetic sample folder."""
from __future__ import annotations

import argparse
import sys

from callkit.errors import CallkitError
from callkit.samples._company import COMPANIES
from callkit.samples._sample import DEFAULT_FORMATS, write_sample

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m callkit.samples",
                                 description="Write synthetic call exports with planted behaviours.")
    ap.add_argument("out", help="output folder (e.g. data_samples)")
    ap.add_argument("--calls", type=int, default=3000, help="sessions over history + period")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--formats", default=",".join(DEFAULT_FORMATS),
                    help="comma-separated formats (default: all)")
    ap.add_argument("--transcripts", type=int, default=150, help="dialogues to synthesise (0 = none)")
    ap.add_argument("--company", default="filtr", choices=sorted(COMPANIES),
                    help="which synthetic company (akva: relative outliers, an inbound manager, a "
                         "service queue too thin for its Monday rush)")
    args = ap.parse_args(argv)
    opt = "" if args.company == "filtr" else f" --company {args.company}"
    cmd = (f"python -m callkit.samples {args.out} --calls {args.calls} --seed {args.seed}{opt}\n"
           f"# or: callkit sample --calls {args.calls} --seed {args.seed}{opt} --out {args.out}")
    try:
        paths = write_sample(args.out, calls=args.calls, seed=args.seed,
                             formats=[f for f in args.formats.split(",") if f],
                             transcripts=args.transcripts, command=cmd, company=args.company)
    except CallkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for p in paths:
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
