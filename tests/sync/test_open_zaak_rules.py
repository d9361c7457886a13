"""Open Zaak 1.30.0's rules that the sync met on a real server (issue 10), each enforced by
the test server, and what the sync does about them.

The observations are in ``../shared/zgw/README.md`` ("More observed behaviour"): an
eindstatus needs a resultaat; a new version must state its ``bestandsomvang``; scopes per
client (a second status needs ``zaken.statussen.toevoegen``); a closed zaak refuses
changes (``ZaakClosed``; a status needs ``zaken.heropenen``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import forms
import storage
from forms.demo import demo_dossier, sign_at_the_table
from forms.models import Dossier
from forms.verslag import build_pdf
from sync import ZGWClient
from sync.errors import RequestRejected
from sync.keys import canonical_bytes, dossier_document_identificatie, verslag_identificatie, zaak_identificatie
from tests.sync.conftest import make_client, make_engine, settings_for, store_final
from tests.zgw_server import ZGWServer
from tests.zgw_server.scopes import DOCUMENTED_SCOPES

RSIN = "517439943"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}


def h(server: ZGWServer, client_id: str = "keukentafel", crs: bool = False) -> dict[str, str]:
    return {**server.auth_headers(client_id), **(CRS if crs else {})}


def new_zaak(server: ZGWServer, http: httpx.Client) -> dict[str, Any]:
    body = {"zaaktype": server.catalog.zaaktype, "bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "startdatum": "2026-01-05"}
    r = http.post(f"{server.zaken_url}/zaken", headers=h(server, crs=True), json=body)
    assert r.status_code == 201, r.text
    return r.json()


def status(server: ZGWServer, http: httpx.Client, zaak: dict[str, Any], statustype: str, client_id: str = "keukentafel", when: str = "2026-01-05T10:00:00Z") -> httpx.Response:
    body = {"zaak": zaak["url"], "statustype": statustype, "datumStatusGezet": when}
    return http.post(f"{server.zaken_url}/statussen", headers=h(server, client_id), json=body)


def new_document(server: ZGWServer, http: httpx.Client, content: bytes = b"v1") -> dict[str, Any]:
    body = {
        "bronorganisatie": RSIN,
        "creatiedatum": "2026-01-05",
        "titel": "Gespreksdossier",
        "auteur": "Wijkcoach",
        "taal": "nld",
        "informatieobjecttype": server.catalog.informatieobjecttype_dossier,
        "inhoud": base64.b64encode(content).decode(),
        "bestandsnaam": "dossier.json",
        "formaat": "application/json",
        "indicatieGebruiksrecht": False,
    }
    r = http.post(f"{server.documenten_url}/enkelvoudiginformatieobjecten", headers=h(server), json=body)
    assert r.status_code == 201, r.text
    return r.json()


def close(server: ZGWServer, http: httpx.Client, zaak: dict[str, Any]) -> None:
    resultaat = {"zaak": zaak["url"], "resultaattype": server.catalog.resultaattype_zelfstandig_verder}
    assert http.post(f"{server.zaken_url}/resultaten", headers=h(server), json=resultaat).status_code == 201
    assert status(server, http, zaak, server.catalog.statustype_afgesloten, when="2026-02-01T10:00:00Z").status_code == 201


@pytest.fixture
def http() -> Any:
    with httpx.Client(timeout=5.0) as c:
        yield c


# -- the test server's rules (raw HTTP) -----------------------------------------------------------


def test_an_eindstatus_needs_a_resultaat(server: ZGWServer, http: httpx.Client) -> None:
    zaak = new_zaak(server, http)
    assert status(server, http, zaak, server.catalog.statustype_gestart).status_code == 201
    refused = status(server, http, zaak, server.catalog.statustype_afgesloten, when="2026-01-06T10:00:00Z")
    assert refused.status_code == 400
    assert refused.json()["invalidParams"] == [
        {"name": "nonFieldErrors", "code": "resultaat-does-not-exist", "reason": "Zaak has no resultaat."}
    ]
    assert http.get(zaak["url"], headers=h(server, crs=True)).json()["einddatum"] is None
    # an ordinary status (verslag ondertekend) leaves the zaak open
    assert status(server, http, zaak, server.catalog.statustype_ondertekend, when="2026-01-06T11:00:00Z").status_code == 201
    assert http.get(zaak["url"], headers=h(server, crs=True)).json()["einddatum"] is None
    close(server, http, zaak)
    closed = http.get(zaak["url"], headers=h(server, crs=True)).json()
    assert closed["einddatum"] == "2026-02-01" and closed["resultaat"].startswith(f"{server.zaken_url}/resultaten/")
    assert server.contract_violations == []


def test_a_resultaat_is_one_per_zaak_of_its_zaaktype(server: ZGWServer, http: httpx.Client) -> None:
    zaak = new_zaak(server, http)
    body = {"zaak": zaak["url"], "resultaattype": server.catalog.resultaattype_overgedragen}
    first = http.post(f"{server.zaken_url}/resultaten", headers=h(server), json=body)
    assert first.status_code == 201 and first.json()["resultaattype"] == server.catalog.resultaattype_overgedragen
    again = http.post(f"{server.zaken_url}/resultaten", headers=h(server), json=body)
    assert again.status_code == 400 and again.json()["invalidParams"][0]["code"] == "unique"
    unknown = {**body, "resultaattype": server.catalog.statustype_gestart}
    assert http.post(f"{server.zaken_url}/resultaten", headers=h(server), json=unknown).status_code == 400
    listed = http.get(f"{server.zaken_url}/resultaten", headers=h(server), params={"zaak": zaak["url"]}).json()
    assert [r["url"] for r in listed["results"]] == [first.json()["url"]]
    assert server.contract_violations == []


def test_a_resultaattype_must_exist_and_belong_to_the_zaaktype(server: ZGWServer, http: httpx.Client) -> None:
    """Open Zaak 1.30.0 (issue 13 run): an unknown resultaattype URL is 400
    ``does_not_exist`` ("Bad URL … could not be fetched"); one of another zaaktype is 400
    ``zaaktype-mismatch`` ("De referentie hoort niet bij het zaaktype van de zaak.")."""
    zaak = new_zaak(server, http)
    unknown = server.catalog.resultaattype_overgedragen.rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000"
    r = http.post(f"{server.zaken_url}/resultaten", headers=h(server), json={"zaak": zaak["url"], "resultaattype": unknown})
    assert r.status_code == 400
    [param] = r.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("resultaattype", "does_not_exist")
    assert param["reason"].startswith(f'Bad URL "{unknown}" - object could not be fetched.')
    other = {"zaak": zaak["url"], "resultaattype": server.catalog.resultaattype_ander_zaaktype}
    r = http.post(f"{server.zaken_url}/resultaten", headers=h(server), json=other)
    assert r.status_code == 400 and r.json()["invalidParams"] == [
        {"name": "nonFieldErrors", "code": "zaaktype-mismatch", "reason": "De referentie hoort niet bij het zaaktype van de zaak."}
    ]
    assert http.get(zaak["url"], headers=h(server, crs=True)).json()["resultaat"] is None
    assert server.contract_violations == []


def test_closing_sets_the_archive_dates_from_the_resultaattype(server: ZGWServer, http: httpx.Client) -> None:
    """Open Zaak 1.30.0: the eindstatus sets ``einddatum`` (its own date), and from the
    resultaattype ``archiefnominatie`` and ``archiefactiedatum`` = einddatum + the
    archiefactietermijn (P5Y, brondatum afgehandeld)."""
    zaak = new_zaak(server, http)
    assert status(server, http, zaak, server.catalog.statustype_gestart).status_code == 201
    close(server, http, zaak)
    closed = http.get(zaak["url"], headers=h(server, crs=True)).json()
    assert (closed["einddatum"], closed["archiefnominatie"], closed["archiefactiedatum"]) == (
        "2026-02-01",
        "vernietigen",
        "2031-02-01",
    )
    assert closed["archiefstatus"] == "nog_te_archiveren"
    assert server.contract_violations == []


def test_an_eindstatus_before_the_latest_status_closes_the_zaak_without_becoming_current(
    server: ZGWServer, http: httpx.Client
) -> None:
    """Open Zaak 1.30.0: an eindstatus dated before the zaak's latest status is accepted
    and sets ``einddatum``; the zaak's ``status`` stays the latest one by date."""
    zaak = new_zaak(server, http)
    assert status(server, http, zaak, server.catalog.statustype_gestart, when="2026-01-05T10:00:00Z").status_code == 201
    later = status(server, http, zaak, server.catalog.statustype_evaluatie, when="2026-03-01T10:00:00Z")
    assert later.status_code == 201
    resultaat = {"zaak": zaak["url"], "resultaattype": server.catalog.resultaattype_opgeschaald}
    assert http.post(f"{server.zaken_url}/resultaten", headers=h(server), json=resultaat).status_code == 201
    assert status(server, http, zaak, server.catalog.statustype_afgesloten, when="2026-02-01T10:00:00Z").status_code == 201
    got = http.get(zaak["url"], headers=h(server, crs=True)).json()
    assert got["einddatum"] == "2026-02-01" and got["status"] == later.json()["url"]
    assert server.contract_violations == []


