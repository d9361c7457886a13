"""Finalised versions (the signed verslag and the dossier as it was signed) reach a second
vault: pulled once, byte for byte, and never at the cost of an idle run."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

import forms
import storage
from forms.demo import sign_at_the_table
from forms.models import Dossier
from forms.verslag import build_pdf
from sync import ZGWClient, is_pdf_only
from sync.keys import verslag_identificatie
from sync.versions import VersionsOut
from tests.sync.conftest import make_engine, store_final
from tests.zgw_server import Fault, ZGWServer

DOCS = r"/enkelvoudiginformatieobjecten"


def stored_versions(vault: storage.Vault, dossier_id: UUID) -> list[tuple[Any, ...]]:
    """What the vault keeps per finalised version (not when it was stored): the PDF as
    bytes, the signed dossier as a dossier (the central copy is canonical JSON, so the
    key order of free-form maps such as ``antwoorden`` may differ from the text the
    first vault stored; the content and its hash are the same)."""
    out = []
    for listed in vault.list_versions(dossier_id):
        full = vault.load_version(dossier_id, listed.versie)
        assert full.dossier_json is not None
        out.append((full.versie, full.sha256, full.has_pdf, Dossier.model_validate_json(full.dossier_json), full.pdf))
    return out


def next_final(vault: storage.Vault, dossier_id: UUID, text: str, day: int) -> Dossier:
    """Start the next version of a final dossier, edit it, finalise and store it (as
    Ondertekenen does); returns the final dossier."""
    nxt = forms.new_version(vault.load(dossier_id))
    nxt.plan.perspectief = text
    sign_at_the_table(nxt)  # a new version is signed anew
    vault.save(nxt)
    held = dt.datetime.combine(nxt.gesprek.datum, dt.time(10, 0), tzinfo=dt.UTC)
    final = forms.finalise(nxt, now=held + dt.timedelta(days=day))
    store_final(vault, final, build_pdf(final))
    return final


def start_next(vault: storage.Vault, dossier_id: UUID, text: str) -> Dossier:
    nxt = forms.new_version(vault.load(dossier_id))
    nxt.plan.perspectief = text
    vault.save(nxt)
    return nxt


def clean(server: ZGWServer) -> None:
    assert server.contract_violations == [] and server.server_errors == []


def test_pulling_into_an_empty_vault_gives_the_same_versions(
    server: ZGWServer,
    client: ZGWClient,
    new_vault: Callable[[str], storage.Vault],
    finalised: tuple[Dossier, bytes],
) -> None:
    first, second = new_vault("eerste"), new_vault("tweede")
    final, pdf = finalised
    store_final(first, final, pdf)
    assert make_engine(first, client).run().ok
    next_final(first, final.id, "Tweede gesprek: het gaat beter.", 9)
    assert make_engine(first, client).run().ok
    start_next(first, final.id, "Derde gesprek, nog niet af")
    assert make_engine(first, client).run().ok

    report = make_engine(second, client).run()

    assert report.ok and report.pulled == 1 and report.versions_pulled == 2, report
    assert second.load(final.id) == first.load(final.id)
    assert [ref.versie for ref in second.load(final.id).vorige_versies] == [1, 2]
    assert stored_versions(second, final.id) == stored_versions(first, final.id)  # the signed dossier; the PDF byte for byte
    assert stored_versions(second, final.id)[0][4] == pdf
    for versie in (1, 2):  # the stored JSON is the signed dossier and still verifies
        stored = second.load_version(final.id, versie)
        assert stored.dossier_json is not None and not is_pdf_only(stored.dossier_json)
        signed = Dossier.model_validate_json(stored.dossier_json)
        assert forms.verify(signed) and signed.definitief is not None and signed.definitief.sha256 == stored.sha256
    # the pulled verslagen count as uploaded: the second vault never uploads or looks them up
    assert set(second.get_sync_state(final.id).verslagen) == {1, 2}
    server.reset_logs()
    idle = make_engine(second, client).run()
    assert idle.ok and idle.pulled == idle.versions_pulled == 0 and idle.requests == 2
    # an edit in the second vault is pushed without touching the verslagen
    edited = second.load(final.id)
    edited.plan.perspectief = "Derde gesprek, aangevuld in de tweede kluis"
    second.save(edited)
    edited_report = make_engine(second, client).run()
    assert edited_report.ok and edited_report.pushed == 1 and edited_report.verslagen_uploaded == 0
    assert not server.requests("GET", DOCS + "$")  # no identificatie look-ups either
    assert first.load(final.id) != edited and make_engine(first, client).run().pulled == 1
    assert first.load(final.id) == second.load(final.id)
    clean(server)


def test_a_version_finalised_and_left_offline_is_sent_before_the_next_one(
    server: ZGWServer,
    client: ZGWClient,
    new_vault: Callable[[str], storage.Vault],
    finalised: tuple[Dossier, bytes],
) -> None:
    """Finalised, then the next version started, all before any sync: the signed dossier
    goes into the document's history first, so the second vault gets its JSON too."""
    first, second = new_vault("eerste"), new_vault("tweede")
    final, pdf = finalised
    store_final(first, final, pdf)
    start_next(first, final.id, "Meteen verder gewerkt")

    pushed = make_engine(first, client).run()
    # created with the signed v1, then a new document version with v2; the verslag of v1
    assert (pushed.ok, pushed.documents_created, pushed.versions_created, pushed.verslagen_uploaded) == (True, 1, 1, 1)
    pulled = make_engine(second, client).run()
    assert pulled.ok and pulled.versions_pulled == 1
    assert second.load(final.id) == first.load(final.id)
    assert stored_versions(second, final.id) == stored_versions(first, final.id)
    # a later run sends nothing old again
    again = make_engine(first, client).run()
    assert again.ok and again.versions_created == 0 and again.requests == 2
    clean(server)


