"""Tests of the ZGW test server itself, over real HTTP with httpx.

They pin down the behaviour the sync client relies on (Open Zaak 1.30.0 as
observed, see tests/contracts/README.md), the contract validation and every
kind of injected fault.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.zgw_server import Fault, FaultKind, ServerConfig, ZGWServer

RSIN = "517439943"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}


@pytest.fixture
def server() -> Iterator[ZGWServer]:
    with ZGWServer() as srv:
        yield srv
        assert srv.server_errors == []


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as c:
        yield c


def headers(server: ZGWServer, crs: bool = True, **extra: str) -> dict[str, str]:
    result = server.auth_headers()
    if crs:
        result.update(CRS)
    result.update(extra)
    return result


def zaak_body(server: ZGWServer, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "zaaktype": server.catalog.zaaktype,
        "bronorganisatie": RSIN,
        "verantwoordelijkeOrganisatie": RSIN,
        "startdatum": "2026-01-05",
    }
    body.update(overrides)
    return body


def create_zaak(server: ZGWServer, client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    r = client.post(f"{server.zaken_url}/zaken", headers=headers(server), json=zaak_body(server, **overrides))
    assert r.status_code == 201, r.text
    zaak: dict[str, Any] = r.json()
    return zaak


def document_body(server: ZGWServer, content: bytes = b'{"dossier": 1}', **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "bronorganisatie": RSIN,
        "creatiedatum": "2026-01-05",
        "titel": "Gespreksdossier",
        "auteur": "Wijkcoach",
        "taal": "nld",
        "informatieobjecttype": server.catalog.informatieobjecttype_dossier,
        "inhoud": base64.b64encode(content).decode(),
        "bestandsnaam": "dossier.json",
        "formaat": "application/json",
        "vertrouwelijkheidaanduiding": "vertrouwelijk",
    }
    body.update(overrides)
    return body


def create_document(server: ZGWServer, client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    r = client.post(
        f"{server.documenten_url}/enkelvoudiginformatieobjecten",
        headers=headers(server, crs=False),
        json=document_body(server, **overrides),
    )
    assert r.status_code == 201, r.text
    document: dict[str, Any] = r.json()
    return document


def count_zaken(server: ZGWServer, client: httpx.Client) -> int:
    r = client.get(f"{server.zaken_url}/zaken", headers=headers(server))
    assert r.status_code == 200
    return int(r.json()["count"])


# -- Zaken ------------------------------------------------------------------------------------


def test_create_zaak_returns_url_uuid_and_generated_identificatie(server: ZGWServer, client: httpx.Client) -> None:
    r = client.post(f"{server.zaken_url}/zaken", headers=headers(server), json=zaak_body(server))
    assert r.status_code == 201
    zaak = r.json()
    assert zaak["url"] == f"{server.zaken_url}/zaken/{zaak['uuid']}"
    assert re.fullmatch(r"ZAAK-\d{4}-\d{10}", zaak["identificatie"])
    assert r.headers["Location"] == zaak["url"]
    assert r.headers["Content-Crs"] == "EPSG:4326"
    assert r.headers["API-version"] == "1.5.1"
    assert zaak["vertrouwelijkheidaanduiding"] == "zaakvertrouwelijk"  # taken from the zaaktype
    second = create_zaak(server, client)
    assert int(second["identificatie"][-10:]) == int(zaak["identificatie"][-10:]) + 1

    got = client.get(zaak["url"], headers=headers(server))
    assert got.status_code == 200 and got.json()["uuid"] == zaak["uuid"]
    listed = client.get(
        f"{server.zaken_url}/zaken", headers=headers(server), params={"identificatie": zaak["identificatie"]}
    ).json()
    assert listed["count"] == 1 and listed["results"][0]["url"] == zaak["url"]
    assert set(listed) == {"count", "next", "previous", "results"}
    assert server.contract_violations == []


def test_zaak_found_by_kenmerk_and_identificatie_is_unique(server: ZGWServer, client: httpx.Client) -> None:
    kenmerk = {"kenmerk": "dossier-0b9e", "bron": "keukentafel"}
    zaak = create_zaak(server, client, identificatie="KT-0001", kenmerken=[kenmerk])
    assert zaak["identificatie"] == "KT-0001" and zaak["kenmerken"] == [kenmerk]
    create_zaak(server, client, kenmerken=[{"kenmerk": "other", "bron": "keukentafel"}])

    found = client.get(
        f"{server.zaken_url}/zaken", headers=headers(server), params={"kenmerk": "keukentafel:dossier-0b9e"}
    ).json()
    assert [z["url"] for z in found["results"]] == [zaak["url"]]
    searched = client.post(
        f"{server.zaken_url}/zaken/_zoek", headers=headers(server), json={"kenmerk": "keukentafel:dossier-0b9e"}
    )
    assert searched.status_code == 200 and searched.json()["count"] == 1

    duplicate = client.post(
        f"{server.zaken_url}/zaken", headers=headers(server), json=zaak_body(server, identificatie="KT-0001")
    )
    assert duplicate.status_code == 400
    assert duplicate.headers["Content-Type"] == "application/problem+json"
    assert duplicate.json()["invalidParams"][0]["code"] == "identificatie-niet-uniek"

    patched = client.patch(
        zaak["url"], headers=headers(server), json={"omschrijving": "Gesprek", "kenmerken": [kenmerk]}
    )
    assert patched.status_code == 200 and patched.json()["omschrijving"] == "Gesprek"
    immutable = client.patch(zaak["url"], headers=headers(server), json={"identificatie": "KT-0002"})
    assert immutable.json()["invalidParams"][0]["code"] == "wijzigen-niet-toegelaten"
    assert server.contract_violations == []


def test_rsin_elfproef(server: ZGWServer, client: httpx.Client) -> None:
    r = client.post(
        f"{server.zaken_url}/zaken", headers=headers(server), json=zaak_body(server, bronorganisatie="123456789")
    )
    assert r.status_code == 400
    assert r.json()["invalidParams"] == [
        {"name": "bronorganisatie", "code": "invalid", "reason": "Onjuist RSIN nummer."}
    ]
    assert server.contract_violations == []  # valid per spec, refused by the business rule


def test_crs_headers(server: ZGWServer, client: httpx.Client) -> None:
    url = f"{server.zaken_url}/zaken"
    r = client.get(url, headers=headers(server, crs=False))
    assert r.status_code == 412 and r.json()["code"] == "precondition_failed"
    r = client.get(url, headers=headers(server, crs=False, **{"Accept-Crs": "EPSG:28992"}))
    assert r.status_code == 406
    r = client.post(url, headers=headers(server, crs=False, **{"Accept-Crs": "EPSG:4326"}), json=zaak_body(server))
    assert r.status_code == 412 and "Content-Crs" in r.json()["detail"]
    # /rollen and /zaakinformatieobjecten do not need the CRS headers.
    assert client.get(f"{server.zaken_url}/rollen", headers=headers(server, crs=False)).status_code == 200
    assert count_zaken(server, client) == 0


def test_jwt_auth_like_open_zaak(server: ZGWServer, client: httpx.Client) -> None:
    url = f"{server.zaken_url}/zaken"

    def code(auth: dict[str, str]) -> tuple[int, str]:
        r = client.get(url, headers={**CRS, **auth})
        return r.status_code, r.json().get("code", "")

    assert code({}) == (403, "permission_denied")
    assert code(server.auth_headers(secret="wrong-secret-wrong-secret-wrong-secret")) == (403, "invalid-jwt-signature")
    assert code(server.auth_headers(include_iat=False)) == (403, "jwt-missing-iat-claim")
    assert code(server.auth_headers(iat=time.time() - 3600)) == (403, "jwt-expired")
    assert code(server.auth_headers(iat=time.time() - 3590))[0] == 200

    token = {"Authorization": f"Bearer {server.make_token()}"}
    assert code(token)[0] == 200
    server.advance_clock(3600)
    assert code(token) == (403, "jwt-expired")


def test_short_token_lifetime_is_configurable(client: httpx.Client) -> None:
    with ZGWServer(jwt_expiry_seconds=1) as server:
        auth = server.auth_headers(iat=time.time() - 1)
        r = client.get(f"{server.zaken_url}/zaken", headers={**CRS, **auth})
        assert r.json()["code"] == "jwt-expired"


def test_rollen_statussen_and_medewerker_filter(server: ZGWServer, client: httpx.Client) -> None:
    zaak = create_zaak(server, client)
    rol = client.post(
        f"{server.zaken_url}/rollen",
        headers=headers(server, crs=False),
        json={
            "zaak": zaak["url"],
            "roltype": server.catalog.roltype_behandelaar,
            "betrokkeneType": "medewerker",
            "roltoelichting": "Wijkcoach",
            "betrokkeneIdentificatie": {"identificatie": "wc-042", "achternaam": "Jansen"},
        },
    )
    assert rol.status_code == 201, rol.text
    assert rol.json()["omschrijvingGeneriek"] == "behandelaar"
    rollen = client.get(f"{server.zaken_url}/rollen", headers=headers(server, crs=False), params={"zaak": zaak["url"]})
    assert rollen.json()["count"] == 1  # the `zaak` filter takes the URL (spec says integer)
    mine = client.get(
        f"{server.zaken_url}/zaken",
        headers=headers(server),
        params={"rol__betrokkeneIdentificatie__medewerker__identificatie": "wc-042"},
    ).json()
    assert [z["url"] for z in mine["results"]] == [zaak["url"]]

    status = client.post(
        f"{server.zaken_url}/statussen",
        headers=headers(server, crs=False),
        json={"zaak": zaak["url"], "statustype": server.catalog.statustype_gestart, "datumStatusGezet": "2026-01-05T10:00:00Z"},
    )
    assert status.status_code == 201 and status.json()["indicatieLaatstGezetteStatus"] is True
    assert client.get(zaak["url"], headers=headers(server)).json()["status"] == status.json()["url"]
    listed = client.get(f"{server.zaken_url}/statussen", headers=headers(server, crs=False), params={"zaak": zaak["url"]})
    assert listed.json()["count"] == 1

    # The eindstatus needs a resultaat and indicatieGebruiksrecht on every linked
    # document, then closes the zaak.
    doc = create_document(server, client)
    link = client.post(
        f"{server.zaken_url}/zaakinformatieobjecten",
        headers=headers(server, crs=False),
        json={"zaak": zaak["url"], "informatieobject": doc["url"]},
    )
    assert link.status_code == 201
    eind = {"zaak": zaak["url"], "statustype": server.catalog.statustype_afgesloten, "datumStatusGezet": "2026-01-06T10:00:00Z"}
    resultaat = {"zaak": zaak["url"], "resultaattype": server.catalog.resultaattype_zelfstandig_verder}
    assert client.post(f"{server.zaken_url}/resultaten", headers=headers(server, crs=False), json=resultaat).status_code == 201
    refused = client.post(f"{server.zaken_url}/statussen", headers=headers(server, crs=False), json=eind)
    assert refused.json()["invalidParams"][0]["code"] == "indicatiegebruiksrecht-unset"
    lock = client.post(f"{doc['url']}/lock", headers=headers(server, crs=False)).json()["lock"]
    client.patch(doc["url"], headers=headers(server, crs=False), json={"lock": lock, "indicatieGebruiksrecht": False})
    client.post(f"{doc['url']}/unlock", headers=headers(server, crs=False), json={"lock": lock})
    closed = client.post(f"{server.zaken_url}/statussen", headers=headers(server, crs=False), json=eind)
    assert closed.status_code == 201
    assert client.get(zaak["url"], headers=headers(server)).json()["einddatum"] == "2026-01-06"
    assert server.contract_violations == []


# -- Documenten --------------------------------------------------------------------------------


def test_document_versions_lock_and_download(server: ZGWServer, client: httpx.Client) -> None:
    h = headers(server, crs=False)
    doc = create_document(server, client, identificatie="DOSSIER-0b9e", content=b"v1")
    assert doc["versie"] == 1 and doc["locked"] is False
    assert doc["inhoud"] == f"{doc['url']}/download?versie=1"
    assert doc["bestandsomvang"] == 2

    found = client.get(
        f"{server.documenten_url}/enkelvoudiginformatieobjecten",
        headers=h,
        params={"bronorganisatie": RSIN, "identificatie": "DOSSIER-0b9e"},
    ).json()
    assert found["count"] == 1 and found["results"][0]["url"] == doc["url"]

    v2 = {"inhoud": base64.b64encode(b"version two").decode(), "bestandsomvang": 11, "titel": "Gespreksdossier v2"}
    unlocked = client.patch(doc["url"], headers=h, json=v2)
    assert unlocked.status_code == 400 and unlocked.json()["invalidParams"][0]["code"] == "unlocked"

    lock = client.post(f"{doc['url']}/lock", headers=h)
    assert lock.status_code == 200 and set(lock.json()) == {"lock"}
    assert client.post(f"{doc['url']}/lock", headers=h).json()["invalidParams"][0]["code"] == "existing-lock"
    patched = client.patch(doc["url"], headers=h, json={**v2, "lock": lock.json()["lock"]})
    assert patched.status_code == 200
    assert patched.json()["versie"] == 2 and patched.json()["locked"] is True

    wrong = client.post(f"{doc['url']}/unlock", headers=h, json={"lock": "not-the-lock"})
    assert wrong.status_code == 400 and wrong.json()["invalidParams"][0]["code"] == "incorrect-lock-id"
    assert client.post(f"{doc['url']}/unlock", headers=h, json={"lock": lock.json()["lock"]}).status_code == 204

    old = client.get(doc["url"], headers=h, params={"versie": 1}).json()
    assert old["versie"] == 1 and old["titel"] == "Gespreksdossier"
    assert client.get(doc["url"], headers=h).json()["titel"] == "Gespreksdossier v2"
    download = client.get(f"{doc['url']}/download", headers=h, params={"versie": 1})
    assert download.content == b"v1" and download.headers["Content-Type"] == "application/octet-stream"
    assert client.get(f"{doc['url']}/download", headers=h).content == b"version two"
    as_json = client.get(f"{doc['url']}/download", headers={**h, "Accept": "application/json"})
    assert as_json.status_code == 406
    assert client.get(doc["url"], headers=h, params={"versie": 3}).status_code == 404
    assert server.contract_violations == []


def test_force_unlock_mirrors_the_scope(client: httpx.Client) -> None:
    with ZGWServer(force_unlock=True) as server:
        doc = create_document(server, client)
        h = headers(server, crs=False)
        client.post(f"{doc['url']}/lock", headers=h)
        assert client.post(f"{doc['url']}/unlock", headers=h, json={"lock": "wrong"}).status_code == 204
        assert client.get(doc["url"], headers=h).json()["locked"] is False


def test_zaakinformatieobjecten_list_is_a_plain_array(server: ZGWServer, client: httpx.Client) -> None:
    h = headers(server, crs=False)
    zaak = create_zaak(server, client)
    doc = create_document(server, client, informatieobjecttype=server.catalog.informatieobjecttype_verslag)
    link = client.post(f"{server.zaken_url}/zaakinformatieobjecten", headers=h, json={"zaak": zaak["url"], "informatieobject": doc["url"]})
    assert link.status_code == 201
    by_zaak = client.get(f"{server.zaken_url}/zaakinformatieobjecten", headers=h, params={"zaak": zaak["url"]}).json()
    assert isinstance(by_zaak, list) and [z["url"] for z in by_zaak] == [link.json()["url"]]
    by_doc = client.get(f"{server.zaken_url}/zaakinformatieobjecten", headers=h, params={"informatieobject": doc["url"]})
    assert by_doc.json() == by_zaak
    again = client.post(f"{server.zaken_url}/zaakinformatieobjecten", headers=h, json={"zaak": zaak["url"], "informatieobject": doc["url"]})
    assert again.status_code == 400 and again.json()["invalidParams"][0]["code"] == "unique"
    assert client.get(zaak["url"], headers=headers(server)).json()["zaakinformatieobjecten"] == [link.json()["url"]]
    assert server.contract_violations == []


def test_catalog_is_seeded(server: ZGWServer, client: httpx.Client) -> None:
    h = headers(server, crs=False)
    # As Open Zaak: reading the catalogue needs catalogi.lezen, which the sync's client lacks
    refused = client.get(server.catalog.zaaktype, headers=h)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    server.config.scopes["keukentafel"] = None  # all autorisaties from here
    zaaktype = client.get(server.catalog.zaaktype, headers=h).json()
    assert zaaktype["concept"] is False
    assert set(zaaktype["informatieobjecttypen"]) == set(server.catalog.informatieobjecttypen)
    names = {client.get(u, headers=h).json()["omschrijving"] for u in server.catalog.informatieobjecttypen}
    assert names == {"Gespreksdossier", "Gesprek-adviesverslag"}
    statustypen = [client.get(u, headers=h).json() for u in server.catalog.statustypen]
    assert [(s["omschrijving"], s["volgnummer"], s["isEindstatus"]) for s in statustypen] == [
        ("Gesprek gestart", 1, False),
        ("Verslag ondertekend", 2, False),
        ("Evaluatie", 3, False),
        ("Afgesloten", 4, True),
    ]
    assert client.get(server.catalog.roltype_behandelaar, headers=h).json()["omschrijvingGeneriek"] == "behandelaar"
    assert client.get(f"{server.catalogi_url}/zaaktypen", headers=h).json()["count"] == 2  # ours and another
    assert server.contract_violations == []


# -- contract validation -------------------------------------------------------------------------


def test_invalid_requests_are_rejected_and_recorded(server: ZGWServer, client: httpx.Client) -> None:
    body = zaak_body(server, identificatie="X" * 41, zaaktype="not a url")
    del body["startdatum"]
    r = client.post(f"{server.zaken_url}/zaken", headers=headers(server), json=body)
    assert r.status_code == 400
    params = {(p["name"], p["code"]) for p in r.json()["invalidParams"]}
    assert {("startdatum", "required"), ("identificatie", "max_length"), ("zaaktype", "invalid")} <= params
    assert count_zaken(server, client) == 0
    assert [v.direction for v in server.contract_violations] == ["request"]

    server.reset_logs()
    r = client.get(f"{server.zaken_url}/zaken", headers=headers(server), params={"kenmerkk": "typo"})
    assert r.status_code == 400 and r.json()["invalidParams"][0]["code"] == "unknown-parameters"
    assert len(server.contract_violations) == 1

    server.reset_logs()
    assert client.get(f"{server.zaken_url}/nope", headers=headers(server)).status_code == 404
    assert client.delete(f"{server.zaken_url}/rollen", headers=headers(server)).status_code == 405
    assert len(server.contract_violations) == 2


# -- faults -------------------------------------------------------------------------------------------


def test_error_before_processing_writes_nothing(server: ZGWServer, client: httpx.Client) -> None:
    fault = server.faults.add(Fault.error(503, method="POST", path=r"/zaken$"))
    r = client.post(f"{server.zaken_url}/zaken", headers=headers(server), json=zaak_body(server))
    assert r.status_code == 503 and r.headers["Content-Type"] == "application/problem+json"
    assert fault.fired == 1 and count_zaken(server, client) == 0
    assert server.contract_violations == []


def test_error_after_processing_keeps_the_write(server: ZGWServer, client: httpx.Client) -> None:
    server.faults.add(Fault.error(502, processed=True, method="POST"))
    r = client.post(f"{server.zaken_url}/zaken", headers=headers(server), json=zaak_body(server))
    assert r.status_code == 502
    assert count_zaken(server, client) == 1


def test_request_lost_and_answer_lost(server: ZGWServer, client: httpx.Client) -> None:
    server.faults.add(Fault.request_lost(method="POST"))
    with pytest.raises(httpx.TransportError):
        client.post(f"{server.zaken_url}/zaken", headers=headers(server), json=zaak_body(server))
    assert count_zaken(server, client) == 0

    server.faults.add(Fault.answer_lost(method="POST"))
    with pytest.raises(httpx.TransportError):
        client.post(f"{server.zaken_url}/zaken", headers=headers(server), json=zaak_body(server))
    assert count_zaken(server, client) == 1  # the write happened
    records = server.requests("POST")
    assert [(r.status, r.answered) for r in records] == [(None, False), (201, False)]


def test_drop_after_n_bytes(server: ZGWServer, client: httpx.Client) -> None:
    doc = create_document(server, client, content=b"x" * 5000)
    server.faults.add(Fault.drop_after_bytes(300, path=r"/download$"))
    with pytest.raises(httpx.TransportError):
        client.get(f"{doc['url']}/download", headers=headers(server, crs=False))
    ok = client.get(f"{doc['url']}/download", headers=headers(server, crs=False))
    assert ok.content == b"x" * 5000


def test_stall_triggers_client_timeout_and_is_bounded(client: httpx.Client) -> None:
    with ZGWServer(max_stall_seconds=1.0) as server:
        server.faults.add(Fault.stall(0.6, method="GET"))
        started = time.monotonic()
        with pytest.raises(httpx.TimeoutException):
            client.get(f"{server.zaken_url}/zaken", headers=headers(server), timeout=0.2)
        server.faults.add(Fault.stall(60, method="GET"))  # capped at max_stall_seconds
        r = client.get(f"{server.zaken_url}/zaken", headers=headers(server), timeout=5)
        assert r.status_code == 200
        assert time.monotonic() - started < 3

        server.faults.add(Fault.stall(0.5, processed=True, method="POST"))
        with pytest.raises(httpx.TimeoutException):
            client.post(f"{server.zaken_url}/zaken", headers=headers(server), json=zaak_body(server), timeout=0.2)
        assert count_zaken(server, client) == 1  # processed before the stall


def test_duplicate_processing(server: ZGWServer, client: httpx.Client) -> None:
    server.faults.add(Fault.duplicate(method="POST", path=r"/zaken$"))
    r = client.post(f"{server.zaken_url}/zaken", headers=headers(server), json=zaak_body(server))
    assert r.status_code == 201
    assert count_zaken(server, client) == 2


def test_expire_token_and_nth_request(server: ZGWServer, client: httpx.Client) -> None:
    server.faults.add(Fault.expire_token(path=r"/zaken$"))
    r = client.get(f"{server.zaken_url}/zaken", headers=headers(server))
    assert r.status_code == 403 and r.json()["code"] == "jwt-expired"

    server.faults.add(Fault.error(500, nth=2, method="GET"))
    statuses = [client.get(f"{server.zaken_url}/zaken", headers=headers(server)).status_code for _ in range(3)]
    assert statuses == [200, 500, 200]
    assert server.faults.pending == []
    assert [r.status for r in server.requests("GET", r"/zaken$")] == [403, 200, 500, 200]


def test_random_faults_are_reproducible(client: httpx.Client) -> None:
    def run(seed: int) -> list[tuple[int, str]]:
        with ZGWServer() as server:
            server.faults.set_random(seed=seed, probability=0.4, kinds=[FaultKind.ERROR, FaultKind.DROP])
            for _ in range(25):
                try:
                    client.get(server.catalog.zaaktype, headers=headers(server, crs=False))
                except httpx.TransportError:
                    pass
            return [(n, d.split(": ", 1)[1]) for n, d in server.faults.history]

    first = run(7)
    assert 3 <= len(first) <= 20
    assert run(7) == first
    assert run(8) != first


def test_request_log_counts_requests(server: ZGWServer, client: httpx.Client) -> None:
    create_zaak(server, client)
    count_zaken(server, client)
    assert [(r.method, r.status) for r in server.request_log] == [("POST", 201), ("GET", 200)]
    assert len(server.requests(path=r"/zaken$")) == 2


def test_restart_keeps_state_and_urls(server: ZGWServer, client: httpx.Client) -> None:
    zaak = create_zaak(server, client)
    base_url = server.base_url
    server.restart()
    assert server.base_url == base_url
    assert client.get(zaak["url"], headers=headers(server)).status_code == 200


def test_pagination(client: httpx.Client) -> None:
    with ZGWServer(ServerConfig(page_size=2)) as server:
        for _ in range(3):
            create_zaak(server, client)
        first = client.get(f"{server.zaken_url}/zaken", headers=headers(server)).json()
        assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
        second = client.get(first["next"], headers=headers(server)).json()
        assert len(second["results"]) == 1 and second["next"] is None
        assert client.get(f"{server.zaken_url}/zaken", headers=headers(server), params={"page": 3}).status_code == 404
        assert server.server_errors == []


def test_document_search_by_uuid_is_paged_and_validated(client: httpx.Client) -> None:
    """POST /enkelvoudiginformatieobjecten/_zoek (standard since Documenten 1.2): only the
    asked documents, newest version, paged by ?page=N on the same POST, like Open Zaak."""
    with ZGWServer(ServerConfig(page_size=2)) as server:
        mine = [create_document(server, client, identificatie=f"MIJN-{n}") for n in range(3)]
        server.seed_documents(5)  # the rest of the municipality
        search = f"{server.documenten_url}/enkelvoudiginformatieobjecten/_zoek"
        uuids = [d["url"].rsplit("/", 1)[1] for d in mine]
        first = client.post(search, headers=headers(server, crs=False), json={"uuid__in": uuids})
        assert first.status_code == 200, first.text
        page = first.json()
        assert page["count"] == 3 and len(page["results"]) == 2 and page["next"].endswith("/_zoek?page=2")
        second = client.post(page["next"], headers=headers(server, crs=False), json={"uuid__in": uuids}).json()
        assert second["next"] is None
        found = page["results"] + second["results"]
        assert sorted(d["identificatie"] for d in found) == ["MIJN-0", "MIJN-1", "MIJN-2"]
        assert all(d["versie"] == 1 and d["url"] in {m["url"] for m in mine} for d in found)
        # combined with the other standard body filters; nothing asked, nothing found
        only = client.post(search, headers=headers(server, crs=False), json={"uuid__in": uuids, "identificatie": "MIJN-1"})
        assert [d["identificatie"] for d in only.json()["results"]] == ["MIJN-1"]
        assert client.post(search, headers=headers(server, crs=False), json={"uuid__in": []}).json()["count"] == 0
        # the list of all documents holds the municipality's other documents too
        listed = client.get(f"{server.documenten_url}/enkelvoudiginformatieobjecten", headers=headers(server, crs=False))
        assert listed.json()["count"] == 8
        assert server.contract_violations == [] and server.server_errors == []
        # the contract requires uuid__in: refused and recorded
        bad = client.post(search, headers=headers(server, crs=False), json={"identificatie": "MIJN-1"})
        assert bad.status_code == 400 and len(server.contract_violations) == 1