def test_a_closed_zaak_validates_before_it_refuses(server: ZGWServer, http: httpx.Client) -> None:
    """Open Zaak 1.30.0 answers a request on a closed zaak with its validation error (400)
    when there is one -- a second resultaat, a link that exists, a status at a moment
    taken or in the future -- and only a valid one with 403."""
    zaak = new_zaak(server, http)
    doc = new_document(server, http)
    link = {"zaak": zaak["url"], "informatieobject": doc["url"]}
    assert http.post(f"{server.zaken_url}/zaakinformatieobjecten", headers=h(server), json=link).status_code == 201
    assert status(server, http, zaak, server.catalog.statustype_gestart).status_code == 201
    close(server, http, zaak)

    def code(r: httpx.Response) -> tuple[int, str]:
        body = r.json()
        return r.status_code, (body["invalidParams"][0]["code"] if r.status_code == 400 else body["type"].rstrip("/").rsplit("/", 1)[-1])

    resultaat = {"zaak": zaak["url"], "resultaattype": server.catalog.resultaattype_overgedragen}
    assert code(http.post(f"{server.zaken_url}/resultaten", headers=h(server), json=resultaat)) == (400, "unique")
    assert code(http.post(f"{server.zaken_url}/zaakinformatieobjecten", headers=h(server), json=link)) == (400, "unique")
    same_moment = status(server, http, zaak, server.catalog.statustype_evaluatie, when="2026-02-01T10:00:00Z")
    assert code(same_moment) == (400, "unique")
    future = (dt.datetime.fromtimestamp(server.now(), dt.UTC) + dt.timedelta(days=1)).isoformat()
    assert code(status(server, http, zaak, server.catalog.statustype_evaluatie, when=future)) == (400, "date-in-future")
    # valid requests meet the closed zaak
    other = new_document(server, http)
    new_link = {"zaak": zaak["url"], "informatieobject": other["url"]}
    assert code(http.post(f"{server.zaken_url}/zaakinformatieobjecten", headers=h(server), json=new_link)) == (
        403,
        "ZaakClosed",
    )
    refused = status(server, http, zaak, server.catalog.statustype_evaluatie, when="2026-02-02T10:00:00Z")
    assert refused.status_code == 403 and "zaken.heropenen" in refused.json()["detail"]
    assert server.contract_violations == []


