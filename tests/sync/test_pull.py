"""The pull: cheap when nothing changed, careful with what it does not understand."""

from __future__ import annotations

import json
from collections.abc import Callable

import storage
from forms.demo import demo_dossier
from sync import ZGWClient
from sync.keys import dossier_document_identificatie
from tests.sync.conftest import RSIN, make_engine
from tests.zgw_server import ZGWServer


def test_idle_sync_costs_the_same_for_few_and_many_dossiers(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    costs = []
    for name, count in (("weinig", 3), ("veel", 30)):
        vault = new_vault(name)
        for _ in range(count):
            vault.save(demo_dossier())
        assert make_engine(vault, client).run().ok
        idle = make_engine(vault, client).run()
        assert idle.ok and idle.pushed == idle.pulled == 0
        costs.append(idle.requests)
    # one page of zaken and one of documents, whatever the number of dossiers
    assert costs == [2, 2]


def test_idle_sync_does_not_grow_with_the_municipalitys_other_documents(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault
) -> None:
    for _ in range(5):
        vault.save(demo_dossier())
    assert make_engine(vault, client).run().ok
    alone = make_engine(vault, client).run()
    server.seed_documents(300)  # 300 documents of other zaken, other systems (3 list pages)
    server.reset_logs()
    crowded = make_engine(vault, client).run()
    assert alone.ok and crowded.ok and crowded.pushed == crowded.pulled == 0
    assert alone.requests == crowded.requests == 2
    # one page of this wijkcoach's zaken, one search for exactly its own dossier documents
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in server.request_log] == [
        ("GET", "zaken"),
        ("POST", "_zoek"),
    ]
    # the municipality-wide list the pull no longer reads would cost 4 pages by now
    assert len(list(client.list_documents())) == 305
    assert server.contract_violations == [] and server.server_errors == []


def test_the_search_is_chunked_by_page_size(new_vault: Callable[[str], storage.Vault]) -> None:
    from tests.sync.conftest import make_client, settings_for

    with ZGWServer(page_size=100) as server, make_client(settings_for(server)) as client:
        vault = new_vault("groot")
        for _ in range(130):
            vault.save(demo_dossier())
        server.seed_documents(150)
        assert make_engine(vault, client).run().ok
        server.reset_logs()
        idle = make_engine(vault, client).run()
        assert idle.ok and idle.pulled == 0
        # 2 pages of zaken (130 at 100 a page), 2 searches of at most 100 uuids
        assert [r.path.rsplit("/", 1)[-1] for r in server.request_log] == ["zaken", "zaken", "_zoek", "_zoek"]
        assert server.contract_violations == [] and server.server_errors == []


def _foreign_zaak(server: ZGWServer, client: ZGWClient, *, with_document: bool) -> str:
    """A zaak of our zaaktype made in the zaaksysteem itself, with this wijkcoach as behandelaar."""
    s = client.settings
    zaak = client._json(
        client._send(
            "POST",
            f"{s.zaken_root}/zaken",
            "test",
            body={
                "bronorganisatie": RSIN,
                "verantwoordelijkeOrganisatie": RSIN,
                "zaaktype": s.zaaktype,
                "startdatum": "2026-01-05",
            },
            expect=(201,),
        ),
        "test",
    )
    client.create_rol(zaak["url"])
    if with_document:
        doc = client.create_document(
            identificatie="MEMO-1",
            informatieobjecttype=s.informatieobjecttype_verslag,
            titel="Memo",
            bestandsnaam="memo.pdf",
            formaat="application/pdf",
            inhoud=b"%PDF-1.4 memo",
        )
        client.link(zaak["url"], doc.url)
    return str(zaak["url"])


def test_zaken_without_a_dossier_are_remembered(server: ZGWServer, client: ZGWClient, vault: storage.Vault) -> None:
    _foreign_zaak(server, client, with_document=False)
    _foreign_zaak(server, client, with_document=True)
    first = make_engine(vault, client).run()
    assert first.ok and first.pulled == 0
    assert len(server.requests("GET", r"/zaakinformatieobjecten$")) == 1  # only the zaak with a link
    server.reset_logs()
    again = make_engine(vault, client).run()
    assert again.ok and again.requests == 1  # the zaken list; no dossier documents to ask about
    assert vault.list_dossiers() == []


def test_a_central_dossier_from_a_newer_app_is_left_alone(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    a, b = new_vault("a"), new_vault("b")
    dossier = demo_dossier()
    a.save(dossier)
    assert make_engine(a, client).run().ok
    assert make_engine(b, client).run().pulled == 1
    # someone writes a version in a shape this app does not know yet
    doc = client.find_document(dossier_document_identificatie(dossier.id))
    assert doc is not None
    raw = json.loads(client.download(doc.url))
    raw["schema_version"] = 99
    lock = client.lock(doc.url)
    client.patch(doc.url, lock, inhoud=json.dumps(raw).encode())
    client.unlock(doc.url, lock)
    report = make_engine(b, client).run()
    assert report.pulled == 0 and report.skipped == 1
    assert b.load(dossier.id) == dossier  # the local copy is untouched


def test_pull_never_replaces_unsent_changes(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    a, b = new_vault("a"), new_vault("b")
    dossier = demo_dossier()
    a.save(dossier)
    assert make_engine(a, client).run().ok
    assert make_engine(b, client).run().pulled == 1
    in_a = a.load(dossier.id)
    in_a.hulpvraag.tekst = "Centraal"
    a.save(in_a)
    assert make_engine(a, client).run().ok
    in_b = b.load(dossier.id)
    in_b.plan.perspectief = "Lokaal, nog niet verstuurd"
    b.save(in_b)
    # the pull alone must not touch B's copy
    pull_only = make_engine(b, client, push=False).run()
    assert pull_only.pulled == 0 and pull_only.changed == []
    assert b.load(dossier.id) == in_b and len(b.pending_changes()) == 1
    # the full run merges both
    merged = make_engine(b, client).run()
    assert merged.ok and merged.merged == 1
    result = b.load(dossier.id)
    assert result.hulpvraag.tekst == "Centraal" and result.plan.perspectief == "Lokaal, nog niet verstuurd"


def test_a_newer_central_dossier_with_unsent_local_changes_skips_only_that_dossier(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    a, b = new_vault("a"), new_vault("b")
    dossier, other = demo_dossier(), demo_dossier()
    a.save(dossier)
    assert make_engine(a, client).run().ok
    assert make_engine(b, client).run().pulled == 1
    doc = client.find_document(dossier_document_identificatie(dossier.id))
    assert doc is not None
    raw = json.loads(client.download(doc.url))
    raw["schema_version"] = 99
    lock = client.lock(doc.url)
    client.patch(doc.url, lock, inhoud=json.dumps(raw).encode())
    client.unlock(doc.url, lock)
    # B edits its copy, and starts another dossier, before it syncs
    in_b = b.load(dossier.id)
    in_b.plan.perspectief = "Lokaal, nog niet verstuurd"
    b.save(in_b)
    b.save(other)
    report = make_engine(b, client).run()
    # retrying cannot make the newer shape readable: that dossier waits, the others go on
    assert report.retries == 0 and report.skipped == 1 and report.pushed == 1
    assert b.load(dossier.id) == in_b and len(b.pending_changes()) == 1
    assert not report.ok and report.melding
