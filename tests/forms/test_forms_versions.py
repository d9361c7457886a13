"""Answers keep the definition version they were given under; old dossiers still load
and are checked against that version. Plus the schema migration hook."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from kt_families import TODAY, by_name
from pydantic import ValidationError

import forms
from forms import DefinitionRef, RiskLater
from forms.definitions import SHIPPED_FOLDER, load_definitions
from forms.demo import complete_demo_dossier, demo_dossier
from forms.migrate import STEPS, upgrade

V1 = DefinitionRef(id="kt-veiligheid", version=1)
V2 = DefinitionRef(id="kt-veiligheid", version=2)


@pytest.fixture
def with_v2(tmp_path):
    """Version 2 of the instrument ships: a new required signal, and 'verhoogd' risk now
    needs a consultation."""
    raw = json.loads((SHIPPED_FOLDER / "kt-veiligheid.v1.json").read_text(encoding="utf-8"))
    raw["version"] = 2
    raw["secties"][0]["items"].append(
        {"id": "signaal_online", "tekst": "Het kind wordt online bedreigd of uitgebuit."}
    )
    raw["oordeel"]["consultatie_bij_risico"] = ["verhoogd", "hoog"]
    (tmp_path / "kt-veiligheid.v2.json").write_text(json.dumps(raw), encoding="utf-8")
    return load_definitions(tmp_path)


def test_v1_dossier_loads_and_is_checked_against_v1_after_v2_ships(with_v2):
    defs = with_v2
    assert defs.current_refs().veiligheid == V2
    d = complete_demo_dossier(TODAY)
    lieke = by_name(d, "Liëke")
    assert d.latest_assessment(lieke.id).risico is RiskLater.VERHOOGD
    stored = d.model_dump_json()
    loaded = forms.Dossier.model_validate_json(stored)
    assert all(a.instrument == V1 for a in loaded.veiligheid)
    # under v1: no consultation for 'verhoogd', no 'signaal_online' to answer
    assert [g for g in forms.gaps(loaded, defs, today=TODAY) if g.blokkerend] == []
    assert forms.verify(forms.finalise(loaded, defs))


def test_a_new_assessment_under_v2_follows_v2(with_v2):
    defs = with_v2
    d = complete_demo_dossier(TODAY)
    lieke = by_name(d, "Liëke")
    v1 = d.latest_assessment(lieke.id)
    redo = v1.model_copy(update={"id": forms.models.uuid4(), "instrument": V2, "datum": TODAY + dt.timedelta(days=1)}, deep=True)
    d.gesprek.datum = TODAY + dt.timedelta(days=1)
    d.veiligheid = [*d.veiligheid, redo]
    found = [g for g in forms.gaps(d, defs, today=TODAY + dt.timedelta(days=1)) if g.blokkerend]
    assert [g.code for g in found] == ["veiligheid_signalen_open", "veiligheid_consultatie_ontbreekt"]
    assert found[0].location.item == "signaal_online"
    assert all("Liëke" in g.message for g in found)


def test_shipped_only_does_not_know_v2_and_says_so(with_v2):
    d = complete_demo_dossier(TODAY)
    d.veiligheid[0].instrument = V2
    found = [g for g in forms.gaps(d, load_definitions(), today=TODAY) if g.blokkerend]
    assert [g.code for g in found] == ["definitie_onbekend"]


# --- schema migration ------------------------------------------------------------------------


def test_current_shape_passes_through_unchanged():
    raw = json.loads(demo_dossier(TODAY).model_dump_json())
    before = copy.deepcopy(raw)
    assert upgrade(raw) == raw
    assert raw == before


def test_prototype_shape_is_upgraded():
    """A fake version-0 dossier: no schema_version, hulpvraag as plain text, contacts with 'lid'."""
    current = json.loads(demo_dossier(TODAY).model_dump_json())
    old = copy.deepcopy(current)
    del old["schema_version"]
    del old["leefgebieden_set"]
    old["hulpvraag"] = "Rust in huis."
    old["hulpvraag_stem"] = "beide"
    old["gesprek"]["contacten"] = [
        {"lid": c["member_id"], "status": c["status"], "reden": c["reden"]} for c in current["gesprek"]["contacten"]
    ]
    with pytest.raises(ValidationError):
        forms.Dossier.model_validate(old)
    new = upgrade(old)
    assert "hulpvraag_stem" in old and "hulpvraag_stem" not in new  # input untouched
    d = forms.migrate.load(old)
    assert d.schema_version == forms.SCHEMA_VERSION
    assert d.hulpvraag.tekst == "Rust in huis." and d.hulpvraag.stem is forms.Voice.BEIDE
    assert [c.member_id for c in d.gesprek.contacten] == [m.id for m in d.huishouden.leden]
    assert d.leefgebieden_set == DefinitionRef(id="leefgebieden-basis", version=1)
    assert set(STEPS) == {0, 1}


@pytest.mark.parametrize("version", [3, 99, -1, "1", True])
def test_unknown_schema_versions_are_refused(version):
    raw = json.loads(demo_dossier(TODAY).model_dump_json())
    raw["schema_version"] = version
    with pytest.raises(forms.UnsupportedSchema) as info:
        upgrade(raw)
    assert "nieuwere" in info.value.melding


# --- the demo -----------------------------------------------------------------------------------


def test_demo_shape():
    d = demo_dossier()
    assert [m.rol.value for m in d.huishouden.leden].count("ouder") == 2
    assert sorted(m.age_on(dt.date.today()) for m in d.children()) == [2, 9, 14]


def test_demo_is_blocked_only_by_the_missing_assessments_and_signatures():
    d = demo_dossier()
    found = [g for g in forms.gaps(d) if g.blokkerend]
    assert [g.code for g in found] == [
        "veiligheid_ontbreekt",
        "veiligheid_ontbreekt",
        "handtekening_wijkcoach_ontbreekt",
        "handtekening_ontbreekt",
        "handtekening_ontbreekt",
    ]
    assert [g.message for g in found][:2] == [
        "Voor Noor is nog geen veiligheidsbeoordeling afgerond.",
        "Voor Liëke is nog geen veiligheidsbeoordeling afgerond.",
    ]
    with pytest.raises(forms.IncompleteDossier):
        forms.finalise(d)


def test_complete_demo_finalises_and_removing_one_childs_assessment_blocks_again():
    d = complete_demo_dossier()
    final = forms.finalise(d)
    assert forms.verify(final)
    noor = by_name(d, "Noor")
    d.veiligheid = [a for a in d.veiligheid if a.child_id != noor.id]
    with pytest.raises(forms.IncompleteDossier) as info:
        forms.finalise(d)
    assert [g.message for g in info.value.gaps] == ["Voor Noor is nog geen veiligheidsbeoordeling afgerond."]
    assert info.value.gaps[0].location.member_id == noor.id


def test_content_hash_is_canonical():
    d = complete_demo_dossier(TODAY)
    h = forms.content_hash(d)
    assert len(h) == 64
    reloaded = forms.Dossier.model_validate(json.loads(d.model_dump_json()))
    assert forms.content_hash(reloaded) == h
    text = forms.canonical_json(d)
    assert b"\n" not in text and b": " not in text
    assert json.loads(text) == json.loads(text) and list(json.loads(text)) == sorted(json.loads(text))
    d.hulpvraag.tekst += "!"
    assert forms.content_hash(d) != h