def test_a_new_version_must_state_its_size(server: ZGWServer, http: httpx.Client) -> None:
    doc = new_document(server, http, b"v1")
    lock = http.post(f"{doc['url']}/lock", headers=h(server)).json()["lock"]
    longer = base64.b64encode(b"version two").decode()
    without = http.patch(doc["url"], headers=h(server), json={"lock": lock, "inhoud": longer})
    assert without.status_code == 400
    assert without.json()["invalidParams"][0]["code"] == "file-size"
    assert "bestandsomvang" in without.json()["invalidParams"][0]["reason"]
    wrong = http.patch(doc["url"], headers=h(server), json={"lock": lock, "inhoud": longer, "bestandsomvang": 2})
    assert wrong.status_code == 400 and wrong.json()["invalidParams"][0]["code"] == "file-size"
    # the same length as before needs no size (what Open Zaak compares with)
    same = http.patch(doc["url"], headers=h(server), json={"lock": lock, "inhoud": base64.b64encode(b"v2").decode()})
    assert same.status_code == 200 and same.json()["versie"] == 2
    right = http.patch(doc["url"], headers=h(server), json={"lock": lock, "inhoud": longer, "bestandsomvang": 11})
    assert right.status_code == 200 and right.json()["bestandsomvang"] == 11
    assert server.contract_violations == []


