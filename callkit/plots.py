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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from callkit import schema

__all__ = [
    "theme", "label", "LABELS", "WEEKDAYS",
    "plot_managers", "plot_gaps", "plot_activity", "plot_number_types", "plot_repeat_dialing",
    "plot_traffic_heatmap", "plot_presence", "plot_concentration", "plot_callback_delay", "plot_staffing",
    "plot_concurrency", "plot_tech", "traffic_grid", "save_chart",
]

_FONT = "DejaVu Sans"  # ships with matplotlib, has Cyrillic glyphs
_PALETTE = ["#1f5fa8", "#e07b39", "#3a9a5b", "#c8423b", "#7d5ba6", "#8c6d31", "#d16ba5", "#6b6b6b"]
_FLAG = "#c8423b"
_OK = "#1f5fa8"

WEEKDAYS: dict[str, list[str]] = {
    "ru": ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"],
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}

#: Chart and axis labels, ``LABELS[key][lang]``.
LABELS: dict[str, dict[str, str]] = {
    "employee": {"ru": "Менеджер", "en": "Manager"},
    "concentration_title": {"ru": "Доля отвеченных входящих отдела у каждого менеджера",
                            "en": "Each manager's share of the department's answered incoming"},
    "even_share": {"ru": "равная доля", "en": "even share"},
    "incoming_share": {"ru": "Доля входящих отдела", "en": "Share of the department's incoming"},
    "department": {"ru": "Отдел", "en": "Department"},
    "hour": {"ru": "Час", "en": "Hour"},
    "weekday": {"ru": "День недели", "en": "Weekday"},
    "share": {"ru": "Доля", "en": "Share"},
    "calls": {"ru": "Звонки", "en": "Calls"},
    "managers_title": {"ru": "Внешние звонки в день по менеджерам",
                       "en": "External calls per day by manager"},
    "external_calls_per_day": {"ru": "Внешних звонков в день", "en": "External calls per day"},
    "outgoing_new_clients_per_day": {"ru": "Звонков новым клиентам в день",
                                     "en": "Calls to new clients per day"},
    "external_calls": {"ru": "Внешние звонки", "en": "External calls"},
    "best_line": {"ru": "лучший в отделе", "en": "department best"},
    "gaps_title": {"ru": "Отставание от лучшего в отделе", "en": "Gap to the department's best"},
    "gap": {"ru": "Отставание от лучшего", "en": "Gap to best"},
    "threshold_line": {"ru": "порог {pct}", "en": "threshold {pct}"},
    "activity_title": {"ru": "Активность: входящие и исходящие", "en": "Activity: incoming and outgoing"},
    "incoming_answered": {"ru": "Входящие принятые", "en": "Incoming answered"},
    "outgoing": {"ru": "Исходящие", "en": "Outgoing"},
    "number_types_title": {"ru": "Мобильные, городские и внутренние звонки",
                           "en": "Mobile, landline and internal calls"},
    "mobile_share": {"ru": "Мобильные (доля исходящих)", "en": "Mobile (share of outgoing)"},
    "landline_share": {"ru": "Городские (доля исходящих)", "en": "Landline (share of outgoing)"},
    "internal_share": {"ru": "Внутренние (доля всех)", "en": "Internal (share of all)"},
    "repeat_title": {"ru": "Повторные наборы: звонков на один номер",
                     "en": "Repeat dialing: calls per number"},
    "calls_per_number": {"ru": "Звонков на номер", "en": "Calls per number"},
    "median_line": {"ru": "медиана {v:.2f}", "en": "median {v:.2f}"},
    "heatmap_incoming": {"ru": "Входящие в среднем за день: час × день недели",
                         "en": "Incoming per day on average: hour × weekday"},
    "heatmap_missed_rate": {"ru": "Доля пропущенных входящих: час × день недели",
                            "en": "Missed share of incoming: hour × weekday"},
    "presence_title": {"ru": "Присутствие менеджеров в часы пик", "en": "Managers present at peak hours"},
    "presence": {"ru": "Доля пиковых часов на связи", "en": "Share of peak hours present"},
    "callback_title": {"ru": "Через сколько перезвонили на пропущенный",
                       "en": "Time to call back a missed call"},
    "callback_hours": {"ru": "Время до перезвона, ч", "en": "Time to call back, h"},
    "missed_calls": {"ru": "Пропущенные звонки", "en": "Missed calls"},
    "window_line": {"ru": "окно {h:g} ч", "en": "window {h:g} h"},
    "never_called_back": {"ru": "не перезвонили: {n}", "en": "never called back: {n}"},
    "staffing_title": {"ru": "Нужно операторов (Эрланг C) и на связи",
                       "en": "Agents needed (Erlang C) vs on duty"},
    "required_agents": {"ru": "Нужно по Эрлангу C", "en": "Needed (Erlang C)"},
    "active_employees": {"ru": "На связи", "en": "On duty"},
    "max_concurrent": {"ru": "Макс. одновременных звонков", "en": "Max concurrent calls"},
    "agents": {"ru": "Человек / звонков", "en": "People / calls"},
    "slot": {"ru": "День и час", "en": "Weekday and hour"},
    "concurrency_title": {"ru": "Одновременные звонки и пропущенные",
                          "en": "Concurrent calls and missed calls"},
    "missed": {"ru": "Пропущенные", "en": "Missed"},
    "tech_title": {"ru": "Сколько звонил клиент до сброса (неотвеченные входящие)",
                   "en": "How long the caller waited before hanging up (unanswered incoming)"},
    "ring_s": {"ru": "Ожидание ответа, с", "en": "Ring time, s"},
    "short_line": {"ru": "короткие ≤ {s:g} с: {n}", "en": "short ≤ {s:g} s: {n}"},
    "no_data": {"ru": "нет данных", "en": "no data"},
}


