"""The zaaksysteem follows the household's trajectory (issue 13): a status per finalised
gesprek, every verslag its own document, and at the afsluiting a resultaat, then the
eindstatus. Idempotent on retries and across two laptops. A real vault, real HTTP on
127.0.0.1 against the ZGW test server, real PDFs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

import pytest

import forms
import storage
from forms.demo import demo_trajectory, sign_at_the_table
from forms.models import Afsluiting, DoelUitkomst, Dossier, GesprekSoort, PartnerGeinformeerd
from forms.verslag import build_pdf
from sync import ZGWClient
from sync.client import RemoteZaak
from sync.keys import verslag_identificatie
from tests.forms.kt_trajectory import NOW, TODAY, at_the_table, evaluate_goals, kernbeslissing, reassess
from tests.sync.conftest import make_client, make_engine, settings_for, store_final
from tests.zgw_server import Fault, ZGWServer

AFSLUITING_ON = TODAY + dt.timedelta(days=14)


def evaluatie(previous: Dossier) -> Dossier:
    """A complete evaluatie after ``previous``, finalised."""
    d = forms.start_gesprek(previous, GesprekSoort.EVALUATIE, TODAY)
    at_the_table(d)
    evaluate_goals(d)
    reassess(d)
    d.gesprek.volgende_evaluatie = TODAY + dt.timedelta(weeks=6)
    sign_at_the_table(d)
    return forms.finalise(d, now=NOW)


def afsluiting(previous: Dossier, resultaat: str = "zelfstandig_verder") -> Dossier:
    """A complete afsluiting after ``previous``, finalised."""
    d = forms.start_gesprek(previous, GesprekSoort.AFSLUITING, AFSLUITING_ON)
    at_the_table(d)
    evaluate_goals(d, DoelUitkomst.BEHAALD)
    reassess(d)
    kernbeslissing(d, "afsluiten_met_kinderen", beslissing="Het traject wordt afgesloten.")
    d.gesprek.afsluiting = Afsluiting(
        zelfstandig_verder=True,
        geinformeerd=[PartnerGeinformeerd(partner_id=p.id, datum=AFSLUITING_ON, hoe="telefonisch") for p in d.partners],
        resultaat=resultaat,
    )
    sign_at_the_table(d)
    return forms.finalise(d, now=NOW + dt.timedelta(days=14))


@cache
def trajectory() -> tuple[tuple[Dossier, bytes], ...]:
    """Intake, evaluatie, evaluatie, afsluiting of one household, finalised, with PDFs."""
    demo = demo_trajectory(TODAY)
    v1, v2 = demo.versions[0], demo.versions[1]
    v3 = evaluatie(v2)
    v4 = afsluiting(v3)
    return tuple((v, build_pdf(v)) for v in (v1, v2, v3, v4))


def the_zaak(client: ZGWClient) -> RemoteZaak:
    (zaak,) = client.list_my_zaken()
    return zaak


def statuses(client: ZGWClient, zaak: RemoteZaak) -> list[str]:
    """The zaak's statustypen in time order, by the settings' names."""
    s = client.settings
    names = {
        s.statustype_gestart: "gestart",
        s.statustype_ondertekend: "ondertekend",
        s.statustype_evaluatie: "evaluatie",
        s.statustype_afgesloten: "afgesloten",
    }
    return [names[st.statustype] for st in sorted(client.list_statussen(zaak.url), key=lambda st: st.datum)]


def verslag_titles(client: ZGWClient, zaak: RemoteZaak) -> dict[str, str]:
    linked = client.search_documents(link.informatieobject for link in client.list_zio(zaak.url))
    return {
        d.identificatie: client._send("GET", d.url, "read document", expect=(200,)).json()["titel"]
        for d in linked.values()
        if d.informatieobjecttype == client.settings.informatieobjecttype_verslag
    }


def clean(server: ZGWServer) -> None:
    assert server.contract_violations == [] and server.server_errors == []


def test_intake_evaluaties_and_afsluiting_give_statuses_verslagen_resultaat_and_closure(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault
) -> None:
    (v1, pdf1), (v2, pdf2), (v3, pdf3), (v4, pdf4) = trajectory()
    s = client.settings

    store_final(vault, v1, pdf1)
    report = make_engine(vault, client).run()
    assert report.ok and report.statuses_set == 2
    zaak = the_zaak(client)
    assert statuses(client, zaak) == ["gestart", "ondertekend"] and not zaak.closed
    assert verslag_titles(client, zaak) == {
        verslag_identificatie(v1.id, 1): f"Gespreksverslag intake {v1.gesprek.datum:%d-%m-%Y}"
    }

    for final, pdf in ((v2, pdf2), (v3, pdf3)):
        store_final(vault, final, pdf)
        report = make_engine(vault, client).run()
        assert report.ok and report.statuses_set == 1 and report.resultaten_set == 0
    zaak = the_zaak(client)
    assert statuses(client, zaak) == ["gestart", "ondertekend", "evaluatie", "evaluatie"] and not zaak.closed
    assert verslag_titles(client, zaak)[verslag_identificatie(v1.id, 3)] == f"Evaluatieverslag {TODAY:%d-%m-%Y}"

    store_final(vault, v4, pdf4)
    report = make_engine(vault, client).run()
    assert report.ok and (report.resultaten_set, report.statuses_set, report.zaken_closed) == (1, 1, 1)
    zaak = the_zaak(client)
    assert v4.definitief is not None
    assert zaak.closed and zaak.einddatum == f"{v4.definitief.op:%Y-%m-%d}"  # the eindstatus' date: when signed
    assert statuses(client, zaak) == ["gestart", "ondertekend", "evaluatie", "evaluatie", "afgesloten"]
    [resultaat] = server.requests("POST", r"/resultaten$")
    assert resultaat.status == 201
    raw = client._send("GET", zaak.url, "read zaak", expect=(200,)).json()  # the zaak as stored
    resultaat_url = raw["resultaat"]
    got = client._send("GET", resultaat_url, "read resultaat", expect=(200,)).json()
    assert got["resultaattype"] == s.resultaattypen["zelfstandig_verder"]
    titles = verslag_titles(client, zaak)
    assert titles == {
        verslag_identificatie(v1.id, 1): f"Gespreksverslag intake {v1.gesprek.datum:%d-%m-%Y}",
        verslag_identificatie(v1.id, 2): f"Evaluatieverslag {v2.gesprek.datum:%d-%m-%Y}",
        verslag_identificatie(v1.id, 3): f"Evaluatieverslag {TODAY:%d-%m-%Y}",
        verslag_identificatie(v1.id, 4): f"Afsluitverslag {AFSLUITING_ON:%d-%m-%Y}",
    }
    assert vault.get_sync_state(v1.id).zaak_closed and vault.pending_changes() == []

    # idle: the zaken page and one search, nothing set again
    idle = make_engine(vault, client).run()
    assert idle.ok and idle.requests == 2 and idle.statuses_set == 0
    clean(server)


def test_a_lost_answer_on_the_resultaat_and_the_eindstatus_sets_each_once(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault
) -> None:
    (v1, pdf1), (v2, pdf2), (v3, pdf3), (v4, pdf4) = trajectory()
    for final, pdf in ((v1, pdf1), (v2, pdf2), (v3, pdf3)):
        store_final(vault, final, pdf)
    assert make_engine(vault, client).run().ok
    store_final(vault, v4, pdf4)
    server.faults.add(Fault.answer_lost(method="POST", path=r"/resultaten$"))
    server.faults.add(Fault.answer_lost(method="POST", path=r"/statussen$"))
    report = make_engine(vault, client).run()
    assert report.ok and report.retries >= 2, report
    zaak = the_zaak(client)
    assert zaak.closed
    assert statuses(client, zaak) == ["gestart", "ondertekend", "evaluatie", "evaluatie", "afgesloten"]
    assert [r.status for r in server.requests("POST", r"/resultaten$")] == [201, 400]  # the retry: unique
    resultaten = list(client._list(f"{client.settings.zaken_root}/resultaten", {"zaak": zaak.url}, "resultaten"))
    assert len(resultaten) == 1
    clean(server)


def test_two_laptops_set_each_gesprek_status_once(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault]
) -> None:
    """Laptop A has the intake and the first evaluatie; laptop B pulls them, holds the next
    evaluatie and the afsluiting: the zaak gets one status per gesprek, whoever sent it."""
    (v1, pdf1), (v2, pdf2), (v3, pdf3), (v4, pdf4) = trajectory()
    a, b = new_vault("a"), new_vault("b")
    for final, pdf in ((v1, pdf1), (v2, pdf2)):
        store_final(a, final, pdf)
    assert make_engine(a, client).run().ok
    pulled = make_engine(b, client).run()
    assert pulled.ok and pulled.pulled == 1 and pulled.versions_pulled == 2
    store_final(b, v3, pdf3)
    assert make_engine(b, client).run().statuses_set == 1
    assert make_engine(a, client).run().pulled == 1  # A follows
    store_final(b, v4, pdf4)
    report = make_engine(b, client).run()
    assert report.ok and report.zaken_closed == 1
    zaak = the_zaak(client)
    assert statuses(client, zaak) == ["gestart", "ondertekend", "evaluatie", "evaluatie", "afgesloten"]
    # A pulls the closure; an idle run on either laptop sets nothing
    again = make_engine(a, client).run()
    assert again.ok and again.statuses_set == 0 and a.get_sync_state(v1.id).zaak_closed
    assert make_engine(b, client).run().statuses_set == 0
    assert len(server.requests("POST", r"/statussen$")) == 5
    clean(server)


def test_help_again_after_the_afsluiting_is_a_new_zaak_with_its_own_statuses(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault
) -> None:
    (v1, pdf1), (v2, pdf2), (v3, pdf3), (v4, pdf4) = trajectory()
    for final, pdf in ((v1, pdf1), (v2, pdf2), (v3, pdf3), (v4, pdf4)):
        store_final(vault, final, pdf)
    assert make_engine(vault, client).run().ok
    old = the_zaak(client)
    assert old.closed

    # the family needs help again: a new intake
    intake = forms.start_gesprek(vault.load(v1.id), GesprekSoort.INTAKE, dt.date.today())
    at_the_table(intake)
    intake.gesprek.volgende_evaluatie = dt.date.today() + dt.timedelta(weeks=6)
    sign_at_the_table(intake)
    vault.save(intake)
    report = make_engine(vault, client).run()
    assert report.ok and report.zaken_created == 1, report
    zaken = {z.url: z for z in client.list_my_zaken()}
    [new] = [z for z in zaken.values() if z.url != old.url]
    assert new.relevante_andere_zaken == (old.url,) and not new.closed
    assert statuses(client, new) == ["gestart"]  # nothing of the old trajectory
    assert zaken[old.url].closed and statuses(client, zaken[old.url])[-1] == "afgesloten"

    final = forms.finalise(vault.load(v1.id))
    store_final(vault, final, build_pdf(final))
    assert make_engine(vault, client).run().ok
    new = next(z for z in client.list_my_zaken() if z.url == new.url)
    assert statuses(client, new) == ["gestart", "ondertekend"] and not new.closed
    assert list(verslag_titles(client, new)) == [verslag_identificatie(v1.id, final.versie)]
    clean(server)


@pytest.mark.parametrize("resultaat", ["overgedragen"])
def test_the_resultaat_follows_the_afsluiting(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault, resultaat: str
) -> None:
    (v1, pdf1), (v2, pdf2), (v3, pdf3), _ = trajectory()
    closing = afsluiting(v3, resultaat)
    for final, pdf in ((v1, pdf1), (v2, pdf2), (v3, pdf3), (closing, build_pdf(closing))):
        store_final(vault, final, pdf)
    assert make_engine(vault, client).run().ok
    zaak = the_zaak(client)
    raw = client._send("GET", zaak.url, "read zaak", expect=(200,)).json()
    got = client._send("GET", raw["resultaat"], "read resultaat", expect=(200,)).json()
    assert got["resultaattype"] == client.settings.resultaattypen[resultaat]
    clean(server)


def test_an_afsluiting_whose_resultaat_the_settings_lack_waits_and_the_zaak_stays_open(
    server: ZGWServer, new_vault: Callable[[str], storage.Vault]
) -> None:
    """A resultaat key the municipality's settings do not name: no resultaat, no
    eindstatus; the dossier waits with a Dutch reason until the settings have it."""
    (v1, pdf1), (v2, pdf2), (v3, pdf3), (v4, pdf4) = trajectory()
    partial = {"overgedragen": server.catalog.resultaattype_overgedragen}
    vault = new_vault("zonder")
    with make_client(settings_for(server, resultaattypen=partial)) as zgw:
        for final, pdf in ((v1, pdf1), (v2, pdf2), (v3, pdf3), (v4, pdf4)):
            store_final(vault, final, pdf)
        report = make_engine(vault, zgw).run()
        assert not report.ok and report.skipped == 1 and report.zaken_closed == 0
        assert "resultaat" in report.melding and "instellingen" in report.melding
        assert not the_zaak(zgw).closed and server.requests("POST", r"/resultaten$") == []
        assert set(vault.sync_waiting()) == {v1.id}
    with make_client(settings_for(server)) as zgw:  # the beheerder's new file names it
        report = make_engine(vault, zgw).run()
        assert report.ok and report.zaken_closed == 1 and the_zaak(zgw).closed
    clean(server)
