"""Finalised versions in a real vault: the stored verslag is the one the family signed.

Runs the non-Qt half of Ondertekenen (desktop.finalising) against a real SQLCipher
file in tmp_path and reads the stored PDF back with pypdf.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

import forms
import storage
from desktop.finalising import (
    finalise_and_store,
    load_version_pdf,
    prepare_final,
    store_final,
    verify_stored_version,
)
from forms import Dossier, Signature
from forms.demo import complete_demo_dossier
from forms.verslag import SECTION_HEADINGS, VerslagSettings

SETTINGS = VerslagSettings(gemeente="Gemeente Den Helder", team="Sociaal Wijkteam Centrum", wijkcoach="Wijkcoach Test")
NOW = dt.datetime(2025, 3, 12, 15, 42, tzinfo=dt.UTC)


def flat(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def signed(dossier: Dossier) -> Dossier:
    """The demo signed by both parents and the wijkcoach (a refusal for one of them)."""
    parents = [m for m in dossier.adults()]
    dossier.handtekeningen = [
        Signature(member_id=parents[0].id, naam=parents[0].naam, plaats="Den Helder", datum=dossier.gesprek.datum, afbeelding_png=_png()),
        Signature(member_id=parents[1].id, naam=parents[1].naam, plaats="Den Helder", datum=dossier.gesprek.datum, weigering_reden="Wil er eerst een nacht over slapen."),
        Signature(member_id=None, naam="Wijkcoach Test", plaats="Den Helder", datum=dossier.gesprek.datum, afbeelding_png=_png()),
    ]
    return dossier


def _png() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (300, 90), "white")
    ImageDraw.Draw(img).line([(10, 60), (80, 20), (150, 70), (290, 30)], fill=(20, 30, 50), width=4)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def dossier() -> Dossier:
    return signed(complete_demo_dossier(NOW.date()))  # dated the day it is finalised


def test_stored_verslag_holds_everything_and_the_stored_hash(vault: storage.Vault, dossier: Dossier) -> None:
    result = finalise_and_store(vault, dossier, settings=SETTINGS, now=NOW)
    assert dossier.definitief is None  # the caller's object is untouched
    final = result.final
    assert final.definitief is not None and forms.verify(final)

    [listed] = vault.list_versions(dossier.id)
    assert (listed.versie, listed.has_pdf) == (1, True)
    stored = vault.load_version(dossier.id, 1)
    assert stored.pdf is not None and stored.dossier_json is not None
    assert hashlib.sha256(stored.pdf).hexdigest() == result.pdf_sha256

    # the stored SHA-256 is the content hash of the stored JSON
    from_json = Dossier.model_validate_json(stored.dossier_json)
    assert stored.sha256 == final.definitief.sha256 == forms.content_hash(from_json)
    assert verify_stored_version(vault, dossier.id, 1)

    text = flat(stored.pdf)
    for heading in SECTION_HEADINGS:
        assert heading in text, heading
    for member in dossier.huishouden.leden:
        assert member.naam in text, member.naam
    for goal in dossier.plan.doelen:
        assert " ".join(goal.omschrijving.split()) in text, goal.omschrijving
    assert re.findall(r"SHA-256: ([0-9a-f]{64})", text) == [stored.sha256]
    for page in pages(stored.pdf):  # the footer of every page carries the short code
        assert f"code {stored.sha256[:12]}" in page
    assert "Wil er eerst een nacht over slapen." in text
    assert "CONCEPT" not in text

    # and the working dossier in the vault is the final one
    assert vault.load(dossier.id).definitief == final.definitief


def test_edit_and_finalise_again_keeps_version_one_byte_for_byte(
    vault_path: Path, passphrase: str, dossier: Dossier
) -> None:
    vault = storage.create_vault(vault_path, passphrase, user="test-coach")
    try:
        first = finalise_and_store(vault, dossier, settings=SETTINGS, now=NOW).final
        before = vault.load_version(dossier.id, 1)
    finally:
        vault.close()

    # later: a new version, an edited goal, signed again, finalised again (vault reopened)
    vault = storage.open_vault(vault_path, passphrase, user="test-coach")
    try:
        nxt = forms.new_version(vault.load(dossier.id))
        assert nxt.versie == 2 and nxt.handtekeningen == []
        nxt.plan.doelen[0].omschrijving = "Daan gaat vier dagen per week naar school."
        signed(nxt)
        second = finalise_and_store(vault, nxt, settings=SETTINGS, now=NOW + dt.timedelta(days=42)).final
    finally:
        vault.close()

    vault = storage.open_vault(vault_path, passphrase, user="test-coach")
    try:
        listed = vault.list_versions(dossier.id)
        assert [v.versie for v in listed] == [1, 2]
        assert listed[0].sha256 != listed[1].sha256
        assert (listed[0].sha256, listed[1].sha256) == (first.definitief.sha256, second.definitief.sha256)
        after = vault.load_version(dossier.id, 1)
        assert after.pdf == before.pdf  # byte for byte
        assert after.dossier_json == before.dossier_json
        assert after.sha256 == before.sha256
        v2 = load_version_pdf(vault, dossier.id, 2)
        assert v2 != before.pdf
        assert "Daan gaat vier dagen per week naar school." in flat(v2)
        assert "Daan gaat vier dagen per week naar school." not in flat(before.pdf)
        assert second.vorige_versies[0].sha256 == first.definitief.sha256
        assert verify_stored_version(vault, dossier.id, 1) and verify_stored_version(vault, dossier.id, 2)
    finally:
        vault.close()


def test_blocking_gap_writes_nothing(vault: storage.Vault) -> None:
    from forms.demo import demo_dossier

    incomplete = demo_dossier()
    vault.save(incomplete)
    with pytest.raises(forms.IncompleteDossier):
        finalise_and_store(vault, incomplete, settings=SETTINGS)
    assert vault.list_versions(incomplete.id) == []
    assert vault.load(incomplete.id).definitief is None


def test_retry_with_the_same_final_is_safe_and_a_refinalise_adopts_the_stored_copy(
    vault: storage.Vault, dossier: Dossier
) -> None:
    final, pdf = prepare_final(dossier, settings=SETTINGS, now=NOW)
    store_final(vault, final, pdf)
    store_final(vault, final, pdf)  # the same again: a no-op for the version
    # finalised again later with the same content (e.g. the save had failed): the stored copy wins
    again, again_pdf = prepare_final(dossier, settings=SETTINGS, now=NOW + dt.timedelta(minutes=5))
    assert again_pdf != pdf
    result = store_final(vault, again, again_pdf)
    assert result.final.definitief == final.definitief
    assert result.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert len(vault.list_versions(dossier.id)) == 1


def test_different_content_under_a_stored_version_number_is_refused(vault: storage.Vault, dossier: Dossier) -> None:
    final, pdf = prepare_final(dossier, settings=SETTINGS, now=NOW)
    store_final(vault, final, pdf)
    changed = dossier.model_copy(deep=True)
    changed.hulpvraag.tekst = "Iets anders."
    with pytest.raises(storage.ImmutableVersion):
        finalise_and_store(vault, changed, settings=SETTINGS)
    assert vault.load_version(dossier.id, 1).pdf == pdf


def test_a_pdf_only_version_cannot_be_verified_and_does_not_raise(tmp_path: Path) -> None:
    """A version pulled from a central system that holds only its PDF stores a marker
    instead of dossier JSON (sync.keys.pdf_only_json): there is nothing to verify."""
    from sync.keys import pdf_only_json

    dossier = complete_demo_dossier()
    with storage.create_vault(tmp_path / "kluis.db", "een-lang-wachtwoord") as vault:
        pdf = b"%PDF-1.4 fictief"
        marker = pdf_only_json(dossier.id, 1, "0" * 64, hashlib.sha256(pdf).hexdigest())
        vault.store_version(dossier.id, 1, "0" * 64, marker, pdf=pdf)
        assert not verify_stored_version(vault, dossier.id, 1)