def test_a_create_that_states_a_wrong_size_is_refused(server: ZGWServer, http: httpx.Client) -> None:
    """Open Zaak 1.30.0: a create is checked as well when it has a bestandsomvang."""
    body = {
        "bronorganisatie": RSIN, "creatiedatum": "2026-01-05", "titel": "Gespreksdossier", "auteur": "Wijkcoach",
        "taal": "nld", "informatieobjecttype": server.catalog.informatieobjecttype_dossier,
        "inhoud": base64.b64encode(b"v1").decode(), "bestandsnaam": "dossier.json", "formaat": "application/json",
    }
    url = f"{server.documenten_url}/enkelvoudiginformatieobjecten"
    wrong = http.post(url, headers=h(server), json={**body, "bestandsomvang": 99})
    assert wrong.status_code == 400 and wrong.json()["invalidParams"][0]["code"] == "file-size"
    assert wrong.json()["detail"] == "Ongeldige invoer."
    assert http.post(url, headers=h(server), json={**body, "bestandsomvang": 2}).status_code == 201
    assert http.post(url, headers=h(server), json=body).status_code == 201  # without a size: accepted


def test_scopes_per_client(http: httpx.Client) -> None:
    secret = "een-geheim-van-de-test-0123456789"
    clients = {"keukentafel": "keukentafel-test-secret-0123456789abcdef", "alleen-aanmaken": secret, "zonder-lock": secret}
    scopes = {
        "keukentafel": DOCUMENTED_SCOPES,
        "alleen-aanmaken": frozenset({"zaken.lezen", "zaken.aanmaken"}),
        "zonder-lock": DOCUMENTED_SCOPES - {"documenten.lock"},
    }
    with ZGWServer(clients=clients, scopes=scopes) as server:
        zaak = new_zaak(server, http)
        assert status(server, http, zaak, server.catalog.statustype_gestart, "alleen-aanmaken").status_code == 201
        second = status(server, http, zaak, server.catalog.statustype_ondertekend, "alleen-aanmaken", "2026-01-06T10:00:00Z")
        assert second.status_code == 403
        assert second.json()["detail"] == "Met de 'zaken.aanmaken' scope mag je slechts 1 status zetten"
        # with zaken.statussen.toevoegen (the documented scopes) the second one is accepted
        assert status(server, http, zaak, server.catalog.statustype_ondertekend, when="2026-01-06T10:00:00Z").status_code == 201
        # the spec's security requirement per operation
        rol = {"zaak": zaak["url"], "betrokkeneType": "medewerker", "roltype": server.catalog.roltype_behandelaar,
               "betrokkeneIdentificatie": {"identificatie": "wk-1"}}
        refused = http.post(f"{server.zaken_url}/rollen", headers=h(server, "alleen-aanmaken"), json=rol)
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
        assert refused.json()["detail"] == "Je hebt geen toestemming om deze actie uit te voeren."
        doc = new_document(server, http)
        assert http.post(f"{doc['url']}/lock", headers=h(server, "zonder-lock")).status_code == 403
        lock = http.post(f"{doc['url']}/lock", headers=h(server)).json()["lock"]
        # unlock with a wrong lock id needs documenten.geforceerd-unlock
        wrong = http.post(f"{doc['url']}/unlock", headers=h(server), json={"lock": "fout"})
        assert wrong.status_code == 400 and wrong.json()["invalidParams"][0]["code"] == "incorrect-lock-id"
        server.config.scopes["keukentafel"] = DOCUMENTED_SCOPES | {"documenten.geforceerd-unlock"}
        assert http.post(f"{doc['url']}/unlock", headers=h(server), json={"lock": "fout"}).status_code == 204
        assert lock
        # zaken.verwijderen was never granted
        assert http.delete(zaak["url"], headers=h(server)).status_code == 403
        assert server.contract_violations == []


