"""Leg-level steps before the fold for Asterisk CDRs (FORMATS.md §7.3): which legs are one call
when the schema has no linkedid, and which party a channel names.

Both work on the legs of one file, before :func:`callkit.io.fold.fold_sessions`, so they do not
depend on how the fold is implemented: the first rewrites ``session_key``, the second fills
``caller_person`` / ``callee_person`` and ``caller_external`` / ``callee_external``.

**Grouping without linkedid** (Elastix and old FreePBX tables, Master.csv without
``newcdrcolumns``, the FreePBX "CDR Reports" download), rules in order:

1. ``uniqueid`` — legs of one channel share its uniqueid (queue attempts of one caller channel);
2. ``local_pair`` — a ring group or follow-me dials through ``Local/…;1`` / ``Local/…;2``
   pairs: the leg whose ``dstchannel`` (or ``channel``) is ``Local/X-n;1`` and the leg whose
   ``channel`` is ``Local/X-n;2`` are one call when the ``;2`` leg starts while the ``;1`` leg
   lasts (±2 s; the counter ``n`` restarts with Asterisk);
3. ``same_caller`` — a ``Local/…;2`` leg that no pair explains (the unanswered forks of a ring
   group: the caller's CDR names only the fork that answered) belongs to the call of the same
   caller (``src``) that was in progress when it started.

Each leg's rule is returned so the load report can say how many legs each rule joined.

**Parties from channels**: a channel ``TECH/endpoint-…`` names an endpoint. It is a *person*
(an employee's phone) when it is in the employees directory, or seen as a caller's own channel
(the endpoint places a call with its own name as caller ID — a 10-digit PJSIP endpoint named
like a phone number), or a 1–5 digit peer that is not a trunk; so a leg whose destination
channel is a known endpoint is internal whatever ``dst`` says (cdr_custom writes the dialled
number there). It is a *trunk* — the outside world — when its name says so (``trunk``,
``gateway``, ``pstn``, ``provider``) or it carries calls in from three or more numbers that are
not its own (a phone with an outbound caller ID shows one, the company's); then that side is
external even when the number looks short. The technology alone decides nothing (a DAHDI
channel is an analogue phone as often as a line).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from callkit.io.values import strings_array, trim_whitespace

__all__ = ["group_without_linkedid", "regroup_without_linkedid", "channel_parties", "endpoint", "GROUP_RULES",
           "grouping_note"]

GROUP_RULES = ("uniqueid", "local_pair", "same_caller")
_LOCAL1 = re.compile(r"^(Local/[^;]+);1$", re.I)
_LOCAL2 = re.compile(r"^(Local/[^;]+);2$", re.I)
_CHANNEL = re.compile(r"^(?P<tech>[A-Za-z0-9_]+)/(?P<res>.+?)(?:-[0-9a-fA-F]{6,8}|-\d+)?(?:;[12])?(?:<[^>]*>)?$")
_TRUNK_NAME = re.compile(r"(?i)trunk|gateway|\bgw\b|[-_]gw|pstn|provider|\bisp\b|sip[-_]?out|voip[-_]?out")
_SLACK = pd.Timedelta(seconds=2)


def endpoint(channel: str) -> tuple[str | None, str | None]:
    """(technology, endpoint) of an Asterisk channel name; ``(None, None)`` when it is none.

    >>> endpoint("PJSIP/client2-0000001a"), endpoint("Local/102@from-internal-00000002;1")
    (('PJSIP', 'client2'), ('Local', '102'))
    >>> endpoint("SIP/mts-trunk-00000007"), endpoint("DAHDI/1-1"), endpoint("")
    (('SIP', 'mts-trunk'), ('DAHDI', '1'), (None, None))
    """
    m = _CHANNEL.match(str(channel).strip())
    if not m:
        return None, None
    res = m.group("res")
    if m.group("tech").lower() == "local":
        res = res.split("@", 1)[0].split("/", 1)[0]
    return m.group("tech"), res


# ----------------------------------------------------------------------------- grouping

_NAT = np.iinfo(np.int64).min


def _ns(times: pd.Series) -> np.ndarray:
    """int64 nanoseconds since the epoch (UTC); NaT → int64 min."""
    t = pd.to_datetime(times, utc=True)
    return t.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").view(np.int64)


def _roots(parent: np.ndarray) -> np.ndarray:
    """Follow parent links (−1 = a root) to each leg's root (pointer jumping)."""
    idx = np.arange(len(parent))
    root = np.where(parent < 0, idx, parent)
    for _ in range(64):
        nxt = root[root]
        if (nxt == root).all():
            break
        root = nxt
    return root


