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


def test_managers_one_bar_per_manager_and_department_best_lines():
    with plots.theme():
        ax = plots.plot_managers(MANAGERS, ax=_ax())
    assert len(ax.patches) == 3
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights == [10.0, 10.0, 20.0]
    assert ax.get_title() == "Внешние звонки в день по менеджерам"
    assert ax.get_ylabel() == "Внешних звонков в день"
    assert ax.get_xlabel() == "Менеджер"
    # one dashed best line per department: Продажи at 20, Сервис at 10
    best = sorted(float(np.ravel(c.get_segments()[0])[1]) for c in ax.collections)
    assert best == [10.0, 20.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Анна", "Борис", "Вера"]


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
    assert "порог 25%" in [t.get_text() for t in ax.get_legend().get_texts()]
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
    ax = plots.plot_traffic_heatmap(traffic, ax=_ax())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["9", "10"]
    assert ax.get_title().startswith("Входящие в среднем за день")
    ax2 = plots.plot_traffic_heatmap(traffic, value="missed_rate", lang="en", ax=_ax())
    assert ax2.get_title().startswith("Missed share")
    assert "100%" in [t.get_text() for t in ax2.texts]


def test_presence_and_callback_and_staffing_and_tech():
    presence = pd.DataFrame({"employee": ["Анна", "Борис"], "present_share": [0.9, 0.3]})
    ax = plots.plot_presence(presence, ax=_ax())
    assert sorted(p.get_width() for p in ax.patches) == [0.3, 0.9]

    missed = pd.DataFrame({"callback_delay_s": [600.0, 7200.0, np.nan, np.nan]})
    ax = plots.plot_callback_delay(missed, window_h=24, ax=_ax())
    assert sum(p.get_height() for p in ax.patches) == 2  # two called back, two never
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