def test_a_closed_zaak_refuses_changes(http: httpx.Client) -> None:
    secret = "een-geheim-van-de-test-0123456789"
    clients = {"keukentafel": "keukentafel-test-secret-0123456789abcdef", "heropenen": secret}
    scopes = {"keukentafel": DOCUMENTED_SCOPES, "heropenen": DOCUMENTED_SCOPES | {"zaken.heropenen"}}
    with ZGWServer(clients=clients, scopes=scopes) as server:
        zaak = new_zaak(server, http)
        doc = new_document(server, http)
        assert status(server, http, zaak, server.catalog.statustype_gestart).status_code == 201
        close(server, http, zaak)
        link = http.post(
            f"{server.zaken_url}/zaakinformatieobjecten", headers=h(server), json={"zaak": zaak["url"], "informatieobject": doc["url"]}
        )
        assert link.status_code == 403
        assert link.json()["type"].endswith("/ZaakClosed/")
        assert link.json()["detail"] == "Je mag geen gegevens aanpassen van een gesloten zaak."
        again = status(server, http, zaak, server.catalog.statustype_gestart, when="2026-03-01T10:00:00Z")
        assert again.status_code == 403
        assert "zaken.heropenen" in again.json()["detail"]
        rol = {"zaak": zaak["url"], "betrokkeneType": "medewerker", "roltype": server.catalog.roltype_behandelaar,
               "betrokkeneIdentificatie": {"identificatie": "wk-1"}}
        assert http.post(f"{server.zaken_url}/rollen", headers=h(server), json=rol).status_code == 403
        # the zaak itself answers PermissionDenied with its own message
        patched = http.patch(zaak["url"], headers=h(server, crs=True), json={"toelichting": "x"})
        assert patched.status_code == 403 and patched.json()["type"].endswith("/PermissionDenied/")
        assert patched.json()["detail"] == "Modifying a closed case with current scope is forbidden"
        # a document linked to the closed zaak can still get a new version
        lock = http.post(f"{doc['url']}/lock", headers=h(server)).json()["lock"]
        v2 = {"lock": lock, "inhoud": base64.b64encode(b"v2").decode(), "bestandsomvang": 2}
        assert http.patch(doc["url"], headers=h(server), json=v2).status_code == 200
        # only a client with zaken.heropenen reopens it
        reopened = status(server, http, zaak, server.catalog.statustype_gestart, "heropenen", "2026-03-01T10:00:00Z")
        assert reopened.status_code == 201
        assert http.get(zaak["url"], headers=h(server, crs=True)).json()["einddatum"] is None
        assert server.contract_violations == []


# -- what the sync does about them ----------------------------------------------------------------


def _zaak_raw(client: ZGWClient, url: str) -> dict[str, Any]:
    return client._json(client._send("GET", url, "test"), "test")


def test_an_edit_that_changes_the_length_reaches_the_zaaksysteem(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault
) -> None:
    dossier = demo_dossier()
    vault.save(dossier)
    assert make_engine(vault, client).run().ok
    edited = vault.load(dossier.id)
    edited.plan.perspectief = "Een veel langere tekst dan eerst, zodat de lengte van de JSON verandert."
    vault.save(edited)

    report = make_engine(vault, client).run()

    assert report.ok, report
    assert report.versions_created == 1
    doc = client.search_documents([vault.get_sync_state(dossier.id).document_url or ""])
    (remote,) = doc.values()
    assert client.download(remote.url) == canonical_bytes(vault.load(dossier.id))
    assert [r for r in server.requests() if r.status and r.status >= 400] == []


def test_a_signed_verslag_is_an_ordinary_status_and_the_zaak_stays_open(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault, finalised: tuple[Dossier, bytes]
) -> None:
    final, pdf = finalised
    store_final(vault, final, pdf)
    assert make_engine(vault, client).run().ok
    (zaak,) = client.list_my_zaken()
    assert not zaak.closed
    current = [st.statustype for st in client.list_statussen(zaak.url) if st.laatst_gezet]
    assert current == [client.settings.statustype_ondertekend]
    assert not [r for r in server.requests("POST", r"/resultaten$")]


def test_closing_takes_a_resultaat_then_the_eindstatus(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault
) -> None:
    """The building blocks for the closure (issue 13); no sync path closes a zaak yet."""
    dossier = demo_dossier()
    vault.save(dossier)
    assert make_engine(vault, client).run().ok
    (zaak,) = client.list_my_zaken()
    s = client.settings
    when = dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)
    with pytest.raises(RequestRejected) as info:
        client.create_status(zaak.url, s.statustype_afgesloten, when)
    assert info.value.has_code("resultaat-does-not-exist")
    assert "statustype_ondertekend" in info.value.melding and "zaaktype, documenttypen" not in info.value.melding
    client.close_zaak(zaak.url, s.resultaattypen["zelfstandig_verder"], when)
    assert client.list_my_zaken()[0].closed