def group_without_linkedid(key: pd.Series, *, channel: pd.Series, dstchannel: pd.Series, src: pd.Series,
                           start: pd.Series, end: pd.Series) -> tuple[pd.Series, pd.Series]:
    """New session keys for legs of a schema without linkedid (rules: the module docstring).

    Parameters
    ----------
    key : Series
        The legs' keys so far (their uniqueid, else ``file:line``).
    channel, dstchannel, src : Series
        Raw CDR fields.
    start, end : Series
        The legs' parsed start and end times.

    Returns
    -------
    (key, rule)
        The session key of each leg (the key of the leg its call began with) and the rule that
        joined it to an earlier leg of its call (``uniqueid``, ``local_pair``, ``same_caller``;
        NA for the first leg of a call).
    """
    n = len(key)
    idx = key.index
    pos = pd.Series(np.arange(n), index=idx)
    ch = channel.astype("string").fillna("").str.strip()
    dch = dstchannel.astype("string").fillna("").str.strip()

    def local(col: pd.Series, rx: re.Pattern) -> pd.Series:   # only rows with a Local/ channel
        out = pd.Series(pd.NA, index=col.index, dtype="string")
        hit = col.str.startswith("Local/").fillna(False)
        if hit.any():
            out[hit] = col[hit].str.extract(rx, expand=False)
        return out
    base2 = local(ch, _LOCAL2)
    base1 = local(dch, _LOCAL1).fillna(local(ch, _LOCAL1))
    parent = np.full(n, -1, dtype=np.int64)
    rule = pd.Series(pd.NA, index=idx, dtype="string")
    st = _ns(start)
    en = _ns(end)
    en = np.where(en == _NAT, st, en)
    slack = int(_SLACK / pd.Timedelta(1, "ns"))
    # 2. Local ;1 ↔ ;2 pairs, the ;2 leg starting while the ;1 leg lasts
    kid = base2.dropna()
    par = base1.dropna()
    if len(kid) and len(par):
        m = (pd.DataFrame({"b": kid.to_numpy(), "k": pos[kid.index].to_numpy()})
             .merge(pd.DataFrame({"b": par.to_numpy(), "p": pos[par.index].to_numpy()}), on="b"))
        m = m[m["k"] != m["p"]]
        ks, ps, pe = st[m["k"]], st[m["p"]], en[m["p"]]
        ok = (ks >= ps - slack) & (ks <= pe + slack)
        m = m[ok].assign(gap=np.abs(ks - ps)[ok])
        m = m.sort_values(["k", "gap"]).drop_duplicates("k")
        parent[m["k"].to_numpy()] = m["p"].to_numpy()
        rule.iloc[m["k"].to_numpy()] = "local_pair"
    # 3. the other ;2 legs: the same caller's call in progress when they started
    loose = base2.notna().to_numpy() & (parent < 0)
    origin = base2.isna().to_numpy()
    s = src.astype("string").fillna("").str.strip()
    if loose.any() and origin.any():
        left = pd.DataFrame({"src": s.to_numpy()[loose], "t": st[loose], "k": np.flatnonzero(loose)})
        right = pd.DataFrame({"src": s.to_numpy()[origin], "t": st[origin], "p": np.flatnonzero(origin),
                              "pe": en[origin]})
        left, right = left[(left["src"] != "") & (left["t"] != _NAT)], right[(right["src"] != "") & (right["t"] != _NAT)]
        if len(left) and len(right):
            left = left.assign(t2=left["t"] + slack).sort_values("t2")
            right = right.rename(columns={"t": "t2"}).sort_values("t2")
            m = pd.merge_asof(left, right, on="t2", by="src", direction="backward")
            m = m[m["p"].notna() & (m["t"] <= m["pe"] + slack)]
            k, p = m["k"].to_numpy(np.int64), m["p"].to_numpy(np.int64)
            parent[k] = p
            rule.iloc[k] = "same_caller"
    root = _roots(parent)
    new = pd.Series(key.to_numpy(dtype=object)[root], index=idx).astype(str)
    # 1. the later legs of a uniqueid (that no other rule joined); a call's first leg keeps NA
    rule = rule.mask(rule.isna() & key.astype(str).duplicated(keep="first"), "uniqueid")
    return new, rule


def grouping_note(name: str, rule: pd.Series, sessions_before: int, sessions_after: int) -> str:
    """The load-report note: how many legs each rule joined to another."""
    c = rule.value_counts()
    return (f"{name}: no linkedid column (cdr.conf newcdrcolumns=no): legs grouped by uniqueid "
            f"({int(c.get('uniqueid', 0))} legs), by Local/…;1 ↔ ;2 channel pairs ({int(c.get('local_pair', 0))}), "
            f"by the same caller at the same time ({int(c.get('same_caller', 0))}): {sessions_before} uniqueids → "
            f"{sessions_after} calls")


def regroup_without_linkedid(legs: pd.DataFrame, df: pd.DataFrame, name: str) -> tuple[pd.DataFrame, str | None]:
    """Apply :func:`group_without_linkedid` to the legs of a CDR frame without linkedid (with
    uniqueid and channels); return the legs and the note (None when it does not apply)."""
    if legs.empty or "linkedid" in df or "uniqueid" not in df or not ({"channel", "dstchannel"} & set(df)):
        return legs, None
    blank = pd.Series("", index=df.index)
    before = legs["session_key"].nunique()
    key, rule = group_without_linkedid(legs["session_key"], channel=df.get("channel", blank),
                                       dstchannel=df.get("dstchannel", blank), src=df["src"],
                                       start=legs["start"], end=legs["end"])
    return legs.assign(session_key=key), grouping_note(name, rule, before, key.nunique())


