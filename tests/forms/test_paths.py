"""forms.paths: the one path form (text, JSON values, typed dossiers, gap locations)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from forms import gaps
from forms.demo import demo_dossier
from forms.models import Dossier
from forms.paths import MISSING, Item, assign, diff, from_location, get, get_at, parse_path, path_text, related, set_at

segments = st.one_of(
    st.text(min_size=0, max_size=6),
    st.builds(Item, st.text(max_size=6)),
    st.builds(Item, st.text(max_size=6), st.sampled_from(["member_id", "child_id"])),
)


@given(st.lists(segments, max_size=5))
@settings(max_examples=200)
def test_text_form_round_trips(path: list[Any]) -> None:
    t = tuple(path)
    if t == ("",):  # the empty key alone and the empty path share the text ""
        return
    assert parse_path(path_text(t)) == t


def test_text_form_is_stable() -> None:
    """The form stored in the audit trail and sync state does not change."""
    assert path_text(("plan", "doelen", Item("3f2c"), "omschrijving")) == "plan/doelen/[3f2c]/omschrijving"
    assert parse_path("plan/doelen/[3f2c]/omschrijving") == ("plan", "doelen", Item("3f2c"), "omschrijving")
    assert path_text(("a/b", "[x")) == "a~1b/~2x"
    keyed = ("gesprek", "contacten", Item("m1", "member_id"), "reden")
    assert path_text(keyed) == "gesprek/contacten/[member_id=m1]/reden"
    assert parse_path("gesprek/contacten/[member_id=m1]/reden") == keyed
    assert parse_path(path_text((Item("a=b"),))) == (Item("a=b"),)


def test_diff_leaf_paths_items_by_id() -> None:
    old = {"a": 1, "plan": {"doelen": [{"id": "g1", "t": "x"}, {"id": "g2", "t": "y"}]}, "l": [1, 2]}
    new = copy.deepcopy(old)
    new["plan"]["doelen"][1]["t"] = "z"
    new["plan"]["doelen"].append({"id": "g3", "t": "w"})
    del new["plan"]["doelen"][0]
    new["l"] = [2, 1]
    new["b"] = True
    assert diff(old, new) == [
        ("plan", "doelen", Item("g1")),
        ("plan", "doelen", Item("g2"), "t"),
        ("plan", "doelen", Item("g3")),
        ("l",),
        ("b",),
    ]
    assert diff(old, copy.deepcopy(old)) == []
    reordered = copy.deepcopy(old)
    reordered["plan"]["doelen"].reverse()
    assert diff(old, reordered) == [("plan", "doelen")]


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=2)),
    lambda inner: st.one_of(
        st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
        st.lists(st.fixed_dictionaries({"id": st.sampled_from(["1", "2", "3"]), "v": inner}), max_size=3).filter(
            lambda xs: len({x["id"] for x in xs}) == len(xs)
        ),
    ),
    max_leaves=8,
)


@given(json_values, json_values)
@settings(max_examples=200)
def test_diff_paths_cover_every_difference(old: Any, new: Any) -> None:
    """Copying the new value at every diffed path onto the old gives the new (up to order)."""
    paths = diff(old, new)
    assert (paths == []) == (old == new)
    value = old
    for path in paths:
        try:
            value = set_at(value, path, get_at(new, path))
        except KeyError:
            pytest.fail(f"diff gave a path without parent: {path}")
    assert _sorted(value) == _sorted(new)


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list) and all(isinstance(x, dict) and "id" in x for x in value):
        return sorted((_sorted(x) for x in value), key=lambda x: str(x["id"]))
    return value


def test_typed_get_and_set_validate_the_whole_dossier() -> None:
    d = demo_dossier()
    goal = d.plan.doelen[0]
    path = ("plan", "doelen", Item(str(goal.id)), "omschrijving")
    assert get(d, path) == goal.omschrijving
    changed = assign(d, path, "Nieuw doel")
    assert isinstance(changed, Dossier)
    assert get(changed, path) == "Nieuw doel" and get(d, path) == goal.omschrijving
    assert diff(d.model_dump(mode="json"), changed.model_dump(mode="json")) == [path]
    with pytest.raises(ValidationError):
        assign(d, path, "")  # min_length 1
    first = d.huishouden.leden[0]
    with pytest.raises(ValidationError):  # a rule across fields: gesprek before a birth
        assign(d, ("huishouden", "leden", Item(str(first.id)), "geboortedatum"), d.gesprek.datum.replace(year=d.gesprek.datum.year + 1))
    assert get(d, ("plan", "doelen", Item("nope"))) is MISSING
    assert get(d, ("bestaat_niet",)) is MISSING
    contact = ("gesprek", "contacten", Item(str(first.id), "member_id"), "status")
    if d.contact(first.id) is not None:
        assert get(d, contact) == d.contact(first.id).status  # type: ignore[union-attr]
    deleted = assign(d, ("plan", "doelen", Item(str(goal.id))), MISSING)
    assert all(g.id != goal.id for g in deleted.plan.doelen)


def test_related() -> None:
    assert related(("plan",), ("plan", "doelen"))
    assert related(("plan", "doelen"), ("plan",))
    assert not related(("plan", "doelen"), ("plan", "regisseur"))


def test_every_gap_of_the_demo_has_a_path_that_exists() -> None:
    """A gap's location turns into a path whose parent is in the dossier."""
    d = demo_dossier()
    d = d.model_copy(update={"meldcode": None})
    found = gaps(d)
    assert found
    for gap in found:
        path = from_location(gap.location, d)
        if gap.location.section == "controle":
            continue
        assert path is not None, gap.code
        assert get(d, path[:1]) is not MISSING, (gap.code, path)


def test_from_location_precise_paths() -> None:
    from forms.rules import Location

    d = demo_dossier()
    goal = d.plan.doelen[0]
    m = d.huishouden.leden[0]
    assert from_location(Location("plan", field="eigenaar", ref=goal.id), d) == ("plan", "doelen", Item(str(goal.id)), "eigenaar")
    assert from_location(Location("plan", field="aangeboden"), d) == ("familiegroepsplan", "aangeboden")
    assert from_location(Location("hulpvraag", field="perspectief"), d) == ("plan", "perspectief")
    assert from_location(Location("contact", member_id=m.id, field="reden"), d) == (
        "gesprek", "contacten", Item(str(m.id), "member_id"), "reden")
    if d.partners:
        p = d.partners[0]
        assert from_location(Location("netwerk", ref=p.id, field="toestemming"), d) == ("partners", Item(str(p.id)), "toestemming")
    if d.netwerk:
        n = d.netwerk[0]
        assert from_location(Location("netwerk", ref=n.id, field="toestemming"), d) == ("netwerk", Item(str(n.id)), "toestemming")
    assert from_location(Location("meldcode", field="antwoorden", item="q1"), d) == ("meldcode", "antwoorden", "q1")
    assert from_location(Location("controle"), d) is None