def test_one_refusal_skips_one_dossier_and_it_waits_without_requests(
    client: ZGWClient, new_vault: Callable[[str], storage.Vault], finalised: tuple[Dossier, bytes]
) -> None:
    server_scopes = {"keukentafel": DOCUMENTED_SCOPES - {"zaken.statussen.toevoegen"}}
    with ZGWServer(scopes=server_scopes) as server, make_client(settings_for(server)) as zgw:
        vault = new_vault("wacht")
        final, pdf = finalised
        store_final(vault, final, pdf)  # needs a second status: refused with these scopes
        others = [demo_dossier() for _ in range(3)]
        for other in others:
            vault.save(other)

        report = make_engine(vault, zgw).run()

        assert not report.ok and report.kind == "rejected"
        assert (report.pushed, report.skipped) == (3, 1)
        assert "‘zaken.statussen.toevoegen’" in report.melding
        assert "client-id" not in report.melding and "geheim" not in report.melding
        assert {c.dossier_id for c in vault.pending_changes()} == {final.id}
        assert set(vault.sync_waiting()) == {final.id}
        assert "zaken.statussen.toevoegen" in vault.sync_waiting()[final.id]
        assert vault.sync_summary().waiting == 1

        # an idle run does not try it again: the zaken page and one search
        idle = make_engine(vault, zgw).run()
        assert idle.ok and idle.waiting == 1 and idle.requests == 2

        # the beheerder adds the scope; "Nu synchroniseren" tries the waiting dossier again
        server.config.scopes["keukentafel"] = DOCUMENTED_SCOPES
        assert make_engine(vault, zgw).run().waiting == 1
        retried = make_engine(vault, zgw, retry_parked=True).run()
        assert retried.ok and retried.pushed == 1 and retried.waiting == 0
        assert vault.pending_changes() == [] and vault.sync_waiting() == {}
        assert server.contract_violations == []


def test_a_changed_dossier_is_tried_again(
    client: ZGWClient, new_vault: Callable[[str], storage.Vault], finalised: tuple[Dossier, bytes]
) -> None:
    with ZGWServer(scopes={"keukentafel": DOCUMENTED_SCOPES - {"zaken.statussen.toevoegen"}}) as server, make_client(
        settings_for(server)
    ) as zgw:
        vault = new_vault("wijzig")
        final, pdf = finalised
        store_final(vault, final, pdf)
        assert make_engine(vault, zgw).run().skipped == 1
        server.config.scopes["keukentafel"] = DOCUMENTED_SCOPES
        nxt = forms.new_version(vault.load(final.id))
        nxt.plan.perspectief = "Verder na de ondertekening"
        vault.save(nxt)  # new content: no longer parked
        report = make_engine(vault, zgw).run()
        assert report.ok and report.pushed == 1 and vault.sync_waiting() == {}


def _closed_for_the_sync(client: ZGWClient, zaak_url: str) -> None:
    s = client.settings
    client.close_zaak(zaak_url, s.resultaattypen["overgedragen"], dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC))