# ----------------------------------------------------------------------------- parties

def _endpoint_codes(channels: pd.Series) -> tuple[np.ndarray, list[str | None], list[str | None]]:
    """Per leg a code into the distinct channels once their per-call suffix is cut
    (``SIP/101-0000001a`` → ``SIP/101``), and per code the technology and endpoint
    (:func:`endpoint`). A million legs have a million channel names but a few hundred endpoints:
    the suffix is cut with Arrow's RE2, the rest is done per endpoint."""
    import pyarrow.compute as pc
    arr = trim_whitespace(pc.fill_null(strings_array(channels), ""))
    cut = pc.replace_substring_regex(arr, r"(?:-[0-9a-fA-F]{6,8}|-[0-9]+)(?:;[12])?$", "")
    enc = pc.dictionary_encode(cut)
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    tech, ep = [], []
    for u in enc.dictionary.to_pylist():
        t, e = endpoint(u)
        tech.append(t)
        ep.append(e)
    return codes, tech, ep


def channel_parties(channel: pd.Series, dstchannel: pd.Series, src: pd.Series, *,
                    directory: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Who each side of the legs is, from their channels (rules: the module docstring).

    Returns
    -------
    DataFrame
        ``caller_person``, ``callee_person`` (the endpoint when it is a person, else NA),
        ``caller_external``, ``callee_external`` (True when the channel is a trunk), aligned to
        the input.

    Examples
    --------
    ``PJSIP/client2-…`` with ``client2`` in the directory → callee person ``client2``;
    ``SIP/mts-trunk-…`` → external.

    Per leg only integer codes and Arrow strings are handled (a million legs); Python strings
    only per distinct endpoint.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    sv = trim_whitespace(pc.fill_null(strings_array(src), ""))
    cc, c_tech, c_ep = _endpoint_codes(channel)
    dc, d_tech, d_ep = _endpoint_codes(dstchannel)
    c_local = np.array([str(t).lower() == "local" for t in c_tech], dtype=bool)
    ok = np.array([e is not None for e in c_ep], dtype=bool)[cc] & ~c_local[cc]
    # whether the caller channel's endpoint is the leg's src, on integer ids of the endpoints
    names_u = sorted({e for e in c_ep if e is not None})
    at = {e: i for i, e in enumerate(names_u)}
    code_ep = np.array([at.get(e, -1) for e in c_ep], dtype=np.int64)   # cut channel → endpoint id
    sv_ep = pc.index_in(sv, value_set=pa.array(names_u, type=pa.large_string())).fill_null(-2) \
        .to_numpy(zero_copy_only=False)
    same = sv_ep == code_ep[cc]
    # endpoints seen placing a call with their own name as caller ID
    own = {c_ep[c] for c in np.flatnonzero(np.bincount(cc[ok & same], minlength=len(c_ep)))}
    # endpoints carrying calls in from several numbers that are not theirs (a trunk; a phone
    # with an outbound caller ID shows one number, the company's)
    long_src = pc.match_substring_regex(sv, r"^\+?\d{7,}$").to_numpy(zero_copy_only=False)
    sel = ok & long_src & ~same
    carriers: set[str] = set()
    if sel.any():
        ep_id = code_ep[cc[sel]]
        s_code = pc.dictionary_encode(sv.filter(pa.array(sel))).indices.to_numpy(zero_copy_only=False)
        pairs = pd.unique(ep_id * (int(s_code.max()) + 1) + s_code)   # distinct (endpoint, number)
        per_ep = np.bincount(pairs // (int(s_code.max()) + 1), minlength=len(names_u))
        carriers = {names_u[i] for i in np.flatnonzero(per_ep >= 3)}
    names = {e for e in c_ep + d_ep if e}
    known = {e for e in names if e in directory or e in own}
    trunk = {e for e in names if e not in known and (bool(_TRUNK_NAME.search(e)) or e in carriers)}
    short = {e for e in names if re.fullmatch(r"\d{1,5}", e) and e not in trunk}
    person = known | short

    def side(codes: np.ndarray, tech: list, ep: list, *, allow_local: bool) -> tuple[pd.Series, np.ndarray]:
        # Local/… is a pseudo-channel: as the caller it carries someone else's call; as the
        # callee it names the extension (or group) dialled through it
        local = [str(t).lower() == "local" for t in tech]
        who = pa.array([e if (e in person and (allow_local or not lo)) else None for e, lo in zip(ep, local)],
                       type=pa.large_string())
        ext = np.array([bool(e in trunk and not lo) for e, lo in zip(ep, local)] + [False], dtype=bool)
        at = np.where(codes < 0, len(ep), codes)
        return (pd.Series(pd.arrays.ArrowStringArray(who.take(pa.array(codes, mask=codes < 0))),
                          index=channel.index), ext[at])
    cp, cx = side(cc, c_tech, c_ep, allow_local=False)
    dp, dx = side(dc, d_tech, d_ep, allow_local=True)
    return pd.DataFrame({"caller_person": cp, "callee_person": dp, "caller_external": cx, "callee_external": dx},
                        index=channel.index)
