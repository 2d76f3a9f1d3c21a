"""Charts: one Axes per call, Russian labels by default, English on request, PNG+SVG saved."""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from callkit import plots
from callkit.errors import InputError

MANAGERS = pd.DataFrame({
    "employee": ["Анна", "Борис", "Вера"],
    "department": ["Продажи", "Продажи", "Сервис"],
    "external_calls": [80, 40, 30],
    "outgoing": [60, 30, 10],
    "incoming_answered": [20, 10, 20],
    "mobile_share": [0.5, 0.9, 0.2],
    "landline_share": [0.5, 0.1, 0.8],
    "internal_share": [0.1, 0.3, 0.0],
    "calls_per_number": [1.6, 4.0, 1.0],
    # 80 calls / 4 days = 20.0; 40 / 4 = 10.0; 30 / 3 = 10.0
    "external_calls_per_day": [20.0, 10.0, 10.0],
})

COMPARE = pd.DataFrame({
    "department": ["Продажи", "Продажи", "Сервис"],
    "employee": ["Анна", "Борис", "Вера"],
    "metric": ["external_calls_per_day"] * 3,
    "value": [20.0, 10.0, 10.0],
    "best": [20.0, 20.0, 10.0],
    # gap = 1 - 10/20 = 0.5 for Борис (> 0.25 -> flagged); 0 for the best of each department
    "gap": [0.0, 0.5, 0.0],
    "flagged": [False, True, False],
})


def _ax():
    return plt.subplots()[1]


def test_theme_sets_dejavu_only_inside_the_block():
    before = list(mpl.rcParams["font.family"])
    with plots.theme():
        assert mpl.rcParams["font.family"] == ["DejaVu Sans"]
    assert list(mpl.rcParams["font.family"]) == before