@pytest.mark.parametrize("seen_closed", [True, False], ids=["closure-seen-by-a-pull", "closure-found-on-push"])
def test_help_again_after_closure_is_a_new_zaak_linked_to_the_old_one(
    server: ZGWServer,
    client: ZGWClient,
    new_vault: Callable[[str], storage.Vault],
    finalised: tuple[Dossier, bytes],
    seen_closed: bool,
) -> None:
    vault = new_vault("eerste")
    final, pdf = finalised
    store_final(vault, final, pdf)
    assert make_engine(vault, client).run().ok
    (old,) = client.list_my_zaken()
    _closed_for_the_sync(client, old.url)
    if seen_closed:
        assert make_engine(vault, client).run().ok  # the pull notes the closure
        assert vault.get_sync_state(final.id).zaak_closed
    old_links = sorted(client.list_my_zaken()[0].zaakinformatieobjecten)

    # the household needs help again: a new version, signed again
    nxt = forms.new_version(vault.load(final.id))
    nxt.plan.perspectief = "Opnieuw hulp nodig"
    sign_at_the_table(nxt)  # signatures belong to the version that was signed
    vault.save(nxt)
    again = forms.finalise(nxt, now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))
    store_final(vault, again, build_pdf(again))
    server.reset_logs()

    report = make_engine(vault, client).run()

    assert report.ok, report
    assert report.zaken_created == 1 and vault.pending_changes() == []
    refused = [r for r in server.requests() if r.status is not None and r.status >= 400]
    if seen_closed:
        assert refused == []  # no request to the closed zaak at all
    else:
        assert [(r.method, r.status) for r in refused] == [("POST", 403)]  # the verslag's link: ZaakClosed
    zaken = {z.identificatie: z for z in client.list_my_zaken()}
    assert set(zaken) == {zaak_identificatie(final.id), zaak_identificatie(final.id) + "-2"}
    new = zaken[zaak_identificatie(final.id) + "-2"]
    assert not new.closed and new.relevante_andere_zaken == (old.url,)
    assert _zaak_raw(client, new.url)["relevanteAndereZaken"] == [{"url": old.url, "aardRelatie": "vervolg"}]
    # the old zaak is as it was closed; the new one has the dossier and the new verslag
    assert zaken[zaak_identificatie(final.id)].closed
    assert sorted(zaken[zaak_identificatie(final.id)].zaakinformatieobjecten) == old_links
    linked = client.search_documents(link.informatieobject for link in client.list_zio(new.url))
    assert sorted(d.identificatie for d in linked.values()) == sorted(
        [dossier_document_identificatie(final.id), verslag_identificatie(final.id, again.versie)]
    )
    state = vault.get_sync_state(final.id)
    assert state.zaak_url == new.url and state.vorige_zaken == (old.url,) and not state.zaak_closed
    # every document is linked to a zaak: nothing left behind
    all_linked = {link.informatieobject for z in zaken.values() for link in client.list_zio(z.url)}
    assert {d.url for d in client.list_documents()} == all_linked
    new_statussen = client.list_statussen(new.url)
    assert [st.statustype for st in new_statussen if st.laatst_gezet] == [client.settings.statustype_ondertekend]
    # the new zaak's history starts after the old one closed, not when the dossier began
    assert min(st.datum for st in new_statussen) > "2026-02-01T10"

    # idle: still the zaken page and one search
    idle = make_engine(vault, client).run()
    assert idle.ok and idle.requests == 2

    # a second laptop gets the dossier under the new zaak, with both verslagen
    second = new_vault("tweede")
    pulled = make_engine(second, client).run()
    assert pulled.ok and pulled.pulled == 1
    assert second.get_sync_state(final.id).zaak_url == new.url
    versions = {v.versie: v for v in second.list_versions(final.id)}
    assert set(versions) == {final.versie, again.versie}
    for versie, mine in ((final.versie, pdf), (again.versie, None)):
        theirs = second.load_version(final.id, versie).pdf
        expected = mine if mine is not None else vault.load_version(final.id, versie).pdf
        assert theirs is not None and hashlib.sha256(theirs).digest() == hashlib.sha256(expected or b"").digest()
    assert make_engine(second, client).run().requests == 2
    assert server.contract_violations == [] and server.server_errors == []


def test_a_status_is_unique_per_moment_and_never_in_the_future(server: ZGWServer, http: httpx.Client) -> None:
    """Open Zaak 1.30.0: the same zaak and datumStatusGezet twice is 400 ``unique`` (not a
    second status); a time in the future is 400 ``date-in-future``."""
    zaak = new_zaak(server, http)
    assert status(server, http, zaak, server.catalog.statustype_gestart).status_code == 201
    twice = status(server, http, zaak, server.catalog.statustype_ondertekend)
    assert twice.status_code == 400 and twice.json()["invalidParams"][0]["code"] == "unique"
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    future = status(server, http, zaak, server.catalog.statustype_ondertekend, when=tomorrow)
    assert future.status_code == 400 and future.json()["invalidParams"][0]["code"] == "date-in-future"
    listed = http.get(f"{server.zaken_url}/statussen", headers=h(server), params={"zaak": zaak["url"]}).json()
    assert listed["count"] == 1
    assert server.contract_violations == []


def test_the_eindstatus_checks_indicatie_gebruiksrecht_before_the_resultaat(server: ZGWServer, http: httpx.Client) -> None:
    zaak = new_zaak(server, http)
    doc = new_document(server, http)
    lock = http.post(f"{doc['url']}/lock", headers=h(server)).json()["lock"]
    assert http.patch(doc["url"], headers=h(server), json={"lock": lock, "indicatieGebruiksrecht": None}).status_code == 200
    http.post(f"{doc['url']}/unlock", headers=h(server), json={"lock": lock})
    link = {"zaak": zaak["url"], "informatieobject": doc["url"]}
    assert http.post(f"{server.zaken_url}/zaakinformatieobjecten", headers=h(server), json=link).status_code == 201
    refused = status(server, http, zaak, server.catalog.statustype_afgesloten)
    assert refused.json()["invalidParams"][0]["code"] == "indicatiegebruiksrecht-unset"