def label(key: str, lang: str = "ru", **fmt: Any) -> str:
    """The label ``key`` in ``lang`` (falls back to the key itself), formatted with ``fmt``.

    Examples
    --------
    >>> label("gap", "en")
    'Gap to best'
    """
    lang = "en" if lang == "en" else "ru"
    text = LABELS.get(key, {}).get(lang, key)
    return text.format(**fmt) if fmt else text


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
        "savefig.dpi": 110,
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


def _dept_colors(depts: pd.Series) -> dict[str, str]:
    names = list(dict.fromkeys(depts.fillna("—").astype(str)))
    return {d: _PALETTE[i % len(_PALETTE)] for i, d in enumerate(names)}


def plot_managers(managers: pd.DataFrame, *, metric: str = "external_calls_per_day", lang: str = "ru",
                  ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Bar per manager of ``metric``, grouped by department, with each department's best as a line.

    Parameters
    ----------
    managers : DataFrame
        ``managers.csv``-shaped: ``employee``, ``department`` and ``metric``.
    metric : str, default ``"external_calls_per_day"``
    lang : {"ru", "en"}
    ax : Axes, optional
    **kwargs
        Passed to ``ax.bar``.

    Returns
    -------
    Axes
        One bar per manager (``len(ax.patches) == len(managers)``).
    """
    ax = _new_ax(ax)
    title = label("managers_title", lang) if metric == "external_calls_per_day" else label(metric, lang)
    if managers.empty or metric not in managers:
        return _empty(ax, title, lang)
    data = managers.assign(_v=_num(managers, metric),
                           _d=managers[schema.DEPARTMENT].astype(object).where(
                               managers[schema.DEPARTMENT].notna(), "—").astype(str))
    data = data.sort_values(["_d", "_v"], ascending=[True, False], kind="stable")
    colors = _dept_colors(data["_d"])
    x = np.arange(len(data))
    ax.bar(x, data["_v"].fillna(0).to_numpy(), color=[colors[d] for d in data["_d"]], **kwargs)
    best_drawn = False
    for dept, grp in data.groupby("_d", sort=False):
        idx = np.flatnonzero(data["_d"].to_numpy() == dept)
        best = grp["_v"].max()
        if pd.notna(best):
            ax.hlines(best, idx.min() - 0.4, idx.max() + 0.4, colors="#333333", linestyles="--",
                      linewidth=1.2, label=None if best_drawn else label("best_line", lang))
            best_drawn = True
    ax.set_xticks(x, data[schema.EMPLOYEE].astype(str).tolist(), rotation=30, ha="right")
    ax.set_title(title)
    ax.set_xlabel(label("employee", lang))
    ax.set_ylabel(label(metric, lang))
    handles = [mpl.patches.Patch(color=c, label=d) for d, c in colors.items()]
    handles += [h for h in ax.get_legend_handles_labels()[0]]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
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
               label=label("threshold_line", lang, pct=f"{threshold:.0%}"))
    ax.set_yticks(y, names.tolist())
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
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
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
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
        ax.axhline(med, color="#333333", linestyle="--", linewidth=1.2, label=label("median_line", lang, v=med))
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
    piv = t.pivot_table(index="weekday", columns="hour", values="_v", aggfunc="sum")
    grid.loc[piv.index.astype(int), piv.columns.astype(int)] = piv.to_numpy()
    return grid


def plot_traffic_heatmap(traffic: pd.DataFrame, *, value: str = "incoming", hours: tuple[int, int] | None = None,
                         lang: str = "ru", ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Heatmap hour × weekday of incoming per day (``value="incoming"``) or of the missed share.

    Parameters
    ----------
    traffic : DataFrame
        ``traffic.csv``-shaped: ``weekday, hour, incoming, answered, missed, missed_rate, days``.
    value : {"incoming", "missed_rate"}
    hours : (first, last), optional
        Hours shown; default: the span of hours with any incoming call.

    Returns
    -------
    Axes
        Rows are weekdays (Monday first), columns hours.
    """
    ax = _new_ax(ax, (10, 3.8))
    title = label("heatmap_incoming" if value == "incoming" else "heatmap_missed_rate", lang)
    if traffic.empty:
        return _empty(ax, title, lang)
    grid = traffic_grid(traffic, value=value)
    if hours is None:
        busy = traffic_grid(traffic, value="incoming").fillna(0).sum(axis=0)
        nz = busy.index[busy > 0]
        hours = (int(nz.min()), int(nz.max())) if len(nz) else (0, 23)
    grid = grid.loc[:, hours[0]:hours[1]]
    is_rate = value != "incoming"
    # matplotlib's imshow rather than seaborn.heatmap: same picture, without seaborn's
    # (and scipy's) import time in every report run
    vals = grid.to_numpy(dtype=float)
    vmax = 1.0 if is_rate else (np.nanmax(vals) if np.isfinite(vals).any() else 1.0) or 1.0
    opts = {"cmap": "Reds" if is_rate else "Blues", "vmin": 0.0, "vmax": vmax, "aspect": "auto",
            "interpolation": "nearest"}
    opts.update(kwargs)
    im = ax.imshow(np.ma.masked_invalid(vals), **opts)
    cmap = im.get_cmap()
    for (r, c), v in np.ndenumerate(vals):
        if np.isnan(v):
            continue
        text = f"{v:.0%}" if is_rate else f"{v:.1f}"
        dark = sum(cmap(im.norm(v))[:3]) < 1.5
        ax.text(c, r, text, ha="center", va="center", fontsize=7, color="white" if dark else "#222222")
    ax.figure.colorbar(im, ax=ax, format=mpl.ticker.PercentFormatter(1.0) if is_rate else None)
    ax.set_xticks(np.arange(vals.shape[1]), [str(h) for h in grid.columns])
    ax.set_yticks(np.arange(7), WEEKDAYS["en" if lang == "en" else "ru"])
    ax.set_xticks(np.arange(-0.5, vals.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, 7), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    ax.set_title(title)
    ax.set_xlabel(label("hour", lang))
    ax.set_ylabel(label("weekday", lang))
    ax.grid(which="major", visible=False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return ax


def plot_concentration(conc: pd.DataFrame, *, lang: str = "ru", ax: Axes | None = None,
                       **kwargs: Any) -> Axes:
    """Horizontal bar per manager: their share of the department's incoming answered calls,
    with the even share (1 / managers) marked for each department.

    Parameters
    ----------
    conc : DataFrame
        :func:`callkit.metrics.flow_concentration` output (``department``, ``employee``,
        ``incoming_share``, ``even_share``; ``counted`` rows only are drawn when present).

    Returns
    -------
    Axes
        One bar per counted manager; bars over twice the even share in the flag colour.
    """
    ax = _new_ax(ax)
    title = label("concentration_title", lang)
    if conc is None or conc.empty or "incoming_share" not in conc:
        return _empty(ax, title, lang)
    data = conc[conc["counted"].astype(bool)] if "counted" in conc else conc
    data = data.sort_values([schema.DEPARTMENT, "incoming_share"], kind="stable")
    share, even = _num(data, "incoming_share"), _num(data, "even_share")
    y = np.arange(len(data))
    colors = [_FLAG if s_ >= 2 * e else _OK for s_, e in zip(share.fillna(0), even.fillna(1))]
    ax.barh(y, share.to_numpy(), color=colors, **kwargs)
    ax.scatter(even.to_numpy(), y, marker="|", s=300, color="black", zorder=3,
               label=label("even_share", lang))
    ax.set_yticks(y, [f"{e} ({d})" for e, d in zip(data[schema.EMPLOYEE], data[schema.DEPARTMENT])])
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_xlabel(label("incoming_share", lang))
    ax.set_title(title)
    ax.legend(loc="lower right")
    return ax


def plot_presence(presence: pd.DataFrame, *, value: str | None = None, lang: str = "ru",
                  ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Horizontal bar per manager: the share of peak hours they were on the phone.

    Parameters
    ----------
    presence : DataFrame
        One row per manager with ``employee`` and a share column (``value``; default the first
        of ``present_share``, ``presence``, ``share``, ``peak_presence``); or one row per
        (manager, slot) with a boolean ``present``, which is averaged.

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
    data = (presence.assign(_v=_num(presence, value)).groupby(schema.EMPLOYEE, sort=False)["_v"].mean()
            .sort_values(kind="stable"))
    y = np.arange(len(data))
    ax.barh(y, data.to_numpy(), color=[_FLAG if v < 0.5 else _OK for v in data.fillna(0)], **kwargs)
    ax.set_yticks(y, data.index.astype(str).tolist())
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_xlim(0, 1.05)
    ax.set_title(title)
    ax.set_xlabel(label("presence", lang))
    ax.set_ylabel(label("employee", lang))
    return ax


def plot_callback_delay(missed: pd.DataFrame, *, window_h: float = 24, lang: str = "ru",
                        ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Histogram of the time to call back a missed call (hours), with the window line.

    Calls never called back are counted in the legend, not drawn.

    Parameters
    ----------
    missed : DataFrame
        ``missed.csv``-shaped: ``callback_delay_s`` (NaN when never called back).
    window_h : float, default 24

    Returns
    -------
    Axes
    """
    ax = _new_ax(ax)
    title = label("callback_title", lang)
    if missed.empty or "callback_delay_s" not in missed:
        return _empty(ax, title, lang)
    hours = _num(missed, "callback_delay_s") / 3600.0
    done = hours.dropna()
    never = int(hours.isna().sum())
    top = max(float(done.max()) if len(done) else 0.0, float(window_h)) * 1.02
    bins = np.linspace(0, top if top > 0 else 1, 25)
    if len(done):
        ax.hist(done.to_numpy(), bins=bins, color=_PALETTE[0], **kwargs)
    ax.axvline(window_h, color=_FLAG, linestyle="--", linewidth=1.2, label=label("window_line", lang, h=window_h))
    ax.plot([], [], " ", label=label("never_called_back", lang, n=never))
    ax.set_title(title)
    ax.set_xlabel(label("callback_hours", lang))
    ax.set_ylabel(label("missed_calls", lang))
    ax.legend(fontsize="small")
    return ax


def _slot_labels(frame: pd.DataFrame, lang: str) -> list[str]:
    days = WEEKDAYS["en" if lang == "en" else "ru"]
    return [f"{days[int(w)]} {int(h):02d}" for w, h in zip(frame["weekday"], frame["hour"])]


def plot_staffing(staffing: pd.DataFrame, *, lang: str = "ru", ax: Axes | None = None,
                  **kwargs: Any) -> Axes:
    """Per hour slot: agents Erlang C needs vs employees on duty, plus max concurrent calls.

    Parameters
    ----------
    staffing : DataFrame
        ``staffing.csv``-shaped: ``weekday, hour, required_agents, active_employees,
        max_concurrent, understaffed``. Slots without calls are left out.

    Returns
    -------
    Axes
        Bars = needed agents (understaffed slots red), line = on duty, dotted = concurrency.
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
    labels = _slot_labels(data, lang)
    step = max(1, len(x) // 24)
    ax.set_xticks(x[::step], labels[::step], rotation=60, ha="right", fontsize="small")
    ax.set_title(title)
    ax.set_xlabel(label("slot", lang))
    ax.set_ylabel(label("agents", lang))
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
               label=label("short_line", lang, s=short_s,
                           n=int((ring <= short_s).sum()) if short_n is None else int(short_n)))
    ax.set_title(title)
    ax.set_xlabel(label("ring_s", lang))
    ax.set_ylabel(label("missed_calls", lang))
    ax.legend(fontsize="small")
    return ax


_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


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
        fig.savefig(png, dpi=110, bbox_inches=bbox, metadata={"Software": None})
        fig.savefig(svg, bbox_inches=bbox, metadata={"Date": None})
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return png, svg
