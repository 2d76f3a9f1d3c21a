"""Charts of the audit (matplotlib/seaborn), Russian labels by default.

Every ``plot_*`` function draws one chart on ``ax`` (a new figure when ``ax`` is None) and
returns the Axes; it never touches global state (no ``plt.title``). Styling is a context
manager, :func:`theme`; :func:`save_chart` writes PNG and SVG under ``<out>/<slug>/charts/``.

Examples
--------
>>> import pandas as pd
>>> m = pd.DataFrame({"employee": ["Анна", "Борис"], "department": ["Продажи", "Продажи"],
...                   "external_calls_per_day": [40.0, 20.0]})
>>> with theme():
...     ax = plot_managers(m)
>>> len(ax.patches)
2
"""
from __future__ import annotations

import contextlib
import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from callkit import schema
from callkit.report import format as _fmt
from callkit.report import labels as _labels

__all__ = [
    "theme", "label", "LABELS", "WEEKDAYS", "number_axis", "department_colors", "manager_order",
    "callback_bins", "CALLBACK_BINS", "svg_bytes", "PNG_DPI",
    "plot_managers", "plot_gaps", "plot_activity", "plot_number_types", "plot_repeat_dialing",
    "plot_traffic_heatmap", "plot_presence", "plot_concentration", "plot_callback_delay", "plot_staffing",
    "plot_concurrency", "plot_tech", "traffic_grid", "save_chart",
]

_FONT = "DejaVu Sans"  # ships with matplotlib, has Cyrillic glyphs
_PALETTE = ["#1f5fa8", "#e07b39", "#3a9a5b", "#c8423b", "#7d5ba6", "#8c6d31", "#d16ba5", "#6b6b6b"]
_FLAG = "#c8423b"
_OK = "#1f5fa8"

#: Weekday names and every chart word live in :mod:`callkit.report.labels` (one table of the
#: words a reader sees); these names are kept for callers of the chart module.
WEEKDAYS = _labels.WEEKDAYS
LABELS = _labels.CHART


def label(key: str, lang: str = "ru", **fmt: Any) -> str:
    """The chart label ``key`` in ``lang`` (falls back to the key itself), formatted with ``fmt``.

    Examples
    --------
    >>> label("gap", "en")
    'Gap to best'
    """
    return _labels.chart_label(key, lang, **fmt)


@contextlib.contextmanager
def theme(*, font_scale: float = 1.0) -> Iterator[None]:
    """Context manager with callkit's chart style (DejaVu Sans, renders Cyrillic).

    Changes matplotlib's rc parameters only inside the ``with`` block and never switches the
    backend, so it is safe under Agg (servers, papermill) and in notebooks.

    Examples
    --------
    >>> with theme():
    ...     import matplotlib as mpl
    ...     mpl.rcParams["font.family"]
    ['DejaVu Sans']
    """
    size = 10 * font_scale
    rc = {
        "font.family": [_FONT],
        "font.sans-serif": [_FONT],
        "font.size": size,
        "axes.titlesize": size * 1.15,
        "axes.labelsize": size,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.prop_cycle": mpl.cycler(color=_PALETTE),
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "svg.fonttype": "none",  # text stays text: small, fast, searchable
        "axes.unicode_minus": False,
    }
    with mpl.rc_context(rc):
        yield


def _new_ax(ax: Axes | None, size: tuple[float, float] = (9, 4.5)) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only when the caller did not give an Axes

    _, new = plt.subplots(figsize=size)
    return new


