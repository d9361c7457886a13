"""Two vaults edit the same dossier offline: different fields merge, the same field is a
conflict with both values kept, and the wijkcoach's choice resolves it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

import storage
from forms.demo import demo_dossier
from forms.models import Dossier
from sync import InvalidChoice, ZGWClient, resolve_conflict
from sync.keys import dossier_document_identificatie
from tests.sync.conftest import make_engine, store_final
from tests.zgw_server import ZGWServer


def _two_vaults(
    client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> tuple[storage.Vault, storage.Vault, Dossier]:
    a, b = new_vault("a"), new_vault("b")
    dossier = demo_dossier()
    a.save(dossier)
    assert make_engine(a, client).run().ok
    assert make_engine(b, client).run().pulled == 1
    return a, b, dossier


def _central(client: ZGWClient, dossier: Dossier) -> Dossier:
    doc = client.find_document(dossier_document_identificatie(dossier.id))
    assert doc is not None
    return Dossier.model_validate_json(client.download(doc.url))


def test_different_fields_merge(server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]) -> None:
    a, b, dossier = _two_vaults(client, new_vault)
    in_a = a.load(dossier.id)
    in_a.plan.perspectief = "Perspectief uit laptop A"
    a.save(in_a)
    in_b = b.load(dossier.id)
    in_b.hulpvraag.tekst = "Hulpvraag uit laptop B"
    in_b.plan.doelen[0].resultaat = "Resultaat uit laptop B"
    b.save(in_b)

    assert make_engine(a, client).run().ok
    report = make_engine(b, client).run()  # B's base is older than the central version now
    assert report.ok and report.merged == 1 and report.conflicts == 0 and report.pushed == 1

    merged = b.load(dossier.id)
    assert merged.plan.perspectief == "Perspectief uit laptop A"
    assert merged.hulpvraag.tekst == "Hulpvraag uit laptop B"
    assert merged.plan.doelen[0].resultaat == "Resultaat uit laptop B"
    assert _central(client, dossier) == merged
    assert b.pending_changes() == [] and b.conflicts(dossier.id) == []
    # and A gets the merged result
    assert make_engine(a, client).run().pulled == 1
    assert a.load(dossier.id) == merged
    assert server.contract_violations == [] and server.server_errors == []


def test_same_field_is_a_conflict_with_both_values_kept(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    a, b, dossier = _two_vaults(client, new_vault)
    in_a = a.load(dossier.id)
    in_a.plan.perspectief = "Versie A"
    in_a.hulpvraag.tekst = "Alleen A wijzigde de hulpvraag"
    a.save(in_a)
    in_b = b.load(dossier.id)
    in_b.plan.perspectief = "Versie B"
    b.save(in_b)
    assert make_engine(a, client).run().ok
    central_before = _central(client, dossier)

    report = make_engine(b, client).run()
    assert report.conflicts == 1 and report.pushed == 0

    # never overwritten: the central document is as A left it
    assert _central(client, dossier) == central_before
    # B keeps its own value, takes A's other change, and records A's value
    local = b.load(dossier.id)
    assert local.plan.perspectief == "Versie B"
    assert local.hulpvraag.tekst == "Alleen A wijzigde de hulpvraag"
    conflicts = b.conflicts(dossier.id)
    assert [(c.path, c.local, c.remote) for c in conflicts] == [("plan/perspectief", "Versie B", "Versie A")]
    assert conflicts[0].remote_versie == 2
    assert b.list_dossiers()[0].conflict is True
    assert len(b.pending_changes()) == 1  # the queue is intact
    # and while the conflict is open, further runs leave it alone
    again = make_engine(b, client).run()
    assert again.conflicts == 1 and again.pushed == 0 and _central(client, dossier) == central_before
    # the audit log says a merge happened, never what
    details = " ".join(e.detail for e in b.audit_log())
    assert "Versie" not in details

    # the wijkcoach chooses the central value
    resolved = resolve_conflict(b, dossier.id, "plan/perspectief", "centraal")
    assert resolved.plan.perspectief == "Versie A"
    assert b.conflicts(dossier.id) == [] and b.list_dossiers()[0].conflict is False
    done = make_engine(b, client).run()
    assert done.ok and done.pushed == 1
    assert _central(client, dossier) == b.load(dossier.id)
    assert b.pending_changes() == []
    assert server.contract_violations == [] and server.server_errors == []


def test_choosing_the_local_value_sends_it(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    a, b, dossier = _two_vaults(client, new_vault)
    for vault, text in ((a, "Versie A"), (b, "Versie B")):
        d = vault.load(dossier.id)
        d.plan.probleemanalyse = text
        vault.save(d)
    assert make_engine(a, client).run().ok
    assert make_engine(b, client).run().conflicts == 1
    with pytest.raises(KeyError):
        resolve_conflict(b, dossier.id, "plan/bestaat_niet", "lokaal")
    resolve_conflict(b, dossier.id, "plan/probleemanalyse", "lokaal")
    assert make_engine(b, client).run().ok
    assert _central(client, dossier).plan.probleemanalyse == "Versie B"
    assert make_engine(a, client).run().pulled == 1
    assert a.load(dossier.id).plan.probleemanalyse == "Versie B"


def test_an_item_deleted_here_and_changed_there(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    a, b, dossier = _two_vaults(client, new_vault)
    in_a = a.load(dossier.id)
    goal = in_a.plan.doelen[0]
    goal.omschrijving = "Aangescherpt doel"
    a.save(in_a)
    in_b = b.load(dossier.id)
    in_b.plan.doelen = in_b.plan.doelen[1:]
    b.save(in_b)
    assert make_engine(a, client).run().ok
    assert make_engine(b, client).run().conflicts == 1
    [conflict] = b.conflicts(dossier.id)
    assert conflict.path == f"plan/doelen/[{goal.id}]"
    assert conflict.local_present is False and conflict.remote["omschrijving"] == "Aangescherpt doel"
    assert all(g.id != goal.id for g in b.load(dossier.id).plan.doelen)  # the local deletion stays
    resolve_conflict(b, dossier.id, conflict.path, "centraal")  # bring it back
    assert any(g.omschrijving == "Aangescherpt doel" for g in b.load(dossier.id).plan.doelen)
    assert make_engine(b, client).run().ok


def test_a_final_dossier_is_never_changed_by_a_merge(
    server: ZGWServer,
    client: ZGWClient,
    new_vault: Callable[[str], storage.Vault],
    finalised: tuple[Dossier, bytes],
) -> None:
    import forms

    a, b = new_vault("a"), new_vault("b")
    final, pdf = finalised
    draft = final.model_copy(deep=True)
    draft.definitief = None
    a.save(draft)
    assert make_engine(a, client).run().ok
    assert make_engine(b, client).run().pulled == 1
    # A edits the draft centrally; B finalises its (older) copy offline
    edited = a.load(final.id)
    edited.plan.perspectief = "Later aangepast"
    a.save(edited)
    assert make_engine(a, client).run().ok
    store_final(b, final, pdf)
    report = make_engine(b, client).run()
    assert report.conflicts == 1
    kept = b.load(final.id)
    assert kept == final and forms.verify(kept)  # the signed content is untouched
    [conflict] = b.conflicts(final.id)
    assert conflict.path == "plan/perspectief" and conflict.remote == "Later aangepast"
    with pytest.raises(InvalidChoice) as info:
        resolve_conflict(b, final.id, conflict.path, "centraal")
    assert "definitief" in info.value.melding
    resolve_conflict(b, final.id, conflict.path, "lokaal")
    assert make_engine(b, client).run().ok
    assert _central(client, final) == final


def test_a_pulled_change_is_stored_and_reported_for_an_open_window(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    """The engine does not ask which dossiers are open: it stores the central change and
    names the dossier (report and callback), so a window can apply it."""
    a, b, dossier = _two_vaults(client, new_vault)
    in_a = a.load(dossier.id)
    in_a.hulpvraag.tekst = "Centraal gewijzigd"
    a.save(in_a)
    assert make_engine(a, client).run().ok
    heard: list[UUID] = []
    report = make_engine(b, client, on_changed=heard.append).run()
    assert report.ok and report.pulled == 1
    assert report.changed == [dossier.id] and heard == [dossier.id]
    assert b.load(dossier.id).hulpvraag.tekst == "Centraal gewijzigd"
    # an idle run changes nothing and names nothing
    idle = make_engine(b, client, on_changed=heard.append).run()
    assert idle.ok and idle.changed == [] and heard == [dossier.id]


def test_a_merged_change_is_reported_and_a_save_meanwhile_is_merged_again(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    """A window saves while the run merges (between its read and its write): the vault
    refuses the run's write (revision check), the run reads again and merges again, so
    neither the window's save nor the central change is lost."""
    a, b, dossier = _two_vaults(client, new_vault)
    in_a = a.load(dossier.id)
    in_a.hulpvraag.tekst = "Centraal gewijzigd"
    a.save(in_a)
    assert make_engine(a, client).run().ok
    in_b = b.load(dossier.id)
    in_b.plan.perspectief = "Eerste bewerking in B"
    b.save(in_b)

    real_apply = b.apply_remote
    saves_meanwhile = []

    def window_saves_first(*args: Any, **kwargs: Any) -> None:
        if not saves_meanwhile:  # the window's autosave lands just before the run's write
            edited = b.load(dossier.id)
            edited.plan.doelen[0].resultaat = "Tweede bewerking, tijdens de sync"
            b.save(edited)
            saves_meanwhile.append(1)
        real_apply(*args, **kwargs)

    b.apply_remote = window_saves_first  # type: ignore[method-assign]
    heard: list[UUID] = []
    report = make_engine(b, client, on_changed=heard.append).run()
    assert report.ok and report.merged == 1 and report.stale_retries == 1 and report.pushed == 1
    assert report.changed == [dossier.id] and heard == [dossier.id]
    merged = b.load(dossier.id)
    assert merged.hulpvraag.tekst == "Centraal gewijzigd"
    assert merged.plan.perspectief == "Eerste bewerking in B"
    assert merged.plan.doelen[0].resultaat == "Tweede bewerking, tijdens de sync"
    # the save made during the run is still queued and reaches the municipality next run
    assert len(b.pending_changes()) == 1
    assert make_engine(b, client).run().pushed == 1
    assert _central(client, dossier) == b.load(dossier.id)