def test_a_verslag_without_its_dossier_json_is_kept_as_pdf(
    server: ZGWServer,
    client: ZGWClient,
    new_vault: Callable[[str], storage.Vault],
    finalised: tuple[Dossier, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A zaaksysteem that holds the verslag but never held the signed dossier (an older
    app pushed only the newest content): the PDF is stored byte for byte, with a marker
    instead of invented JSON."""
    first, second = new_vault("eerste"), new_vault("tweede")
    final, pdf = finalised
    store_final(first, final, pdf)
    start_next(first, final.id, "Meteen verder gewerkt")
    monkeypatch.setattr(VersionsOut, "ensure_final_versions_sent", lambda self, push, local: None)
    assert make_engine(first, client).run().ok
    monkeypatch.undo()

    report = make_engine(second, client).run()

    assert report.ok and report.versions_pulled == 1
    stored = second.load_version(final.id, 1)
    assert stored.pdf == pdf and stored.sha256 == final.definitief.sha256  # type: ignore[union-attr]
    assert is_pdf_only(stored.dossier_json)
    assert second.load(final.id) == first.load(final.id)
    with pytest.raises(ValueError):
        Dossier.model_validate_json(stored.dossier_json or "")
    # nothing is asked again: it is all the central system has
    server.reset_logs()
    assert make_engine(second, client).run().requests == 2
    clean(server)


def test_a_verslag_uploaded_later_is_fetched_when_the_zaak_links_it(
    server: ZGWServer,
    client: ZGWClient,
    new_vault: Callable[[str], storage.Vault],
    finalised: tuple[Dossier, bytes],
) -> None:
    first, second = new_vault("eerste"), new_vault("tweede")
    final, pdf = finalised
    draft = final.model_copy(deep=True)
    draft.definitief = None
    first.save(draft)
    assert make_engine(first, client).run().ok
    store_final(first, final, pdf)
    # the first vault's verslag upload fails: the signed dossier is central, its PDF not yet
    server.faults.add(Fault.error(503, method="POST", path=DOCS + "$", times=None))
    partial = make_engine(first, client).run()
    assert not partial.ok and partial.versions_created == 1 and partial.verslagen_uploaded == 0
    server.faults.clear()

    report = make_engine(second, client).run()
    assert report.ok and report.pulled == 1 and report.versions_pulled == 0
    assert second.list_versions(final.id) == []
    # idle meanwhile: the missing verslag costs nothing until the zaak's links change
    server.reset_logs()
    assert make_engine(second, client).run().requests == 2

    assert make_engine(first, client).run().verslagen_uploaded == 1
    later = make_engine(second, client).run()
    assert later.ok and later.versions_pulled == 1
    assert stored_versions(second, final.id) == stored_versions(first, final.id)
    server.reset_logs()
    assert make_engine(second, client).run().requests == 2
    clean(server)


def test_a_corrupt_central_verslag_is_not_stored(
    server: ZGWServer,
    client: ZGWClient,
    new_vault: Callable[[str], storage.Vault],
    finalised: tuple[Dossier, bytes],
) -> None:
    first, second = new_vault("eerste"), new_vault("tweede")
    final, pdf = finalised
    store_final(first, final, pdf)
    assert make_engine(first, client).run().ok
    # someone replaces the verslag's content centrally (integriteit still names the original)
    verslag = client.find_document(verslag_identificatie(final.id, final.versie))
    assert verslag is not None
    lock = client.lock(verslag.url)
    client.patch(verslag.url, lock, inhoud=b"%PDF-1.4 iets anders")
    client.unlock(verslag.url, lock)

    report = make_engine(second, client).run()

    assert report.ok and report.pulled == 1 and report.versions_pulled == 0
    assert second.list_versions(final.id) == []
    assert "sync_verslag_differs" in [e.action for e in second.audit_log(final.id)]
    assert hashlib.sha256(pdf).hexdigest() == verslag.integriteit_sha256
    clean(server)