def test_managers_one_bar_per_manager_and_department_median_lines():
    with plots.theme():
        ax = plots.plot_managers(MANAGERS, ax=_ax())
    assert len(ax.patches) == 3
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights == [10.0, 10.0, 20.0]
    assert ax.get_title() == "Внешние звонки в день по менеджерам"
    assert ax.get_ylabel() == "Внешних звонков в день"
    assert ax.get_xlabel() == "Менеджер"
    # one dashed median line per department: Продажи median(20, 10) = 15, Сервис 10
    medians = sorted(float(np.ravel(c.get_segments()[0])[1]) for c in ax.collections)
    assert medians == [10.0, 15.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Анна", "Борис", "Вера"]
    # each bar says its value with a decimal comma
    assert sorted(t.get_text() for t in ax.texts) == ["10,0", "10,0", "20,0"]


def test_one_manager_order_and_one_colour_per_department_across_charts():
    # order: department (alphabetical), then external calls per day (largest first)
    order = plots.manager_order(MANAGERS.iloc[::-1])
    assert order == ["Анна", "Борис", "Вера"]
    colors = plots.department_colors(MANAGERS["department"])
    assert colors == {"Продажи": "#1f5fa8", "Сервис": "#e07b39"}
    ax = plots.plot_managers(MANAGERS.iloc[::-1], order=order, colors=colors, ax=_ax())
    assert [t.get_text() for t in ax.get_xticklabels()] == order
    assert [mpl.colors.to_hex(p.get_facecolor()) for p in ax.patches] == ["#1f5fa8", "#1f5fa8", "#e07b39"]
    presence = pd.DataFrame({"employee": ["Вера", "Анна", "Борис"], "department": ["Сервис", "Продажи", "Продажи"],
                             "present_share": [0.5, 0.9, 0.3]})
    ax = plots.plot_presence(presence, order=order, colors=colors, ax=_ax())
    # barh draws bottom-up: the first manager of the order is the top bar
    assert [t.get_text() for t in ax.get_yticklabels()][::-1] == order
    assert mpl.colors.to_hex(ax.patches[0].get_facecolor()) == "#e07b39"   # Вера, at the bottom


def test_managers_english_labels():
    ax = plots.plot_managers(MANAGERS, lang="en", ax=_ax())
    assert ax.get_title() == "External calls per day by manager"
    assert ax.get_xlabel() == "Manager"


def test_gaps_flagged_red_and_threshold_line():
    ax = plots.plot_gaps(COMPARE, threshold=0.25, ax=_ax())
    widths = [p.get_width() for p in ax.patches]
    assert sorted(widths) == [0.0, 0.0, 0.5]
    red = [p for p in ax.patches if mpl.colors.to_hex(p.get_facecolor()) == "#c8423b"]
    assert len(red) == 1 and red[0].get_width() == 0.5
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [0.25, 0.25]
    assert "порог 25\u00a0%" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert ax.get_xlabel() == "Отставание от лучшего"


def test_activity_stacks_incoming_under_outgoing():
    ax = plots.plot_activity(MANAGERS, ax=_ax())
    assert len(ax.patches) == 6  # 3 managers x (incoming, outgoing)
    tops = sorted(p.get_y() + p.get_height() for p in ax.patches if p.get_y() > 0)
    # incoming + outgoing per manager: Вера 20+10=30, Борис 10+30=40, Анна 20+60=80
    assert tops == [30.0, 40.0, 80.0]
    assert ax.get_title() == "Активность: входящие и исходящие"


def test_number_types_three_groups_of_shares():
    ax = plots.plot_number_types(MANAGERS, ax=_ax())
    assert len(ax.patches) == 9
    assert max(p.get_height() for p in ax.patches) == pytest.approx(0.9)
    assert ax.get_ylabel() == "Доля"


def test_repeat_dialing_median_line():
    ax = plots.plot_repeat_dialing(MANAGERS, ax=_ax())
    assert len(ax.patches) == 3
    assert ax.get_lines()[0].get_ydata()[0] == pytest.approx(1.6)  # median of 1.0, 1.6, 4.0


def test_traffic_heatmap_mean_per_day_and_missed_rate():
    traffic = pd.DataFrame({"weekday": [0, 0, 4], "hour": [9, 10, 10], "incoming": [8, 12, 3],
                            "answered": [6, 12, 0], "missed": [2, 0, 3],
                            "missed_rate": [0.25, 0.0, 1.0], "days": [4, 4, 5]})
    grid = plots.traffic_grid(traffic)
    assert grid.loc[0, 9] == 2.0 and grid.loc[0, 10] == 3.0 and grid.loc[4, 10] == pytest.approx(0.6)
    # a working slot without a single call has no missed share (not "0 %")
    quiet = pd.concat([traffic, pd.DataFrame({"weekday": [6], "hour": [10], "incoming": [0], "answered": [0],
                                              "missed": [0], "missed_rate": [np.nan], "days": [4]})])
    assert np.isnan(plots.traffic_grid(quiet, value="missed_rate").loc[6, 10])
    ax = plots.plot_traffic_heatmap(traffic, ax=_ax())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["9:00", "10:00"]
    assert ax.get_title().startswith("Входящие в среднем за день")
    # mean per day with a decimal comma: 8 / 4 = 2,0; 12 / 4 = 3,0; 3 / 5 = 0,6
    assert sorted(t.get_text() for t in ax.texts) == ["0,6", "2,0", "3,0"]
    ax2 = plots.plot_traffic_heatmap(traffic, value="missed_rate", lang="en", ax=_ax())
    assert ax2.get_title().startswith("Missed share")
    texts = [t.get_text() for t in ax2.texts]
    # Mon 9:00: 2 of 8 missed -> "25%" over its count 8; Mon 10:00: 0 of 12 -> "0%" over 12;
    # Fri 10:00 has 3 calls (< 5): grey, its count only, never "100%"
    assert sorted(texts) == ["0%", "12", "25%", "3", "8"]
    assert "grey — fewer than 5 calls" in ax2.get_xlabel()


def test_presence_and_callback_and_staffing_and_tech():
    presence = pd.DataFrame({"employee": ["Анна", "Борис"], "present_share": [0.9, 0.3]})
    ax = plots.plot_presence(presence, ax=_ax())
    assert sorted(p.get_width() for p in ax.patches) == [0.3, 0.9]

    missed = pd.DataFrame({"callback_delay_s": [600.0, 7200.0, np.nan, np.nan]})
    ax = plots.plot_callback_delay(missed, window_h=24, ax=_ax())
    # 10 min -> 5–15 min; 2 h (no dates: under 24 h) -> later the same day; two never
    assert [p.get_height() for p in ax.patches] == [0, 1, 0, 1, 0, 2]
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "не перезвонили"
    assert "не перезвонили: 2" in [t.get_text() for t in ax.get_legend().get_texts()]

    staffing = pd.DataFrame({"weekday": [0, 0, 1], "hour": [10, 11, 10], "calls_per_hour": [10, 0, 4],
                             "aht_s": [180, 0, 120], "erlangs": [0.5, 0, 0.13], "required_agents": [3, 0, 1],
                             "active_employees": [2, 1, 2], "max_concurrent": [2, 0, 1],
                             "understaffed": [True, False, False]})
    ax = plots.plot_staffing(staffing, ax=_ax())
    assert len(ax.patches) == 2  # the slot without calls is left out
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Пн 10", "Вт 10"]

    calls = pd.DataFrame({"direction": ["incoming"] * 4 + ["outgoing"], "status": ["missed", "missed", "busy",
                          "answered", "missed"], "ring_s": [2.0, 3.0, 40.0, 5.0, 1.0]})
    ax = plots.plot_tech(calls, short_s=5, ax=_ax())
    assert sum(p.get_height() for p in ax.patches) == 3
    assert "короткие ≤ 5 с: 2" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_callback_bins_hand_worked():
    tz = "Europe/Moscow"
    start = pd.to_datetime(["2026-10-05 10:00", "2026-10-05 10:00", "2026-10-05 10:00", "2026-10-05 10:00",
                            "2026-10-05 23:00", "2026-10-05 10:00", "2026-10-05 10:00"]).tz_localize(tz)
    delay = [120.0, 299.0, 600.0, 3 * 3600.0, 2 * 3600.0, 30 * 3600.0, np.nan]
    missed = pd.DataFrame({"start": start, "callback_delay_s": delay,
                           "callback_at": start + pd.to_timedelta(pd.Series(delay).fillna(0), unit="s"),
                           "reached": [True, True, False, True, False, True, True]})
    missed.loc[6, "callback_at"] = pd.NaT
    bins = plots.callback_bins(missed)
    # 2 and 4:59 min -> < 5 min; 10 min -> 5–15; 3 h on the same date -> same day; 23:00 + 2 h is
    # the next date -> next day, like 30 h; the last one never (reached: the client called again)
    assert bins["bin"].tolist() == list(plots.CALLBACK_BINS)
    assert bins["calls"].tolist() == [2, 1, 0, 1, 2, 1]
    assert bins["reached"].tolist() == [2, 0, 0, 1, 1, 1]


def test_empty_inputs_draw_a_no_data_note():
    ax = plots.plot_managers(MANAGERS.iloc[0:0], ax=_ax())
    assert [t.get_text() for t in ax.texts] == ["нет данных"]


def test_plots_never_mutate_input():
    before = MANAGERS.copy()
    plots.plot_managers(MANAGERS, ax=_ax())
    plots.plot_gaps(COMPARE, ax=_ax())
    pd.testing.assert_frame_equal(MANAGERS, before)


def test_save_chart_writes_png_and_svg(tmp_path):
    ax = plots.plot_managers(MANAGERS, ax=_ax())
    png, svg = plots.save_chart(ax, tmp_path / "out" / "romashka", "managers")
    assert png == tmp_path / "out" / "romashka" / "charts" / "managers.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    png2, _ = plots.save_chart(plots.plot_managers(MANAGERS, ax=_ax()), tmp_path / "out", "m", slug="romashka")
    assert png2.parent == png.parent
    with pytest.raises(InputError, match="Slug"):
        plots.save_chart(_ax(), tmp_path / "out", "m", slug="../escape")
    with pytest.raises(ValueError, match="safe file stem"):
        plots.save_chart(_ax(), tmp_path, "../x")
