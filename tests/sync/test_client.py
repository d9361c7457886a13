"""The ZGW client against the test server (real HTTP) and a mock transport (malformed answers)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import ClassVar
from urllib.parse import parse_qs

import httpx
import jwt
import pytest

import storage
from forms.demo import demo_dossier
from sync import ProtocolError, SyncSettings, ZGWClient
from tests.sync.conftest import MEDEWERKER, TEST_TIMEOUT, make_engine, settings_for
from tests.zgw_server import ZGWServer

#: Every query parameter the sync may send: standard ZGW filters only.
STANDARD_PARAMS = {
    "identificatie",
    "bronorganisatie",
    "zaaktype",
    "rol__betrokkeneIdentificatie__medewerker__identificatie",
    "zaak",
    "versie",
    "page",
}


def _recording_client(settings: SyncSettings, seen: list[httpx.Request], clock: Callable[[], float] | None = None) -> ZGWClient:
    http = httpx.Client(timeout=TEST_TIMEOUT, event_hooks={"request": [seen.append]})
    return ZGWClient(settings, http, **({"clock": clock} if clock else {}))


def test_headers_tokens_and_parameters(server: ZGWServer, settings: SyncSettings, vault: storage.Vault) -> None:
    seen: list[httpx.Request] = []
    import time

    ticks = iter(range(int(time.time()) - 1000, int(time.time()) + 10_000))  # one second per token
    with _recording_client(settings, seen, clock=lambda: float(next(ticks))) as client:
        vault.save(demo_dossier())
        assert make_engine(vault, client).run().ok
        edited = vault.load(vault.list_dossiers()[0].id)
        edited.plan.perspectief = "Rust in huis"
        vault.save(edited)
        assert make_engine(vault, client).run().ok
    assert len(seen) > 10
    tokens = []
    for request in seen:
        scheme, _, token = request.headers["Authorization"].partition(" ")
        assert scheme == "Bearer"
        claims = jwt.decode(token, settings.secret.get_secret_value(), algorithms=["HS256"])
        assert set(claims) == {"iss", "client_id", "iat", "user_id", "user_representation"}
        assert claims["client_id"] == claims["iss"] == settings.client_id
        assert claims["user_id"] == MEDEWERKER
        tokens.append(token)
        path = request.url.path
        is_zaak = path.rstrip("/").endswith("/zaken") or "/zaken/api/v1/zaken/" in path
        if is_zaak and request.method != "DELETE":
            assert request.headers.get("Accept-Crs") == "EPSG:4326", path
            if request.method in ("POST", "PUT", "PATCH"):
                assert request.headers.get("Content-Crs") == "EPSG:4326", path
        if path.endswith("/download"):
            assert request.headers["Accept"] == "application/octet-stream"
        if path.endswith("/_zoek"):
            # the standard document search (Documenten 1.2+): our own documents by uuid only
            assert path.endswith("/enkelvoudiginformatieobjecten/_zoek") and request.method == "POST", path
            assert set(json.loads(request.content)) == {"uuid__in"}
        assert set(parse_qs(request.url.query.decode())) <= STANDARD_PARAMS, request.url
    assert len(set(tokens)) == len(tokens)  # a fresh token for every request
    # and the server saw the same: no unknown/experimental parameter, no contract problem
    for record in server.request_log:
        assert set(parse_qs(record.query)) <= STANDARD_PARAMS, record
        assert not any(x in record.path for x in ("_registreren", "reserveren", "/import/"))
        assert "_zoek" not in record.path or record.path.endswith("/enkelvoudiginformatieobjecten/_zoek")
    assert server.contract_violations == [] and server.server_errors == []


def test_lists_follow_every_page() -> None:
    with ZGWServer(page_size=2) as server:
        settings = settings_for(server)
        path = None
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "kluis.db"
            with storage.create_vault(path, "keukentafel-test-wachtwoord") as vault, ZGWClient(
                settings, httpx.Client(timeout=TEST_TIMEOUT)
            ) as client:
                ids = set()
                for _ in range(5):
                    dossier = demo_dossier()
                    ids.add(dossier.id)
                    vault.save(dossier)
                assert make_engine(vault, client).run().ok
                assert len(client.list_my_zaken()) == 5
                assert len(list(client.list_documents())) == 5
                pages = [r for r in server.requests("GET", r"/zaken$") if "page=" in r.query]
                assert pages  # the later pages were fetched through 'next'
        assert server.contract_violations == [] and server.server_errors == []


def _mock_settings() -> SyncSettings:
    class _Fake:
        zaken_url = "https://zgw.example.nl/zaken/api/v1"
        documenten_url = "https://zgw.example.nl/documenten/api/v1"
        catalogi_url = "https://zgw.example.nl/catalogi/api/v1"
        clients: ClassVar[dict[str, str]] = {"keukentafel": "keukentafel-test-secret-0123456789abcdef"}

        class catalog:  # noqa: N801 - mimics server.catalog
            zaaktype = "https://zgw.example.nl/catalogi/api/v1/zaaktypen/1"
            informatieobjecttype_dossier = "https://zgw.example.nl/catalogi/api/v1/informatieobjecttypen/1"
            informatieobjecttype_verslag = "https://zgw.example.nl/catalogi/api/v1/informatieobjecttypen/2"
            statustype_gestart = "https://zgw.example.nl/catalogi/api/v1/statustypen/1"
            statustype_ondertekend = "https://zgw.example.nl/catalogi/api/v1/statustypen/2"
            statustype_evaluatie = "https://zgw.example.nl/catalogi/api/v1/statustypen/3"
            statustype_afgesloten = "https://zgw.example.nl/catalogi/api/v1/statustypen/4"
            resultaattypen: ClassVar[dict[str, str]] = {"zelfstandig_verder": "https://zgw.example.nl/catalogi/api/v1/resultaattypen/1"}
            roltype_behandelaar = "https://zgw.example.nl/catalogi/api/v1/roltypen/1"

    return settings_for(_Fake())  # type: ignore[arg-type]


def _mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> tuple[ZGWClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    return ZGWClient(_mock_settings(), httpx.Client(transport=httpx.MockTransport(record))), seen


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>proxy login</html>", headers={"Content-Type": "text/html"}),
        httpx.Response(200, json={"results": "not a list"}),
        httpx.Response(200, json={"count": 1, "next": None, "results": [{"identificatie": "x"}]}),
        httpx.Response(200, json={"count": 1, "next": 5, "results": []}),
        httpx.Response(200, json=[{"url": 1}]),
        httpx.Response(302, headers={"Location": "https://elders.example/"}),
    ],
)
def test_malformed_answers_are_protocol_errors(response: httpx.Response) -> None:
    client, _ = _mock_client(lambda request: response)
    with pytest.raises(ProtocolError):
        client.list_my_zaken()


def test_a_token_never_leaves_the_configured_roots() -> None:
    page = {
        "count": 3,
        "next": "https://elders.example/zaken/api/v1/zaken?page=2",
        "previous": None,
        "results": [],
    }
    client, seen = _mock_client(lambda request: httpx.Response(200, json=page))
    with pytest.raises(ProtocolError):
        client.list_my_zaken()
    assert [r.url.host for r in seen] == ["zgw.example.nl"]
    with pytest.raises(ProtocolError):
        client.get_document("https://elders.example/documenten/api/v1/enkelvoudiginformatieobjecten/1")
    with pytest.raises(ProtocolError):
        client.download("https://zgw.example.nl.elders.example/documenten/api/v1/x")
    assert len(seen) == 1


def test_paging_loop_is_detected() -> None:
    page = {
        "count": 3,
        "next": "https://zgw.example.nl/zaken/api/v1/zaken?page=2",
        "previous": None,
        "results": [],
    }
    client, seen = _mock_client(lambda request: httpx.Response(200, json=page))
    with pytest.raises(ProtocolError):
        client.list_my_zaken()
    assert len(seen) == 2


def test_closed_client_refuses() -> None:
    client, seen = _mock_client(lambda request: httpx.Response(200, json=[]))
    client.close()
    with pytest.raises(RuntimeError):
        client.list_zio("https://zgw.example.nl/zaken/api/v1/zaken/1")
    assert seen == []


def test_zio_list_is_a_plain_array() -> None:
    links = [{"url": "https://zgw.example.nl/zaken/api/v1/zaakinformatieobjecten/1",
              "zaak": "https://zgw.example.nl/zaken/api/v1/zaken/1",
              "informatieobject": "https://zgw.example.nl/documenten/api/v1/enkelvoudiginformatieobjecten/1"}]
    client, seen = _mock_client(lambda request: httpx.Response(200, content=json.dumps(links).encode()))
    assert [link.informatieobject for link in client.list_zio(links[0]["zaak"])] == [links[0]["informatieobject"]]
    assert "Accept-Crs" not in seen[0].headers  # only /zaken itself needs it
