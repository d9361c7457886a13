"""Issue 11: a pull goes through the vault's storage invariants like any save. A central
dossier the vault refuses (here: a final dossier whose content no longer matches its
frozen hash) is skipped for this run; the run goes on with the others, nothing local
changes, and run() does not raise."""

from __future__ import annotations

import json
from collections.abc import Callable

import forms
import storage
from forms.demo import demo_dossier
from sync import ZGWClient
from sync.keys import dossier_document_identificatie
from tests.sync.conftest import make_engine, store_final
from tests.zgw_server import ZGWServer


def test_a_central_dossier_the_vault_refuses_is_skipped_and_the_others_arrive(
    server: ZGWServer,
    client: ZGWClient,
    new_vault: Callable[[str], storage.Vault],
    finalised: tuple[forms.Dossier, bytes],
) -> None:
    a, b = new_vault("a"), new_vault("b")
    final, pdf = finalised
    store_final(a, final, pdf)
    other = demo_dossier()
    a.save(other)
    assert make_engine(a, client).run().ok

    # someone changes the final dossier's content in the zaaksysteem, keeping its 'definitief'
    doc = client.find_document(dossier_document_identificatie(final.id))
    assert doc is not None
    raw = json.loads(client.download(doc.url))
    raw["hulpvraag"]["tekst"] = "Achteraf veranderd."
    assert forms.Dossier.model_validate(raw).definitief is not None  # still a valid Dossier
    lock = client.lock(doc.url)
    client.patch(doc.url, lock, inhoud=json.dumps(raw).encode())
    client.unlock(doc.url, lock)

    report = make_engine(b, client).run()  # a second laptop pulls everything
    assert report.pulled == 1 and report.skipped == 1 and not report.ok
    assert b.load(other.id) == other
    assert {d.id for d in b.list_dossiers()} == {other.id}  # the changed final one was not stored
    assert "niet" in report.melding and "bewaard" in report.melding
    assert server.contract_violations == [] and server.server_errors == []