def test_a_pull_meets_a_save_meanwhile_and_leaves_it_to_the_push(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    """The pull stores central content only over the revision it read: a window's save in
    between is kept (nothing overwritten), and the next run merges the two."""
    a, b, dossier = _two_vaults(client, new_vault)
    in_a = a.load(dossier.id)
    in_a.hulpvraag.tekst = "Centraal gewijzigd"
    a.save(in_a)
    assert make_engine(a, client).run().ok

    real_apply = b.apply_remote

    def window_saves_first(*args: Any, **kwargs: Any) -> None:
        edited = b.load(dossier.id)
        edited.plan.perspectief = "In het venster, tijdens de sync"
        b.save(edited)
        b.apply_remote = real_apply  # type: ignore[method-assign]
        real_apply(*args, **kwargs)

    b.apply_remote = window_saves_first  # type: ignore[method-assign]
    report = make_engine(b, client).run()
    assert report.ok and report.pulled == 0 and report.changed == []
    assert b.load(dossier.id).plan.perspectief == "In het venster, tijdens de sync"
    assert b.load(dossier.id).hulpvraag.tekst != "Centraal gewijzigd"
    done = make_engine(b, client).run()
    assert done.ok and done.merged == 1 and done.pushed == 1 and done.changed == [dossier.id]
    merged = b.load(dossier.id)
    assert merged.hulpvraag.tekst == "Centraal gewijzigd" and merged.plan.perspectief == "In het venster, tijdens de sync"
    assert _central(client, dossier) == merged
