"""Definitions as data: the shipped files, a municipality's folder, and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import forms
from forms.definitions import (
    SHIPPED_FOLDER,
    DefinitionError,
    UnknownDefinition,
    default_definitions,
    load_definitions,
)
from forms.models import DefinitionRef, RiskLater, SafetyNow

DOMAIN_IDS = [
    "wonen",
    "werk_inkomen",
    "opvoeding_gezin",
    "gezondheid",
    "onderwijs",
    "veiligheid",
    "sociaal_netwerk",
]


def shipped_raw(name: str) -> dict:
    return json.loads((SHIPPED_FOLDER / name).read_text(encoding="utf-8"))


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_shipped_definitions_load(defs):
    refs = defs.current_refs()
    assert refs.leefgebieden == DefinitionRef(id="leefgebieden-basis", version=1)
    assert refs.veiligheid == DefinitionRef(id="kt-veiligheid", version=1)
    assert refs.meldcode == DefinitionRef(id="meldcode-afwegingskader", version=1)
    assert refs.zrm == DefinitionRef(id="zrm", version=1)
    ds = defs.domain_set()
    assert ds.ids == DOMAIN_IDS
    for d in ds.domeinen:
        assert d.naam and d.beschrijving and d.vragen_volwassenen
        assert d.vragen_kinderen, d.id
    assert ds.domein("werk_inkomen").zrm_domeinen
    assert ds.domein("gezondheid").vragen_kinderen[0].van == 0


def test_zrm_scale(defs):
    zrm = defs.zrm()
    assert [n.score for n in zrm.niveaus] == [1, 2, 3, 4, 5]
    assert zrm.label(1) == "Acute problematiek"
    assert zrm.label(2) == "Niet zelfredzaam"
    assert zrm.label(3) == "Beperkt zelfredzaam"
    assert zrm.label(4) == "Voldoende zelfredzaam"
    assert zrm.label(5) == "Volledig zelfredzaam"


def test_instrument_structure_and_consultation(defs):
    inst = defs.instrument()
    soorten = {s.soort for s in inst.secties}
    assert soorten == {"signalen", "risico", "beschermend"}
    assert {s.betreft for s in inst.secties if s.soort == "risico"} == {"kind", "ouders", "gezin", "omgeving"}
    for item_id in ("signaal_letsel", "risico_ouders_schulden", "beschermend_netwerk",
                    "risico_ouders_verslaving", "risico_ouders_psychisch", "risico_ouders_geweld"):
        assert inst.item(item_id).tekst
    assert inst.requires_consultation(SafetyNow.ONVEILIG, None)
    assert inst.requires_consultation(SafetyNow.ACUUT_ONVEILIG, RiskLater.LAAG)
    assert inst.requires_consultation(SafetyNow.VEILIG, RiskLater.HOOG)
    assert not inst.requires_consultation(SafetyNow.VEILIG, RiskLater.VERHOOGD)
    assert not inst.requires_consultation(None, None)


def test_meldcode_definition(defs):
    mc = defs.meldcode()
    assert [q.stap for q in mc.stappen] == [1, 2, 3, 4, 5]
    assert [q.melden_bij for q in mc.stappen] == [None, True, False, False, False]


def test_age_bands_and_applicability(defs):
    from forms.demo import demo_dossier

    d = demo_dossier()
    ds = defs.domain_set()
    names = {m.id: m.voornaam for m in d.huishouden.leden}
    cells = [(dom, names.get(mid)) for dom, mid in ds.required_cells(d)]
    assert ("wonen", None) in cells
    assert ("werk_inkomen", "Sanne") in cells and ("werk_inkomen", "Daan") not in cells
    assert ("onderwijs", "Liëke") in cells and ("onderwijs", "Sanne") not in cells
    assert {n for dom, n in cells if dom == "gezondheid"} == set(names.values())
    lieke = next(m for m in d.huishouden.leden if m.voornaam == "Liëke")
    assert "consultatiebureau" in " ".join(ds.domein("gezondheid").vragen_voor(lieke, d.gesprek.datum))


def test_malformed_file_names_file_and_field(tmp_path):
    raw = shipped_raw("leefgebieden-basis.v1.json")
    raw["id"] = "leefgebieden-gemeente"
    raw["domeinen"][2]["vragen_kinderen"][0]["van"] = "vier"
    path = write(tmp_path, "gemeente.json", raw)
    with pytest.raises(forms.DefinitionError) as info:
        load_definitions(tmp_path)
    err = info.value
    assert err.bestand == path
    assert err.pad == "domeinen[2].vragen_kinderen[0].van"
    assert "gemeente.json" in str(err) and "domeinen[2].vragen_kinderen[0].van" in str(err)
    assert "integer" in str(err)
    assert "gemeente.json" in err.melding and "klopt niet" in err.melding


@pytest.mark.parametrize(
    "content, pad, fragment",
    [
        ("{ not json", "regel 1, kolom 3", "invalid JSON"),
        ("[]", "", "one JSON object"),
        ({"id": "x", "version": 1}, "soort", "'soort' is missing"),
        ({"soort": "lirik", "id": "x", "version": 1}, "soort", "'soort' must be one of"),
        ({"soort": "zrm", "id": "x", "version": 0, "naam": "x", "niveaus": []}, "version", "greater than or equal to 1"),
    ],
)
def test_bad_files(tmp_path, content, pad, fragment):
    write(tmp_path, "bad.json", content)
    with pytest.raises(DefinitionError) as info:
        load_definitions(tmp_path)
    assert info.value.pad == pad
    assert fragment in str(info.value)
    assert "bad.json" in str(info.value)


def test_semantic_checks(tmp_path):
    raw = shipped_raw("kt-veiligheid.v1.json")
    raw["version"] = 2
    raw["secties"][1]["items"][0]["id"] = "signaal_letsel"  # duplicate item id
    write(tmp_path, "dup.json", raw)
    with pytest.raises(DefinitionError, match="duplicate item id 'signaal_letsel'"):
        load_definitions(tmp_path)


def test_missing_folder_is_a_definition_error(tmp_path):
    with pytest.raises(DefinitionError) as info:
        load_definitions(tmp_path / "nope")
    assert "bestaat niet" in info.value.melding


def test_shipped_version_is_immutable(tmp_path):
    raw = shipped_raw("kt-veiligheid.v1.json")
    write(tmp_path, "same.json", raw)
    load_definitions(tmp_path)  # identical content is fine
    raw["naam"] = "Anders"
    write(tmp_path, "same.json", raw)
    with pytest.raises(DefinitionError, match="needs a new version number"):
        load_definitions(tmp_path)


def test_new_version_becomes_current_old_stays(tmp_path):
    raw = shipped_raw("kt-veiligheid.v1.json")
    raw["version"] = 2
    raw["oordeel"]["consultatie_bij_risico"] = ["verhoogd", "hoog"]
    write(tmp_path, "kt-veiligheid.v2.json", raw)
    defs = load_definitions(tmp_path)
    assert defs.current_refs().veiligheid == DefinitionRef(id="kt-veiligheid", version=2)
    v1 = defs.instrument(DefinitionRef(id="kt-veiligheid", version=1))
    v2 = defs.instrument()
    assert not v1.requires_consultation(None, RiskLater.VERHOOGD)
    assert v2.requires_consultation(None, RiskLater.VERHOOGD)
    with pytest.raises(UnknownDefinition) as info:
        defs.instrument(DefinitionRef(id="kt-veiligheid", version=3))
    assert "versie 3" in info.value.melding


def test_municipality_instrument_becomes_active(tmp_path):
    raw = shipped_raw("kt-veiligheid.v1.json")
    raw["id"] = "lirik-licentie"
    raw["naam"] = "LIRIK (gelicentieerd)"
    write(tmp_path, "lirik.json", raw)
    defs = load_definitions(tmp_path)
    assert defs.current_refs().veiligheid.id == "lirik-licentie"
    assert defs.instrument(DefinitionRef(id="kt-veiligheid", version=1)).id == "kt-veiligheid"
    # two new instruments: the folder must say which is current
    raw2 = dict(raw, id="ander-instrument")
    write(tmp_path, "ander.json", raw2)
    with pytest.raises(DefinitionError, match=r"actief\.json"):
        load_definitions(tmp_path)
    write(tmp_path, "actief.json", {"veiligheid": "ander-instrument"})
    assert load_definitions(tmp_path).current_refs().veiligheid.id == "ander-instrument"
    write(tmp_path, "actief.json", {"veiligheid": "bestaat-niet"})
    with pytest.raises(DefinitionError) as info:
        load_definitions(tmp_path)
    assert info.value.pad == "veiligheid"


def test_env_var_is_default_extra_folder(tmp_path, monkeypatch):
    raw = shipped_raw("leefgebieden-basis.v1.json")
    raw["id"] = "leefgebieden-almelo"
    raw["domeinen"] = raw["domeinen"][:3]
    write(tmp_path, "almelo.json", raw)
    assert default_definitions().domain_set().id == "leefgebieden-basis"
    monkeypatch.setenv("KEUKENTAFEL_DEFINITIES", str(tmp_path))
    assert default_definitions().domain_set().id == "leefgebieden-almelo"
    assert default_definitions() is default_definitions()  # cached


def test_file_saved_with_a_bom_loads(tmp_path):
    raw = shipped_raw("zrm.v1.json")
    raw["id"] = "zrm-gemeente"
    (tmp_path / "zrm.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(raw, ensure_ascii=False).encode("utf-8"))
    assert load_definitions(tmp_path).zrm().id == "zrm-gemeente"


def test_not_utf8_names_the_file(tmp_path):
    (tmp_path / "latin1.json").write_bytes('{"naam": "Financiën"}'.encode("latin-1"))
    with pytest.raises(DefinitionError, match=r"latin1\.json: the file is not UTF-8"):
        load_definitions(tmp_path)
