"""forms.history: changed paths as the vault stores them, as Dutch labels, and counted per section."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from forms import history
from forms.demo import demo_dossier
from forms.models import Dossier
from forms.paths import Item, parse_path


def _dump(dossier: Dossier) -> Any:
    return json.loads(dossier.model_dump_json())


def test_labels_name_the_step_the_item_and_the_field() -> None:
    dossier = demo_dossier()
    before = _dump(dossier)
    goals = sorted(dossier.plan.doelen, key=lambda g: g.prioriteit)
    goals[1].omschrijving = "Iets anders"
    household_wonen = next(e for e in dossier.leefgebieden if e.domein == "wonen" and e.member_id is None)
    household_wonen.zorgen = "Nieuwe zorgen"
    assessment = dossier.veiligheid[0]
    assessment.onderbouwing = "Nieuwe onderbouwing"
    child = dossier.member(assessment.child_id)
    assert child is not None
    paths = history.audit_paths(before, _dump(dossier))
    labels = [history.label(p, dossier) for p in paths]
    assert "Plan › Doel 2 › omschrijving" in labels
    assert "Leefgebieden › Wonen (huishouden) › zorgen" in labels
    assert f"Veiligheid › {child.voornaam} › onderbouwing" in labels
    # a label names no value
    assert not any("Iets anders" in label or "Nieuwe" in label for label in labels)


def test_names_come_from_the_current_dossier() -> None:
    dossier = demo_dossier()
    member = dossier.huishouden.leden[0]
    path = f"huishouden/leden/[{member.id}]/achternaam"
    assert history.label(path, dossier) == f"Huishouden › {member.voornaam} › achternaam"
    renamed = dossier.model_copy(deep=True)
    renamed.huishouden.leden[0].voornaam = "Zwaantje"
    assert history.label(path, renamed) == "Huishouden › Zwaantje › achternaam"


def test_an_item_no_longer_there_is_called_removed() -> None:
    dossier = demo_dossier()
    goal = dossier.plan.doelen[0]
    dossier.plan.doelen.remove(goal)
    assert history.label(f"plan/doelen/[{goal.id}]", dossier) == "Plan › verwijderd doel"


def test_per_member_domains_and_contacts() -> None:
    dossier = demo_dossier()
    entry = next(e for e in dossier.leefgebieden if e.member_id is not None)
    member = dossier.member(entry.member_id)  # type: ignore[arg-type]
    assert member is not None
    label = history.label(f"leefgebieden/[{entry.id}]/zrm", dossier)
    assert label.endswith(f"({member.voornaam}) › ZRM-score")
    contact = f"gesprek/contacten/[member_id={member.id}]/reden"
    assert history.label(contact, dossier) == f"Gesprek › contact met {member.voornaam} › reden"


def test_section_counts_count_paths_per_top_level_field() -> None:
    paths = ["plan/perspectief", "plan/doelen/[x]/omschrijving", "leefgebieden/[y]/zorgen", ""]
    assert history.section_counts(paths) == {"leefgebieden": 1, "plan": 2}
    assert history.section_counts([parse_path("veiligheid/[z]/risico")]) == {"veiligheid": 1}
    assert history.section_counts([]) == {}


def test_change_summary_is_counts_per_section_in_words() -> None:
    counts = history.section_counts(["leefgebieden/[a]/zorgen", "leefgebieden_set/version", "plan/perspectief"])
    assert history.change_summary(counts) == "Gewijzigd: Leefgebieden 2, Plan 1"
    assert history.change_summary({}) == ""


def test_safe_path_cuts_off_what_could_be_free_text() -> None:
    uuid = "3f2c8a9e-1b2c-4d5e-8f90-123456789abc"
    assert history.safe_path(("plan", "doelen", Item(uuid), "omschrijving")) == (
        "plan", "doelen", Item(uuid), "omschrijving",
    )
    assert history.safe_path(("veiligheid", "antwoorden", "Mijn vrije tekst", "aanwezig")) == (
        "veiligheid", "antwoorden",
    )
    assert history.safe_path(("netwerk", Item("Jan Jansen"), "naam")) == ("netwerk",)


keys = st.text(min_size=1, max_size=12)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=10,
)


@given(old=st.dictionaries(keys, values, max_size=4), new=st.dictionaries(keys, values, max_size=4))
def test_stored_paths_never_carry_a_value_or_a_free_text_key(old: dict[str, Any], new: dict[str, Any]) -> None:
    for text in history.audit_paths(old, new):
        for seg in parse_path(text):
            if isinstance(seg, Item):
                assert len(seg.id) == 36
            else:
                assert seg.isascii() and (seg[0].isalpha() and seg.replace("_", "").isalnum())
                assert seg == seg.lower()
