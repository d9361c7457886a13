"""End to end over real HTTP on 127.0.0.1: a dossier made and finalised offline reaches
the ZGW test server completely, and comes back into an empty second vault."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import storage
from forms.models import Dossier
from sync import ZGWClient
from sync.keys import dossier_document_identificatie, verslag_identificatie, zaak_identificatie
from tests.sync.conftest import MEDEWERKER, make_engine, server_state, store_final
from tests.zgw_server import ZGWServer


def test_finalised_dossier_reaches_the_server(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault, finalised: tuple[Dossier, bytes]
) -> None:
    final, pdf = finalised
    store_final(vault, final, pdf)
    assert len(vault.pending_changes()) == 1

    report = make_engine(vault, client).run()

    assert report.ok, report
    assert (report.pushed, report.zaken_created, report.documents_created, report.verslagen_uploaded) == (1, 1, 1, 1)
    assert report.statuses_set == 2
    assert vault.pending_changes() == []
    s = client.settings

    zaken = client.list_my_zaken()
    assert [z.identificatie for z in zaken] == [zaak_identificatie(final.id)]
    zaak = zaken[0]
    # the behandelaar rol
    rollen = client.list_rollen(zaak.url)
    assert [(r.roltype, r.betrokkene_type, r.medewerker) for r in rollen] == [
        (s.roltype_behandelaar, "medewerker", MEDEWERKER)
    ]
    # both statuses, listed as Open Zaak lists them: the latest first (same moment: the newest first)
    statussen = client.list_statussen(zaak.url)
    assert [st.statustype for st in statussen] == [s.statustype_ondertekend, s.statustype_gestart]
    assert [st.statustype for st in statussen if st.laatst_gezet] == [s.statustype_ondertekend]
    # the JSON document: its newest version is the local dossier
    links = client.list_zio(zaak.url)
    assert len(links) == 2
    dossier_doc = client.find_document(dossier_document_identificatie(final.id))
    assert dossier_doc is not None and dossier_doc.informatieobjecttype == s.informatieobjecttype_dossier
    assert not dossier_doc.locked
    assert Dossier.model_validate_json(client.download(dossier_doc.url)) == vault.load(final.id)
    # the PDF: same bytes (SHA-256), status definitief, integriteit recorded
    verslag = client.find_document(verslag_identificatie(final.id, final.versie))
    assert verslag is not None and verslag.informatieobjecttype == s.informatieobjecttype_verslag
    downloaded = client.download(verslag.url)
    assert hashlib.sha256(downloaded).hexdigest() == hashlib.sha256(pdf).hexdigest()
    assert verslag.integriteit_sha256 == hashlib.sha256(pdf).hexdigest()
    assert {link.informatieobject for link in links} == {dossier_doc.url, verslag.url}
    raw = client._json(client._send("GET", verslag.url, "test"), "test")
    assert raw["status"] == "definitief" and raw["formaat"] == "application/pdf"
    assert raw["indicatieGebruiksrecht"] is False
    assert raw["vertrouwelijkheidaanduiding"] == "zeer_geheim"

    # the audit log has the run (counts only) and the dossier's sent event
    runs = [e for e in vault.audit_log() if e.action == "sync_run"]
    assert len(runs) == 1 and runs[0].detail.startswith("ok=1")
    assert "sync_sent" in [e.action for e in vault.audit_log(final.id)]
    assert vault.sync_summary().last_ok is True

    # a second run has nothing to do and changes nothing
    before = server_state(server, client)
    again = make_engine(vault, client).run()
    assert again.ok and again.pushed == again.pulled == 0
    assert server_state(server, client) == before
    assert server.contract_violations == []
    assert server.server_errors == []


def test_pull_into_an_empty_second_vault(
    server: ZGWServer,
    client: ZGWClient,
    new_vault: Callable[[str], storage.Vault],
    finalised: tuple[Dossier, bytes],
) -> None:
    first, second = new_vault("eerste"), new_vault("tweede")
    final, pdf = finalised
    store_final(first, final, pdf)
    assert make_engine(first, client).run().ok

    report = make_engine(second, client).run()

    assert report.ok and report.pulled == 1 and report.versions_pulled == 1
    assert second.load(final.id) == first.load(final.id)
    # and the finalised version: the verslag byte for byte, the signed dossier
    mine, theirs = first.load_version(final.id, 1), second.load_version(final.id, 1)
    assert (theirs.versie, theirs.sha256, theirs.pdf) == (mine.versie, mine.sha256, pdf)
    assert Dossier.model_validate_json(theirs.dossier_json or "") == final
    assert second.pending_changes() == []  # a pulled dossier is not sent back
    listing = second.list_dossiers()
    assert [d.id for d in listing] == [final.id] and listing[0].onverzonden == 0
    assert "pull" in [e.action for e in second.audit_log(final.id)]
    # and an idle run in the second vault stays idle
    idle = make_engine(second, client).run()
    assert idle.ok and idle.pulled == 0 and idle.pushed == 0
    assert server.contract_violations == [] and server.server_errors == []


def test_an_edit_in_the_second_vault_comes_back_to_the_first(
    server: ZGWServer,
    client: ZGWClient,
    new_vault: Callable[[str], storage.Vault],
) -> None:
    from forms.demo import demo_dossier

    first, second = new_vault("eerste"), new_vault("tweede")
    dossier = demo_dossier()
    first.save(dossier)
    assert make_engine(first, client).run().ok
    assert make_engine(second, client).run().pulled == 1

    edited = second.load(dossier.id)
    edited.plan.perspectief = "Over een jaar staan de kinderen weer elke dag op school."
    second.save(edited)
    pushed = make_engine(second, client).run()
    assert pushed.ok and pushed.pushed == 1 and pushed.versions_created == 1

    pulled = make_engine(first, client).run()
    assert pulled.ok and pulled.pulled == 1
    assert first.load(dossier.id) == edited
    assert server.contract_violations == [] and server.server_errors == []


def test_a_dossier_with_a_naive_aangemaakt_is_pushed(server: ZGWServer, client: ZGWClient, vault: storage.Vault) -> None:
    """The model accepts a timestamp without time zone (e.g. from another system's JSON):
    the status times must not compare it with an aware one (TypeError out of run())."""
    from forms.demo import demo_dossier

    dossier = demo_dossier()
    dossier.aangemaakt = dossier.aangemaakt.replace(tzinfo=None)
    vault.save(dossier)
    report = make_engine(vault, client).run()
    assert report.ok and report.statuses_set == 1, report


def test_each_dossier_version_says_what_changed_per_section_without_content(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault
) -> None:
    from forms.demo import demo_dossier

    dossier = demo_dossier()
    vault.save(dossier)
    assert make_engine(vault, client).run().ok
    edited = vault.load(dossier.id)
    typed = "Over een jaar staan de kinderen weer elke dag op school."
    edited.plan.perspectief = typed
    edited.leefgebieden[0].zorgen = typed
    edited.leefgebieden[1].krachten = typed
    vault.save(edited)
    assert make_engine(vault, client).run().versions_created == 1

    url = vault.get_sync_state(dossier.id).document_url
    assert url is not None
    document = client._json(client._send("GET", url, "get document"), "get document")
    assert document["versie"] == 2
    assert document["beschrijving"] == "Gewijzigd: Leefgebieden 2, Plan 1"
    assert server.contract_violations == [] and server.server_errors == []
