"""The pure three-way merge (forms.merge): properties with hypothesis, and the dossier's rules."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from forms.demo import demo_dossier
from forms.merge import MISSING, Conflict, Item, get_at, merge, merge_validated, parse_path, path_text, set_at
from forms.models import Dossier

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=3))
keys = st.sampled_from(["a", "b", "c", "d"])


def _id_list(children: st.SearchStrategy[Any]) -> st.SearchStrategy[list[dict[str, Any]]]:
    item = st.fixed_dictionaries({"v": children, "w": scalars})
    return st.lists(st.tuples(st.sampled_from(["x", "y", "z", "u"]), item), max_size=4, unique_by=lambda t: t[0]).map(
        lambda pairs: [{"id": ident, **body} for ident, body in pairs]
    )


json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.dictionaries(keys, children, max_size=4),
        _id_list(children),
        st.lists(scalars, max_size=3),
    ),
    max_leaves=12,
)
documents = st.dictionaries(keys, json_values, min_size=1, max_size=4)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in a value (dict keys and id-list items)."""
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list) and value and all(isinstance(i, dict) and "id" in i for i in value):
        for item in value:
            found += _paths(item, (*prefix, Item(str(item["id"]))))
    return found


@st.composite
def edit(draw: st.DrawFn, doc: dict[str, Any]) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """One edit: replace the value at an existing path (not the root)."""
    candidates = [p for p in _paths(doc) if p and p[-1] != "id"]
    path = draw(st.sampled_from(candidates))
    value = draw(json_values)
    if isinstance(path[-1], Item):  # an item of an id-list stays an item with that id
        value = {"id": path[-1].id, "v": value, "w": draw(scalars)}
    return set_at(doc, path, value), path


@given(documents)
def test_nothing_changed(doc: dict[str, Any]) -> None:
    result = merge(doc, copy.deepcopy(doc), copy.deepcopy(doc))
    assert result.value == doc and result.conflicts == []


@given(documents, documents)
def test_one_side_changed(base: dict[str, Any], other: dict[str, Any]) -> None:
    assert merge(base, other, base).value == other
    assert merge(base, base, other).value == other
    assert merge(base, other, base).conflicts == merge(base, base, other).conflicts == []


@given(documents, documents)
def test_same_change_on_both_sides(base: dict[str, Any], changed: dict[str, Any]) -> None:
    result = merge(base, changed, copy.deepcopy(changed))
    assert result.value == changed and result.conflicts == []


@settings(max_examples=200)
@given(st.data(), documents)
def test_edits_to_different_fields_merge(data: st.DataObject, base: dict[str, Any]) -> None:
    local, local_path = data.draw(edit(base))
    remote, remote_path = data.draw(edit(base))
    # different fields: neither path inside the other
    overlap = local_path[: len(remote_path)] == remote_path or remote_path[: len(local_path)] == local_path
    if overlap:
        return
    result = merge(base, local, remote)
    assert result.conflicts == []
    assert get_at(result.value, local_path) == get_at(local, local_path)
    assert get_at(result.value, remote_path) == get_at(remote, remote_path)


@settings(max_examples=300)
@given(documents, documents, documents)
def test_nothing_is_thrown_away(base: dict[str, Any], local: dict[str, Any], remote: dict[str, Any]) -> None:
    result = merge(base, local, remote)
    for conflict in result.conflicts:
        # both values are kept: the local one in the result, the remote one in the conflict
        assert conflict.local == get_at(local, conflict.path)
        assert conflict.remote == get_at(remote, conflict.path)
        assert get_at(result.value, conflict.path) == conflict.local
        assert conflict.local != conflict.remote
    # without conflicts the merge is symmetric
    swapped = merge(base, remote, local)
    assert sorted(path_text(c.path) for c in result.conflicts) == sorted(path_text(c.path) for c in swapped.conflicts)


@given(documents, documents, documents)
def test_every_leaf_comes_from_a_side(base: dict[str, Any], local: dict[str, Any], remote: dict[str, Any]) -> None:
    result = merge(base, local, remote)
    for path in _paths(result.value):
        value = get_at(result.value, path)
        if isinstance(value, (dict, list)) and path:
            continue
        if path:
            assert value in (get_at(local, path), get_at(remote, path)), path_text(path)


def test_lists_of_objects_merge_by_id() -> None:
    base = {"doelen": [{"id": "1", "t": "a"}, {"id": "2", "t": "b"}]}
    local = {"doelen": [{"id": "1", "t": "A"}, {"id": "2", "t": "b"}, {"id": "3", "t": "nieuw lokaal"}]}
    remote = {"doelen": [{"id": "2", "t": "B"}, {"id": "4", "t": "nieuw centraal"}]}  # 1 deleted, 2 changed
    result = merge(base, local, remote)
    # 1 was changed locally and deleted centrally: a conflict, the local item stays
    assert result.conflicts == [Conflict(("doelen", Item("1")), {"id": "1", "t": "A"}, MISSING)]
    assert result.value == {
        "doelen": [{"id": "1", "t": "A"}, {"id": "2", "t": "B"}, {"id": "3", "t": "nieuw lokaal"}, {"id": "4", "t": "nieuw centraal"}]
    }


def test_paths_round_trip() -> None:
    for path in [(), ("a",), ("plan", "doelen", Item("3f2c"), "omschrijving"), ("[x", "a/b", Item("~/]"))]:
        assert parse_path(path_text(path)) == path


def _locations(exc: Exception) -> list[tuple[Any, ...]] | None:
    return [tuple(e["loc"]) for e in exc.errors()] if isinstance(exc, ValidationError) else None


def test_a_merge_that_breaks_a_rule_becomes_a_conflict() -> None:
    dossier = demo_dossier()
    base = dossier.model_dump(mode="json")
    entry_id = base["leefgebieden"][0]["id"]
    local = copy.deepcopy(base)
    remote = copy.deepcopy(base)
    local["leefgebieden"][0].update(besproken=True, niet_van_toepassing=False)
    remote["leefgebieden"][0].update(besproken=False, niet_van_toepassing=True, nvt_reden="Geen kinderen")
    base["leefgebieden"][0].update(besproken=False, niet_van_toepassing=False)
    result = merge_validated(base, local, remote, Dossier.model_validate, _locations)
    entry = next(e for e in result.document.leefgebieden if str(e.id) == entry_id)
    assert entry.besproken and not entry.niet_van_toepassing  # the local values stay
    paths = {path_text(c.path) for c in result.conflicts}
    # the central change that cannot be combined with the local one waits for a choice,
    # together with the central change in the same object
    assert paths == {f"leefgebieden/[{entry_id}]/niet_van_toepassing", f"leefgebieden/[{entry_id}]/nvt_reden"}
    remote_values = {path_text(c.path): c.remote for c in result.conflicts}
    assert remote_values[f"leefgebieden/[{entry_id}]/nvt_reden"] == "Geen kinderen"