def test_a_status_processed_twice_is_not_an_error_for_the_sync(
    server: ZGWServer, client: ZGWClient, vault: storage.Vault
) -> None:
    """Open Zaak refuses the duplicate (400 unique): the sync takes it as set."""
    from tests.zgw_server import Fault

    dossier = demo_dossier()
    vault.save(dossier)
    server.faults.add(Fault.duplicate(method="POST", path=r"/statussen$"))
    report = make_engine(vault, client).run()
    assert report.ok, report
    assert vault.pending_changes() == [] and vault.sync_waiting() == {}
    (zaak,) = client.list_my_zaken()
    assert [st.statustype for st in client.list_statussen(zaak.url)] == [client.settings.statustype_gestart]


def test_a_second_laptop_follows_the_dossier_to_its_new_zaak(
    server: ZGWServer, client: ZGWClient, new_vault: Callable[[str], storage.Vault], finalised: tuple[Dossier, bytes]
) -> None:
    """Seen on the real server: laptop B held the dossier under the old zaak; after laptop A
    gave it a new zaak (help again after closure), B must move along, not pay for it on
    every idle run."""
    a, b = new_vault("a"), new_vault("b")
    final, pdf = finalised
    store_final(a, final, pdf)
    assert make_engine(a, client).run().ok
    assert make_engine(b, client).run().pulled == 1
    for _round in range(2):  # closed twice: zaak 1 -> 2 -> 3
        _closed_for_the_sync(client, a.get_sync_state(final.id).zaak_url or "")
        nxt = a.load(final.id)
        nxt = forms.new_version(nxt) if nxt.definitief is not None else nxt
        nxt.plan.perspectief = f"Opnieuw hulp nodig ({_round})"
        sign_at_the_table(nxt)
        a.save(nxt)
        signed = forms.finalise(nxt, now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1 + _round))
        store_final(a, signed, build_pdf(signed))
        assert make_engine(a, client).run().ok
    report = make_engine(b, client).run()
    assert report.ok and report.pulled == 1
    assert b.get_sync_state(final.id).zaak_url == a.get_sync_state(final.id).zaak_url
    assert len(b.get_sync_state(final.id).vorige_zaken) == 2
    assert {v.versie for v in b.list_versions(final.id)} == {v.versie for v in a.list_versions(final.id)}
    assert make_engine(b, client).run().requests == 2
    assert make_engine(a, client).run().requests == 2


def test_lists_come_newest_first_as_open_zaak_lists_them(server: ZGWServer, http: httpx.Client) -> None:
    """Open Zaak 1.30.0 lists statussen by ``-datum_status_gezet, -pk`` and
    zaakinformatieobjecten, rollen and resultaten by ``-pk`` (its viewsets; seen on the
    real server: the latest status first). The sync must not read meaning into the order."""
    zaak = new_zaak(server, http)
    cat = server.catalog
    for statustype, when in ((cat.statustype_gestart, "2026-01-05T10:00:00Z"),
                             (cat.statustype_evaluatie, "2026-01-07T10:00:00Z"),  # set first, dated latest
                             (cat.statustype_ondertekend, "2026-01-06T10:00:00Z")):
        assert status(server, http, zaak, statustype, when=when).status_code == 201
    listed = http.get(f"{server.zaken_url}/statussen", params={"zaak": zaak["url"]}, headers=h(server)).json()["results"]
    assert [s["statustype"] for s in listed] == [cat.statustype_evaluatie, cat.statustype_ondertekend, cat.statustype_gestart]
    documents = [new_document(server, http, content) for content in (b"een", b"twee")]
    for document in documents:
        link = {"zaak": zaak["url"], "informatieobject": document["url"]}
        assert http.post(f"{server.zaken_url}/zaakinformatieobjecten", headers=h(server), json=link).status_code == 201
    links = http.get(f"{server.zaken_url}/zaakinformatieobjecten", params={"zaak": zaak["url"]}, headers=h(server)).json()
    assert [link["informatieobject"] for link in links] == [documents[1]["url"], documents[0]["url"]]
    assert server.contract_violations == []