def _empty(ax: Axes, title: str, lang: str) -> Axes:
    ax.set_title(title)
    ax.text(0.5, 0.5, label("no_data", lang), ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(frame[col], errors="coerce").astype("float64")


def number_axis(axis: Any, lang: str = "ru", *, decimals: int | None = None, percent: bool = False) -> None:
    """Tick labels of ``axis`` (``ax.xaxis``/``ax.yaxis``) in the language's number style:
    a decimal comma in Russian (``1,5``), whole numbers without decimals, ``%`` for shares."""
    def fmt(v: float, _pos: Any = None) -> str:
        if percent:
            return _fmt.percent(v, lang, 0 if decimals is None else decimals)
        places = decimals if decimals is not None else (0 if float(v).is_integer() else 1)
        return _fmt.number(v, lang, places)

    axis.set_major_formatter(mpl.ticker.FuncFormatter(fmt))


def _dept_key(depts: pd.Series) -> pd.Series:
    return depts.astype(object).where(depts.notna(), "—").astype(str)


def department_colors(departments: Any) -> dict[str, str]:
    """One colour per department, the same in every chart: departments in alphabetical
    order take the palette in turn (a missing department is ``"—"``).

    Examples
    --------
    >>> department_colors(["Сервис", "Продажи", "Сервис"])
    {'Продажи': '#1f5fa8', 'Сервис': '#e07b39'}
    """
    names = sorted(set(_dept_key(pd.Series(list(departments), dtype=object))))
    return {d: _PALETTE[i % len(_PALETTE)] for i, d in enumerate(names)}


def manager_order(managers: pd.DataFrame, *, metric: str = "external_calls_per_day") -> list[str]:
    """One order of managers for every chart: by department (alphabetical), then by ``metric``
    (largest first), then by name.

    Examples
    --------
    >>> m = pd.DataFrame({"employee": ["Вера", "Анна", "Борис"], "department": ["Сервис", "Продажи", "Продажи"],
    ...                   "external_calls_per_day": [9.0, 5.0, 7.0]})
    >>> manager_order(m)
    ['Борис', 'Анна', 'Вера']
    """
    if managers.empty or schema.EMPLOYEE not in managers:
        return []
    data = managers.assign(_d=_dept_key(managers[schema.DEPARTMENT]) if schema.DEPARTMENT in managers else "—",
                           _e=managers[schema.EMPLOYEE].astype(str),
                           _v=_num(managers, metric).fillna(-np.inf) if metric in managers else 0.0)
    data = data.sort_values(["_d", "_v", "_e"], ascending=[True, False, True], kind="stable")
    return list(dict.fromkeys(data["_e"]))


def _ordered(frame: pd.DataFrame, order: Sequence[str] | None) -> pd.DataFrame:
    """``frame`` in the managers' ``order`` (rows of unknown managers last, in their order)."""
    if not order or schema.EMPLOYEE not in frame:
        return frame
    rank = {e: i for i, e in enumerate(order)}
    key = frame[schema.EMPLOYEE].astype(str).map(rank).fillna(len(rank)).astype(float)
    return frame.assign(_rank=key).sort_values("_rank", kind="stable").drop(columns="_rank")


def _colors_for(frame: pd.DataFrame, colors: Mapping[str, str] | None) -> list[str]:
    colors = colors or department_colors(frame[schema.DEPARTMENT] if schema.DEPARTMENT in frame else [])
    if schema.DEPARTMENT not in frame:
        return [_PALETTE[0]] * len(frame)
    return [colors.get(d, _PALETTE[-1]) for d in _dept_key(frame[schema.DEPARTMENT])]


def _dept_legend(ax: Axes, frame: pd.DataFrame, colors: Mapping[str, str] | None, extra: list[Any] | None = None,
                 **kwargs: Any) -> None:
    colors = colors or department_colors(frame[schema.DEPARTMENT])
    shown = list(dict.fromkeys(_dept_key(frame[schema.DEPARTMENT])))
    handles = [mpl.patches.Patch(color=colors.get(d, _PALETTE[-1]), label=d) for d in shown]
    ax.legend(handles=handles + list(extra or []), fontsize="small", frameon=False, **kwargs)


def plot_managers(managers: pd.DataFrame, *, metric: str = "external_calls_per_day", lang: str = "ru",
                  order: Sequence[str] | None = None, colors: Mapping[str, str] | None = None,
                  title: str | None = None, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Bar per manager of ``metric`` in the department's colour, each bar labelled with its
    value, and each department's median as a dashed line.

    Parameters
    ----------
    managers : DataFrame
        ``managers.csv``-shaped: ``employee``, ``department`` and ``metric``.
    metric : str, default ``"external_calls_per_day"``
    lang : {"ru", "en"}
    order : list of str, optional
        The managers' order (:func:`manager_order`; default: by department, then ``metric``).
    colors : mapping, optional
        Department → colour (:func:`department_colors`).
    title : str, optional
        Default: the metric's chart title.
    ax : Axes, optional
    **kwargs
        Passed to ``ax.bar``.

    Returns
    -------
    Axes
        One bar per manager (``len(ax.patches) == len(managers)``); one dashed line per
        department at its median.
    """
    ax = _new_ax(ax)
    if title is None:
        title = label("managers_title", lang) if metric == "external_calls_per_day" else label(metric, lang)
    if managers.empty or metric not in managers:
        return _empty(ax, title, lang)
    data = managers.assign(_v=_num(managers, metric), _d=_dept_key(managers[schema.DEPARTMENT]))
    data = _ordered(data, order or manager_order(managers, metric=metric))
    x = np.arange(len(data))
    values = data["_v"].fillna(0).to_numpy()
    bars = ax.bar(x, values, color=_colors_for(data, colors), **kwargs)
    top = float(np.nanmax(values)) if len(values) else 0.0
    for bar, v in zip(bars, data["_v"]):
        if pd.notna(v):
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + top * 0.01,
                    _fmt.number(v, lang, 1), ha="center", va="bottom", fontsize="x-small")
    line = None
    for dept in dict.fromkeys(data["_d"]):
        idx = np.flatnonzero(data["_d"].to_numpy() == dept)
        med = data["_v"].iloc[idx].median()
        if pd.notna(med):
            line = ax.hlines(med, idx.min() - 0.4, idx.max() + 0.4, colors="#333333", linestyles="--",
                             linewidth=1.2)
    ax.set_xticks(x, data[schema.EMPLOYEE].astype(str).tolist(), rotation=30, ha="right")
    ax.set_title(title)
    ax.set_xlabel(label("employee", lang))
    ax.set_ylabel(label(metric, lang))
    ax.set_ylim(0, top * 1.12 if top > 0 else 1)
    number_axis(ax.yaxis, lang)
    extra = [mpl.lines.Line2D([], [], color="#333333", linestyle="--", label=label("median_dept", lang))] if line else []
    _dept_legend(ax, data, colors, extra, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def plot_gaps(compare: pd.DataFrame, *, metric: str = "external_calls_per_day", threshold: float = 0.25,
              lang: str = "ru", ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Horizontal bar per manager of the gap to the department's best, with the threshold line.

    Parameters
    ----------
    compare : DataFrame
        ``compare.csv``-shaped (long): ``department, employee, metric, value, best, gap, flagged``.
    metric : str
        Which metric's gaps to draw.
    threshold : float, default 0.25
        The growth-zone line (a gap above it is flagged).

    Returns
    -------
    Axes
        One bar per manager of that metric; flagged ones in red.
    """
    ax = _new_ax(ax)
    title = f"{label('gaps_title', lang)}: {label(metric, lang).lower()}"
    data = compare.loc[compare["metric"].astype(str) == metric] if "metric" in compare else compare.iloc[0:0]
    if data.empty:
        return _empty(ax, title, lang)
    data = data.assign(_g=_num(data, "gap").fillna(0.0))
    data = data.sort_values(["department", "_g"], kind="stable")
    flagged = data["flagged"].fillna(False).astype(bool) if "flagged" in data else data["_g"] > threshold
    names = (data[schema.EMPLOYEE].astype(str) + " (" + data[schema.DEPARTMENT].astype(object)
             .where(data[schema.DEPARTMENT].notna(), "—").astype(str) + ")")
    y = np.arange(len(data))
    ax.barh(y, data["_g"].to_numpy(), color=[_FLAG if f else _OK for f in flagged], **kwargs)
    ax.axvline(threshold, color="#333333", linestyle="--", linewidth=1.2,
               label=label("threshold_line", lang, pct=_fmt.percent(threshold, lang)))
    ax.set_yticks(y, names.tolist())
    number_axis(ax.xaxis, lang, percent=True)
    ax.set_xlim(0, max(1.0, float(data["_g"].max()) * 1.05))
    ax.set_title(title)
    ax.set_xlabel(label("gap", lang))
    ax.set_ylabel(label("employee", lang))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_activity(managers: pd.DataFrame, *, lang: str = "ru", ax: Axes | None = None,
                  **kwargs: Any) -> Axes:
    """Stacked bars per manager: incoming answered and outgoing calls.

    Returns
    -------
    Axes
        Two bar containers (incoming answered, outgoing), one bar per manager each.
    """
    ax = _new_ax(ax)
    title = label("activity_title", lang)
    cols = ["incoming_answered", "outgoing"]
    if managers.empty or any(c not in managers for c in cols):
        return _empty(ax, title, lang)
    data = managers.assign(_in=_num(managers, cols[0]).fillna(0), _out=_num(managers, cols[1]).fillna(0))
    data = data.sort_values(["_out"], ascending=False, kind="stable")
    x = np.arange(len(data))
    ax.bar(x, data["_in"], color=_PALETTE[0], label=label(cols[0], lang), **kwargs)
    ax.bar(x, data["_out"], bottom=data["_in"], color=_PALETTE[1], label=label(cols[1], lang), **kwargs)
    ax.set_xticks(x, data[schema.EMPLOYEE].astype(str).tolist(), rotation=30, ha="right")
    ax.set_title(title)
    ax.set_xlabel(label("employee", lang))
    ax.set_ylabel(label("calls", lang))
    ax.legend(fontsize="small")
    return ax


def plot_number_types(managers: pd.DataFrame, *, lang: str = "ru", ax: Axes | None = None,
                      **kwargs: Any) -> Axes:
    """Grouped bars per manager: mobile and landline shares of outgoing, internal share of all calls.

    Returns
    -------
    Axes
        Up to three bar groups (``mobile_share``, ``landline_share``, ``internal_share``).
    """
    ax = _new_ax(ax)
    title = label("number_types_title", lang)
    cols = [c for c in ("mobile_share", "landline_share", "internal_share") if c in managers]
    if managers.empty or not cols:
        return _empty(ax, title, lang)
    x = np.arange(len(managers))
    width = 0.8 / len(cols)
    for i, col in enumerate(cols):
        ax.bar(x + (i - (len(cols) - 1) / 2) * width, _num(managers, col).fillna(0), width,
               color=_PALETTE[i], label=label(col, lang), **kwargs)
    ax.set_xticks(x, managers[schema.EMPLOYEE].astype(str).tolist(), rotation=30, ha="right")
    number_axis(ax.yaxis, lang, percent=True)
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    ax.set_xlabel(label("employee", lang))
    ax.set_ylabel(label("share", lang))
    ax.legend(fontsize="small")
    return ax


def plot_repeat_dialing(managers: pd.DataFrame, *, lang: str = "ru", ax: Axes | None = None,
                        **kwargs: Any) -> Axes:
    """Bar per manager of ``calls_per_number`` with the team median as a line.

    Returns
    -------
    Axes
        One bar per manager.
    """
    ax = _new_ax(ax)
    title = label("repeat_title", lang)
    if managers.empty or "calls_per_number" not in managers:
        return _empty(ax, title, lang)
    data = managers.assign(_v=_num(managers, "calls_per_number")).sort_values("_v", ascending=False,
                                                                              kind="stable")
    x = np.arange(len(data))
    ax.bar(x, data["_v"].fillna(0), color=_PALETTE[0], **kwargs)
    med = data["_v"].median()
    if pd.notna(med):
        ax.axhline(med, color="#333333", linestyle="--", linewidth=1.2, label=label("median_line", lang, v=_fmt.number(med, lang, 2)))
        ax.legend(fontsize="small")
    ax.set_xticks(x, data[schema.EMPLOYEE].astype(str).tolist(), rotation=30, ha="right")
    ax.set_title(title)
    ax.set_xlabel(label("employee", lang))
    ax.set_ylabel(label("calls_per_number", lang))
    return ax


def traffic_grid(traffic: pd.DataFrame, *, value: str = "incoming") -> pd.DataFrame:
    """Weekday × hour grid (7 × 24) of ``value`` from a ``traffic.csv``-shaped table.

    ``value="incoming"`` gives the mean incoming per day of that weekday (``incoming / days``);
    ``"missed_rate"`` the missed share (NaN where no call came in). Slots without data are NaN.

    Examples
    --------
    >>> t = pd.DataFrame({"weekday": [0], "hour": [10], "incoming": [8], "answered": [6],
    ...                   "missed": [2], "missed_rate": [0.25], "days": [4]})
    >>> float(traffic_grid(t).loc[0, 10])
    2.0
    """
    grid = pd.DataFrame(np.nan, index=pd.RangeIndex(7, name="weekday"), columns=pd.RangeIndex(24, name="hour"))
    if traffic.empty:
        return grid
    t = traffic.copy()
    if value == "incoming":
        days = _num(t, "days").where(lambda s: s > 0) if "days" in t else 1.0
        t["_v"] = _num(t, "incoming") / days
    else:
        t["_v"] = _num(t, value)
        if "incoming" in t:  # a rate of nothing is no information: leave those slots empty
            t.loc[_num(t, "incoming").fillna(0) <= 0, "_v"] = np.nan
    # a slot with nothing to show stays NaN (pivot_table's sum would make it 0, read as "0 %")
    piv = t.groupby(["weekday", "hour"])["_v"].sum(min_count=1).unstack("hour")
    grid.loc[piv.index.astype(int), piv.columns.astype(int)] = piv.to_numpy()
    return grid


def plot_traffic_heatmap(traffic: pd.DataFrame, *, value: str = "incoming", hours: tuple[int, int] | None = None,
                         min_n: int = 5, lang: str = "ru", ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Heatmap hour × weekday of incoming per day (``value="incoming"``) or of the missed share.

    The missed share is coloured only where the slot had at least ``min_n`` incoming calls;
    each cell says its share and, below it, how many calls it is out of; slots with fewer
    calls are grey and show the count alone (one missed call of one is not "100 %").

    Parameters
    ----------
    traffic : DataFrame
        ``traffic.csv``-shaped: ``weekday, hour, incoming, answered, missed, missed_rate, days``.
    value : {"incoming", "missed_rate"}
    hours : (first, last), optional
        Hours shown; default: the span of hours with any incoming call.
    min_n : int, default 5
        Fewest incoming calls for a coloured missed share.

    Returns
    -------
    Axes
        Rows are weekdays (Monday first), columns hours.
    """
    ax = _new_ax(ax, (10, 3.8))
    is_rate = value != "incoming"
    title = label("heatmap_missed_rate" if is_rate else "heatmap_incoming", lang)
    if traffic.empty:
        return _empty(ax, title, lang)
    grid = traffic_grid(traffic, value=value)
    counts = traffic_grid(traffic.assign(days=1) if "days" in traffic else traffic, value="incoming")
    if hours is None:
        busy = counts.fillna(0).sum(axis=0)
        nz = busy.index[busy > 0]
        hours = (int(nz.min()), int(nz.max())) if len(nz) else (0, 23)
    grid = grid.loc[:, hours[0]:hours[1]]
    counts = counts.loc[:, hours[0]:hours[1]].fillna(0)
    vals = grid.to_numpy(dtype=float)
    n = counts.to_numpy(dtype=float)
    few = is_rate & (n > 0) & (n < min_n)
    shown = np.where(few, np.nan, vals)
    vmax = 1.0 if is_rate else (np.nanmax(vals) if np.isfinite(vals).any() else 1.0) or 1.0
    opts = {"cmap": "Reds" if is_rate else "Blues", "vmin": 0.0, "vmax": vmax, "aspect": "auto",
            "interpolation": "nearest"}
    opts.update(kwargs)
    if few.any():   # the grey cells under the coloured ones
        ax.imshow(np.ma.masked_where(~few, np.ones_like(vals)), cmap=mpl.colors.ListedColormap(["#e3e3e3"]),
                  vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    im = ax.imshow(np.ma.masked_invalid(shown), **opts)
    cmap = im.get_cmap()
    for (r, c), v in np.ndenumerate(vals):
        if np.isnan(v):
            continue
        if is_rate and few[r, c]:
            ax.text(c, r, f"{int(n[r, c])}", ha="center", va="center", fontsize=6.5, color="#666666")
            continue
        dark = sum(cmap(im.norm(v))[:3]) < 1.5
        color = "white" if dark else "#222222"
        if is_rate:
            ax.text(c, r - 0.14, _fmt.percent(v, lang), ha="center", va="center", fontsize=6.5, color=color)
            ax.text(c, r + 0.24, f"{int(n[r, c])}", ha="center", va="center", fontsize=5.5, color=color)
        else:
            ax.text(c, r, _fmt.number(v, lang, 1), ha="center", va="center", fontsize=7, color=color)
    bar = ax.figure.colorbar(im, ax=ax)
    number_axis(bar.ax.yaxis, lang, percent=is_rate)
    ax.set_xticks(np.arange(vals.shape[1]), [f"{h}:00" for h in grid.columns], fontsize="small")
    ax.set_yticks(np.arange(7), WEEKDAYS[_labels.lang_of(lang)])
    ax.set_xticks(np.arange(-0.5, vals.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, 7), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    ax.set_title(title)
    ax.set_xlabel(label("hour", lang) + (" · " + label("few_calls", lang, n=min_n) if is_rate and few.any() else ""))
    ax.set_ylabel(label("weekday", lang))
    ax.grid(which="major", visible=False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return ax


def plot_concentration(conc: pd.DataFrame, *, lang: str = "ru", order: Sequence[str] | None = None,
                       colors: Mapping[str, str] | None = None, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Horizontal bar per manager: their share of the department's incoming answered calls,
    with the even share (1 / managers) marked for each department.

    Parameters
    ----------
    conc : DataFrame
        :func:`callkit.metrics.flow_concentration` output (``department``, ``employee``,
        ``incoming_share``, ``even_share``; ``counted`` rows only are drawn when present).
    order, colors : optional
        The managers' order and the department colours shared by the report's charts; without
        ``colors`` a bar over twice the even share is in the flag colour, the others blue.

    Returns
    -------
    Axes
        One bar per counted manager, the first of ``order`` on top.
    """
    ax = _new_ax(ax)
    title = label("concentration_title", lang)
    if conc is None or conc.empty or "incoming_share" not in conc:
        return _empty(ax, title, lang)
    data = conc[conc["counted"].astype(bool)] if "counted" in conc else conc
    data = _ordered(data, order) if order else data.sort_values([schema.DEPARTMENT, "incoming_share"], kind="stable")
    data = data.iloc[::-1] if order else data   # barh draws bottom-up: the first manager on top
    share, even = _num(data, "incoming_share"), _num(data, "even_share")
    y = np.arange(len(data))
    if colors is None:
        bar_colors = [_FLAG if s_ >= 2 * e else _OK for s_, e in zip(share.fillna(0), even.fillna(1))]
    else:
        bar_colors = _colors_for(data, colors)
    ax.barh(y, share.to_numpy(), color=bar_colors, **kwargs)
    ax.scatter(even.to_numpy(), y, marker="|", s=300, color="black", zorder=3, label=label("even_share", lang))
    for yi, s_ in zip(y, share):
        if pd.notna(s_):
            ax.text(s_ + 0.01, yi, _fmt.percent(s_, lang), va="center", fontsize="x-small")
    ax.set_yticks(y, [f"{e} ({d})" for e, d in zip(data[schema.EMPLOYEE], _dept_key(data[schema.DEPARTMENT]))])
    number_axis(ax.xaxis, lang, percent=True)
    ax.set_xlim(0, min(1.05, max(0.2, float(share.max()) * 1.15 if share.notna().any() else 1)))
    ax.set_xlabel(label("incoming_share", lang))
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    return ax


def plot_presence(presence: pd.DataFrame, *, value: str | None = None, lang: str = "ru",
                  order: Sequence[str] | None = None, colors: Mapping[str, str] | None = None,
                  ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Horizontal bar per manager: the share of peak hours they were on the phone.

    Parameters
    ----------
    presence : DataFrame
        One row per manager with ``employee`` and a share column (``value``; default the first
        of ``present_share``, ``presence``, ``share``, ``peak_presence``); or one row per
        (manager, slot) with a boolean ``present``, which is averaged.
    order, colors : optional
        The managers' order and department colours shared by the report's charts; without
        ``colors`` a share under one half is in the flag colour.

    Returns
    -------
    Axes
        One bar per manager.
    """
    ax = _new_ax(ax)
    title = label("presence_title", lang)
    if presence is None or presence.empty or schema.EMPLOYEE not in presence:
        return _empty(ax, title, lang)
    if value is None:
        value = next((c for c in ("present_share", "presence", "share", "peak_presence", "present")
                      if c in presence), None)
    if value is None:
        return _empty(ax, title, lang)
    cols = [schema.EMPLOYEE] + ([schema.DEPARTMENT] if schema.DEPARTMENT in presence else [])
    data = (presence.assign(_v=_num(presence, value)).groupby(cols, sort=False, dropna=False)["_v"].mean()
            .reset_index())
    data = (_ordered(data, order).iloc[::-1] if order
            else data.sort_values("_v", kind="stable"))
    y = np.arange(len(data))
    if colors is not None and schema.DEPARTMENT in data:
        bar_colors = _colors_for(data, colors)
    else:
        bar_colors = [_FLAG if v < 0.5 else _OK for v in data["_v"].fillna(0)]
    ax.barh(y, data["_v"].to_numpy(), color=bar_colors, **kwargs)
    for yi, v in zip(y, data["_v"]):
        if pd.notna(v):
            ax.text(v + 0.01, yi, _fmt.percent(v, lang), va="center", fontsize="x-small")
    ax.set_yticks(y, data[schema.EMPLOYEE].astype(str).tolist())
    number_axis(ax.xaxis, lang, percent=True)
    ax.set_xlim(0, 1.1)
    ax.set_title(title)
    ax.set_xlabel(label("presence", lang))
    ax.set_ylabel(label("employee", lang))
    return ax


#: The call-back delay bins of :func:`callback_bins`, in order (labels in CHART ``bin_*``).
CALLBACK_BINS = ("5m", "15m", "60m", "same_day", "next_day", "never")


def callback_bins(missed: pd.DataFrame) -> pd.DataFrame:
    """Missed calls by how soon they were called back: under 5 minutes, 5–15, 15–60 minutes,
    later the same (local) day, the next day or later, never.

    Parameters
    ----------
    missed : DataFrame
        ``missed.csv``-shaped: ``callback_delay_s`` (NaN when never called back), with
        ``start`` and ``callback_at`` for the same-day split (without them, a delay under
        24 h counts as the same day) and ``reached``.

    Returns
    -------
    DataFrame
        ``bin`` (the keys of :data:`CALLBACK_BINS`, all of them, in order), ``calls`` and
        ``reached`` (of those calls, how many were reached in the end).

    Examples
    --------
    Delays 2 min, 10 min, 3 h on the same date, 30 h, never → one call in each bin but 15–60 min.
    """
    delay = _num(missed, "callback_delay_s") if "callback_delay_s" in missed else pd.Series(np.nan, index=missed.index)
    minutes = delay / 60.0
    if {"start", "callback_at"} <= set(missed.columns):
        # local calendar days compared as midnights (comparing .dt.date objects made pandas
        # infer datetimes from date objects, deprecated)
        same_day = missed["callback_at"].dt.normalize() == missed["start"].dt.normalize()
        same_day = same_day.fillna(False).astype(bool)
    else:
        same_day = minutes < 24 * 60
    key = np.select([delay.isna(), minutes < 5, minutes < 15, minutes < 60, same_day],
                    ["never", "5m", "15m", "60m", "same_day"], default="next_day")
    reached = missed["reached"].fillna(False).astype(bool) if "reached" in missed else pd.Series(False, index=missed.index)
    frame = pd.DataFrame({"bin": key, "reached": reached.to_numpy()})
    out = frame.groupby("bin").agg(calls=("bin", "size"), reached=("reached", "sum"))
    out = out.reindex(list(CALLBACK_BINS), fill_value=0).reset_index()
    return out.astype({"calls": "int64", "reached": "int64"})


def plot_callback_delay(missed: pd.DataFrame, *, window_h: float = 24, lang: str = "ru",
                        ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Missed calls by how soon they were called back (:func:`callback_bins`): one bar per
    bin, labelled with its count; the never-called-back bar in the flag colour.

    Parameters
    ----------
    missed : DataFrame
        ``missed.csv``-shaped (``callback_delay_s``, ``start``, ``callback_at``, ``reached``).
    window_h : float, default 24
        The call-back window (said in the legend).

    Returns
    -------
    Axes
        Six bars, one per bin; their heights sum to the missed calls.
    """
    ax = _new_ax(ax)
    title = label("callback_title", lang)
    if missed.empty or "callback_delay_s" not in missed:
        return _empty(ax, title, lang)
    bins = callback_bins(missed)
    x = np.arange(len(bins))
    colors = [_FLAG if b == "never" else (_PALETTE[0] if b in ("5m", "15m") else "#7fa7d4") for b in bins["bin"]]
    bars = ax.bar(x, bins["calls"].to_numpy(), color=colors, **kwargs)
    top = max(1, int(bins["calls"].max()))
    for bar, n in zip(bars, bins["calls"]):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + top * 0.01, str(int(n)), ha="center",
                va="bottom", fontsize="small")
    ax.set_xticks(x, [textwrap.fill(label(f"bin_{b}", lang), 14) for b in bins["bin"]], fontsize="small")
    ax.set_ylim(0, top * 1.15)
    ax.set_title(title)
    ax.set_ylabel(label("missed_calls", lang))
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    never = int(bins.loc[bins["bin"] == "never", "calls"].sum())
    ax.plot([], [], " ", label=label("never_called_back", lang, n=never))
    ax.plot([], [], " ", label=label("window_line", lang, h=_fmt.number(window_h, lang, 0)))
    ax.legend(fontsize="small", frameon=False)
    ax.grid(axis="x", visible=False)
    return ax


def _slot_labels(frame: pd.DataFrame, lang: str) -> list[str]:
    days = WEEKDAYS["en" if lang == "en" else "ru"]
    return [f"{days[int(w)]} {int(h):02d}" for w, h in zip(frame["weekday"], frame["hour"])]


def plot_staffing(staffing: pd.DataFrame, *, lang: str = "ru", ax: Axes | None = None,
                  traffic: pd.DataFrame | None = None, **kwargs: Any) -> Axes:
    """Per hour slot: agents Erlang C needs vs the people who placed or took a call in that
    hour, the most simultaneous calls, and — with ``traffic`` — the incoming calls missed in
    that hour per day, so a slot where people are "there" by their calls but the phone is not
    picked up (a meeting) shows as such.

    Parameters
    ----------
    staffing : DataFrame
        ``staffing.csv``-shaped: ``weekday, hour, required_agents, active_employees,
        max_concurrent, understaffed``. Slots without calls are left out.
    traffic : DataFrame, optional
        ``traffic.csv``-shaped (``weekday, hour, missed, days``): the missed incoming per day of
        each slot, drawn as crosses.

    Returns
    -------
    Axes
        Bars = needed agents (understaffed slots red), line = people with a call in the hour,
        dotted = concurrency, crosses = missed incoming per day.
    """
    ax = _new_ax(ax, (11, 4.2))
    title = label("staffing_title", lang)
    if staffing.empty:
        return _empty(ax, title, lang)
    data = staffing.sort_values(["weekday", "hour"], kind="stable")
    if "calls_per_hour" in data:
        data = data.loc[_num(data, "calls_per_hour").fillna(0) > 0]
    if data.empty:
        return _empty(ax, title, lang)
    x = np.arange(len(data))
    under = data["understaffed"].fillna(False).astype(bool) if "understaffed" in data else pd.Series(False, index=data.index)
    ax.bar(x, _num(data, "required_agents").fillna(0), color=[_FLAG if u else _PALETTE[0] for u in under],
           alpha=0.8, label=label("required_agents", lang), **kwargs)
    ax.step(x, _num(data, "active_employees").fillna(0), where="mid", color=_PALETTE[2], linewidth=2,
            label=label("active_employees", lang))
    if "max_concurrent" in data:
        ax.plot(x, _num(data, "max_concurrent").fillna(0), ":", color="#333333", marker=".",
                label=label("max_concurrent", lang))
    if traffic is not None and not traffic.empty and {"missed", "days"} <= set(traffic.columns):
        t = traffic.set_index(["weekday", "hour"])
        key = pd.MultiIndex.from_arrays([data["weekday"].astype(int), data["hour"].astype(int)])
        missed = _num(t, "missed").reindex(key).to_numpy(dtype=float)
        days = _num(t, "days").reindex(key).to_numpy(dtype=float)
        per_day = np.where(days > 0, missed / np.where(days > 0, days, 1), np.nan)
        per_day = np.where(per_day > 0, per_day, np.nan)      # no cross where nothing was missed
        if np.nansum(per_day) > 0:
            ax.plot(x, per_day, "x", color=_FLAG, markersize=7, markeredgewidth=2, linestyle="none",
                    label=label("missed_per_day", lang))
    labels = _slot_labels(data, lang)
    step = max(1, len(x) // 24)
    ax.set_xticks(x[::step], labels[::step], rotation=60, ha="right", fontsize="small")
    ax.set_title(title)
    ax.set_xlabel(label("slot", lang))
    ax.set_ylabel(label("agents", lang))
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    return ax


def plot_concurrency(staffing: pd.DataFrame, traffic: pd.DataFrame | None = None, *, lang: str = "ru",
                     ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Max concurrent calls per slot against missed incoming calls (a flat ceiling hints a line limit).

    Returns
    -------
    Axes
        Scatter: x = max concurrent calls in the slot, y = missed incoming in the slot.
    """
    ax = _new_ax(ax, (6, 4))
    title = label("concurrency_title", lang)
    if staffing.empty or "max_concurrent" not in staffing or traffic is None or traffic.empty:
        return _empty(ax, title, lang)
    merged = staffing.merge(traffic, on=["weekday", "hour"], how="inner")
    if merged.empty:
        return _empty(ax, title, lang)
    ax.scatter(_num(merged, "max_concurrent"), _num(merged, "missed"), color=_PALETTE[3], alpha=0.7, **kwargs)
    ax.set_title(title)
    ax.set_xlabel(label("max_concurrent", lang))
    ax.set_ylabel(label("missed", lang))
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    return ax


def plot_tech(calls: pd.DataFrame, *, short_s: float = 5, lang: str = "ru", ax: Axes | None = None,
              short_n: int | None = None, **kwargs: Any) -> Axes:
    """Histogram of ring time of unanswered incoming calls; short drops (≤ ``short_s``) marked.

    Many very short unanswered rings point at a technical problem (IVR, routing, line
    limit) rather than at managers.

    Parameters
    ----------
    calls : DataFrame
        The canonical call table (``direction``, ``status``, ``ring_s``).
    short_s : float, default 5
    short_n : int, optional
        The number of short-ring drops to print in the legend (the audit's headline
        ``short_ring_drops``: status missed, ring < 5 s, inside working hours); default: the
        unanswered rings of the histogram up to ``short_s``.

    Returns
    -------
    Axes
    """
    ax = _new_ax(ax)
    title = label("tech_title", lang)
    need = {schema.DIRECTION, schema.STATUS, schema.RING_S}
    if calls.empty or not need <= set(calls.columns):
        return _empty(ax, title, lang)
    sel = (calls[schema.DIRECTION].astype(str) == schema.INCOMING) & \
        calls[schema.STATUS].astype(str).isin(schema.UNANSWERED_STATUSES)
    ring = _num(calls.loc[sel], schema.RING_S).dropna()
    if ring.empty:
        return _empty(ax, title, lang)
    top = max(float(ring.quantile(0.98)), short_s * 2)
    ax.hist(ring.clip(upper=top).to_numpy(), bins=np.linspace(0, top, 30), color=_PALETTE[0], **kwargs)
    ax.axvline(short_s, color=_FLAG, linestyle="--", linewidth=1.2,
               label=label("short_line", lang, s=_fmt.number(short_s, lang, 0),
                           n=int((ring <= short_s).sum()) if short_n is None else int(short_n)))
    ax.set_title(title)
    ax.set_xlabel(label("ring_s", lang))
    ax.set_ylabel(label("missed_calls", lang))
    number_axis(ax.xaxis, lang)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.legend(fontsize="small")
    return ax


_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
#: PNG resolution: twice the screen's 100 dpi of a figure, so text stays sharp when zoomed.
PNG_DPI = 200
# matplotlib names one font in the SVG; where DejaVu Sans is not installed, Verdana has the
# closest widths (both descend from Bitstream Vera's metrics), then any sans-serif
_SVG_FONT = re.compile(rb"font-family: ?'DejaVu Sans'")


def svg_bytes(fig: Figure, *, tight: bool = True) -> bytes:
    """The figure as SVG with its text kept as text (small, sharp at any zoom, searchable) and
    a font fallback for machines without DejaVu Sans."""
    import io

    buf = io.BytesIO()
    with theme():
        fig.savefig(buf, format="svg", bbox_inches="tight" if tight else None, metadata={"Date": None})
    return _SVG_FONT.sub(b"font-family: 'DejaVu Sans', Verdana, sans-serif", buf.getvalue())


def save_chart(fig_or_ax: Figure | Axes, out_dir: str | Path, name: str, *, close: bool = True,
               slug: str | None = None, tight: bool = True) -> tuple[Path, Path]:
    """Save a chart as PNG and SVG.

    Parameters
    ----------
    fig_or_ax : Figure or Axes
    out_dir : path
        The client's output folder ``<out>/<slug>``; files go to ``<out_dir>/charts/`` (or to
        ``<out_dir>/<slug>/charts/`` when ``slug`` is given, validated so it stays inside).
    name : str
        File stem, ``[A-Za-z0-9_-]+``.
    close : bool, default True
        Close the figure afterwards (frees memory in long batch runs).
    tight : bool, default True
        Crop to the drawn content (``bbox_inches="tight"``, one extra draw per file); pass
        False for a figure already laid out with ``tight_layout``.

    Returns
    -------
    (Path, Path)
        The PNG and SVG paths.
    """
    from callkit.masking import safe_output_dir

    if not _NAME.match(name):
        raise ValueError(f"Chart name {name!r} is not a safe file stem; expected [A-Za-z0-9_-]+.")
    fig = fig_or_ax if isinstance(fig_or_ax, Figure) else fig_or_ax.get_figure()
    base = safe_output_dir(out_dir, slug) if slug is not None else Path(out_dir)
    charts = base / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    png, svg = charts / f"{name}.png", charts / f"{name}.svg"
    bbox = "tight" if tight else None
    with theme():
        fig.savefig(png, dpi=PNG_DPI, bbox_inches=bbox, metadata={"Software": None})
    svg.write_bytes(svg_bytes(fig, tight=tight))
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return png, svg
