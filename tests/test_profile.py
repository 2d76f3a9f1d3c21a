"""Client profile validation: every problem names the field and what was expected."""
from __future__ import annotations

import datetime as dt

import pytest

from callkit.errors import ProfileError
from callkit.profile import load_profile, profile_from_dict

BASE = {"client": "ООО Ромашка", "slug": "romashka", "period": {"start": "2026-10-01", "end": "2026-10-31"}}


def test_minimal_profile_defaults():
    p = profile_from_dict(dict(BASE), check_files=False)
    assert (p.timezone, p.region, p.lang, p.mask_numbers) == ("Europe/Moscow", "RU", "ru", True)
    assert p.period == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert p.thresholds.manager_gap == 0.25 and p.thresholds.callback_window_h == 24
    assert p.worklist_numbers == "masked"   # the call-back worklist shows full numbers only when asked
    assert profile_from_dict({**BASE, "worklist_numbers": "full"}, check_files=False).worklist_numbers == "full"


@pytest.mark.parametrize("patch, match", [
    ({"slug": "../etc"}, "field 'slug'"),
    ({"slug": "Ромашка"}, "field 'slug'"),
    ({"timezone": "Moscow"}, "field 'timezone'"),
    ({"period": {"start": "2026-10-31", "end": "2026-10-01"}}, "ends .* before it starts"),
    ({"period": {"start": "вчера", "end": "2026-10-01"}}, "field 'period.start'"),
    ({"thresholds": {"manager_gap": -1}}, "thresholds.manager_gap"),
    ({"thresholds": {"gap": 0.3}}, "thresholds.gap.*unknown"),
    ({"lang": "de"}, "field 'lang'"),
    ({"mask_numbers": "yes"}, "field 'mask_numbers'"),
    ({"worklist_numbers": True}, r"field 'worklist_numbers' has .*expected one of \['masked', 'full'\]"),
    ({"script": [{"stage": "greeting"}]}, r"field 'script\[0\]'"),
    ({"colour": "red"}, "unknown field"),
])
def test_bad_fields_are_named(patch, match):
    with pytest.raises(ProfileError, match=match):
        profile_from_dict({**BASE, **patch}, check_files=False)


def test_paths_are_relative_to_the_profile(tmp_path):
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "m.csv").write_text("x")
    y = tmp_path / "p.yaml"
    y.write_text("client: X\nslug: x\ncalls: [calls/m.csv]\nemployees: missing.csv\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="field 'employees' names 'missing.csv'"):
        load_profile(y)
    y.write_text("client: X\nslug: x\ncalls: [calls/m.csv]\n", encoding="utf-8")
    assert load_profile(y).calls == [tmp_path / "calls" / "m.csv"]


def test_yaml_syntax_error_has_line(tmp_path):
    y = tmp_path / "p.yaml"
    y.write_text("client: X\nslug: [x\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid YAML at line"):
        load_profile(y)


# --- brief keys of issue 6: decision_makers, advantages, materials ---------------------------

def test_brief_phrase_maps_are_parsed():
    p = profile_from_dict({**BASE,
                           "decision_makers": {"ЛПР": ["кто принимает решение", "согласовать с директором"],
                                               "ЛВР": "главный механик"},   # one string = one phrase
                           "advantages": ["собственный склад", "гарантия три года"],  # bare list
                           "materials": {"прайс": ["пришлю прайс"]}}, check_files=False)
    assert p.decision_makers == {"ЛПР": ["кто принимает решение", "согласовать с директором"],
                                 "ЛВР": ["главный механик"]}
    # a bare list: each phrase is its own item, named by itself
    assert p.advantages == {"собственный склад": ["собственный склад"],
                            "гарантия три года": ["гарантия три года"]}
    assert p.materials == {"прайс": ["пришлю прайс"]}
    assert profile_from_dict(BASE, check_files=False).materials == {}


@pytest.mark.parametrize("patch, match", [
    ({"decision_makers": "кто принимает решение"}, r"field 'decision_makers' .*expected a mapping"),
    ({"advantages": 3}, r"field 'advantages' .*expected a mapping"),
    ({"materials": {"прайс": [["пришлю прайс"]]}}, r"field 'materials\.прайс' .*expected a list of strings"),
    ({"decision_makers": {"ЛПР": {"a": 1}}}, r"field 'decision_makers\.ЛПР'"),
])
def test_brief_phrase_maps_bad_values_are_named(patch, match):
    with pytest.raises(ProfileError, match=match):
        profile_from_dict({**BASE, **patch}, check_files=False)


def test_sample_profile_has_the_brief_keys():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data_samples" / "profile.yaml"
    if not path.exists():
        pytest.skip("data_samples/ not generated")
    p = load_profile(path)
    assert p.decision_makers["ЛПР"] == ["кто принимает решение", "согласовать с директором"]
    assert set(p.advantages) == {"свой склад", "сервисный центр", "отгрузка в день заказа"}
    assert set(p.materials) == {"прайс", "наличие на складе"}


def test_roles_and_economics_are_parsed():
    p = profile_from_dict({**BASE, "roles": {"Продажи B2B": "hunter", " Сидорова Анна ": "Inbound"},
                           "economics": {"average_deal_rub": 45000, "lead_to_deal": 0.2}},
                          check_files=False)
    # names are trimmed, roles lower-cased
    assert p.roles == {"Продажи B2B": "hunter", "Сидорова Анна": "inbound"}
    # impact_rub = calls x lead_to_deal x deal: 10 lost calls x 0.2 x 45 000 = 90 000
    assert p.economics.rub(10) == pytest.approx(90000)
    q = profile_from_dict(dict(BASE), check_files=False)
    assert q.roles == {} and q.economics is None


@pytest.mark.parametrize("patch, match", [
    ({"roles": ["hunter"]}, "field 'roles' .*expected a mapping"),
    ({"roles": {"Продажи": "closer"}}, r"field 'roles.Продажи' has 'closer'; expected one of hunter \| farmer"),
    ({"roles": {"Продажи": 1}}, "field 'roles.Продажи'"),
    ({"economics": 45000}, "field 'economics'"),
    ({"economics": {"average_deal_rub": 45000}}, "field 'economics.lead_to_deal' is missing"),
    ({"economics": {"average_deal_rub": 45000, "lead_to_deal": 20}}, "economics.lead_to_deal.*0..1"),
    ({"economics": {"average_deal_rub": -5, "lead_to_deal": 0.2}}, "economics.average_deal_rub.*positive"),
    ({"economics": {"average_deal_rub": "45 000", "lead_to_deal": 0.2}}, "economics.average_deal_rub"),
    ({"economics": {"average_deal_rub": 1, "lead_to_deal": 0.2, "margin": 3}}, "economics.margin.*unknown"),
])
def test_bad_roles_and_economics_are_named(patch, match):
    with pytest.raises(ProfileError, match=match):
        profile_from_dict({**BASE, **patch}, check_files=False)
