"""Safe profile inputs (issue 13, item 3): YAML read with limits, every value checked, one line.

Each case is run through the CLI (``callkit run``): exit 2, one line on stderr naming the file
and field, no traceback. Before this work each of them raised a traceback, hung or ran with a
meaningless value.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from callkit.cli import main
from callkit.errors import ProfileError
from callkit.profile import (
    MAX_YAML_BYTES,
    check_number,
    check_time_of_day,
    check_timezone,
    load_profile,
    profile_from_dict,
)

HEAD = "client: Demo\nslug: demo\n"


def billion_laughs() -> str:
    """The classic: nine levels of nine aliases, 9**9 = 387,420,489 'lol's in under a kilobyte."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]")
    return HEAD + "\n".join(lines) + "\n"


CASES = {
    # name: (profile text after the head, what the one line must say)
    "impossible unquoted date": ("period: {start: 2026-02-30, end: 2026-03-31}\n",
                                 "field 'period.start' has '2026-02-30'; expected a real date"),
    "time zone on Mars": ("timezone: Mars/Olympus\n", "field 'timezone' has 'Mars/Olympus'"),
    "time zone in lower case": ("timezone: moscow\n", "did you mean 'Europe/Moscow'"),
    "empty time zone": ("timezone: ''\n", "field 'timezone' has ''"),
    "300-character time zone": ("timezone: " + "x" * 300 + "\n", "field 'timezone' has 'xxxx"),
    "infinite threshold": ("thresholds: {min_active_days: .inf}\n",
                           "field 'thresholds.min_active_days' has inf; expected a finite number"),
    "NaN threshold": ("thresholds: {manager_gap: .nan}\n", "field 'thresholds.manager_gap' has nan"),
    "threshold out of range": ("thresholds: {manager_gap: 5}\n", "expected a finite number > 0 and < 1"),
    "fractional day count": ("thresholds: {min_active_days: 2.5}\n", "expected a finite whole number"),
    "unknown region": ("region: XX\n", "field 'region' has 'XX', which is not a region libphonenumber"),
    "Norway read as false": ("region: NO\n", "write 'NO'"),
    "slug with a newline": (None, "field 'slug' has 'demo\\n'"),
    "unknown calls format": ("calls_format: sipunii\n", "field 'calls_format' has 'sipunii'; expected one of"),
    "nested too deep": ("brief: {x: " + "[" * 100 + "]" * 100 + "}\n", "nests deeper than 32 levels"),
    "billion laughs": (None, "expands to more than 100,000 values through its aliases"),
    "infinity anywhere": ("brief: {main_benefit: .inf}\n", "field 'brief.main_benefit' has inf"),
}


def _profile_text(name: str) -> str:
    body, _ = CASES[name]
    if name == "slug with a newline":
        return 'client: Demo\nslug: "demo\\n"\n'
    if name == "billion laughs":
        return billion_laughs()
    return HEAD + body


@pytest.mark.parametrize("name", list(CASES))
def test_bad_profile_is_one_line_and_exit_2(tmp_path, capsys, name):
    p = tmp_path / "profile.yaml"
    p.write_text(_profile_text(name), encoding="utf-8")
    rc = main(["run", str(p), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    # one short line: its length apart from the (machine-dependent) path of the profile
    assert err.count("\n") == 1 and "Traceback" not in err and len(err.replace(str(p), "")) < 400
    assert "profile.yaml" in err and CASES[name][1] in err
    assert not (tmp_path / "out").exists()


def test_billion_laughs_is_refused_at_once_in_a_real_process(tmp_path):
    p = tmp_path / "profile.yaml"
    p.write_text(billion_laughs(), encoding="utf-8")
    assert p.stat().st_size < 1024   # under a kilobyte (the was 531 bytes)
    # before: minutes, 5.6 GB and gigabytes of repr on stderr; the timeout turns a hang into a failure
    r = subprocess.run([sys.executable, "-m", "callkit.cli", "run", str(p), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "aliases" in r.stderr


def test_oversized_profile_is_refused_unread(tmp_path):
    p = tmp_path / "profile.yaml"
    p.write_text(HEAD + "brief: {x: '" + "y" * (MAX_YAML_BYTES + 10) + "'}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="a profile is at most"):
        load_profile(p)


def test_profile_path_that_is_a_folder_or_device(tmp_path):
    with pytest.raises(ProfileError, match="not a regular file"):
        load_profile(tmp_path)
    if Path("/dev/zero").exists():
        p = tmp_path / "profile.yaml"
        p.symlink_to("/dev/zero")
        with pytest.raises(ProfileError, match="not a regular file"):
            load_profile(p)


def test_calls_naming_a_folder_is_named(tmp_path):
    (tmp_path / "calls").mkdir()
    with pytest.raises(ProfileError, match=r"field 'calls\[0\]' names 'calls', which is not a regular file"):
        profile_from_dict({"client": "X", "slug": "x", "calls": ["calls"]}, base=tmp_path)


def test_valid_values_pass_unchanged():
    p = profile_from_dict({"client": "X", "slug": "x-1_b", "timezone": "America/New_York", "region": "kz",
                           "thresholds": {"manager_gap": 0.3, "min_active_days": 5.0}}, check_files=False)
    assert (p.slug, p.timezone, p.region) == ("x-1_b", "America/New_York", "KZ")
    assert p.thresholds.min_active_days == 5 and isinstance(p.thresholds.min_active_days, int)


def test_long_values_are_cut_in_the_message():
    with pytest.raises(ProfileError) as exc:
        profile_from_dict({"client": "X", "slug": "x", "lang": "q" * 5000}, check_files=False)
    assert len(str(exc.value)) < 300


@pytest.mark.parametrize("value, ok", [(540, "09:00:00"), ("18:30", "18:30:00"), ("9:05", "09:05:00"),
                                       ("25:00", None), ("noon", None), (True, None)])
def test_time_of_day_for_keys_such_as_working_hours(value, ok):
    if ok:
        assert check_time_of_day("p.yaml", "working_hours.from", value).isoformat() == ok
    else:
        with pytest.raises(ProfileError, match="field 'working_hours.from'"):
            check_time_of_day("p.yaml", "working_hours.from", value)


def test_number_check_for_keys_such_as_economics():
    assert check_number("p.yaml", "economics.lead_to_deal", 0.2, lo=0, hi=1) == 0.2
    for bad in (float("nan"), -1, "много", True, 1.5):
        with pytest.raises(ProfileError, match="field 'economics.lead_to_deal'"):
            check_number("p.yaml", "economics.lead_to_deal", bad, lo=0, hi=1)


@pytest.mark.parametrize("opt, value, says", [
    ("--tz", "Mars/Olympus", "--tz: 'Mars/Olympus' is not a time zone"),
    ("--tz", "moscow", "did you mean 'Europe/Moscow'"),
    ("--tz", "", "--tz: '' is not a time zone"),
    ("--tz", "y" * 300, "is not a time zone"),
    ("--region", "XX", "--region: 'XX' is not a region libphonenumber knows"),
])
def test_cli_tz_and_region_are_one_line(capsys, opt, value, says):
    sample = Path(__file__).resolve().parent.parent / "data_samples" / "formats" / "sipuni.csv"
    rc = main(["validate", str(sample), f"{opt}={value}"])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and says in err and "Traceback" not in err


def test_timezone_check_is_exact():
    assert check_timezone("UTC") == "UTC"
    for bad in ("localtime", "Europe/moscow", "../../etc/passwd", None, 3):
        with pytest.raises(ProfileError):
            check_timezone(bad)
