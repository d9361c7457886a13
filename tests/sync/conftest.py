"""Fixtures for the sync tests: the ZGW test server on 127.0.0.1 and real vault files.

Clients get an injected ``httpx.Client`` with a short time-out (the transport seam), so
a stalled answer costs a fraction of a second, and a no-op sleep for the back-off.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import forms
import storage
from forms.demo import complete_demo_dossier
from forms.models import Dossier
from forms.verslag import build_pdf
from sync import SyncEngine, SyncSettings, ZGWClient
from tests.zgw_server import ZGWServer

PASSPHRASE = "keukentafel-test-wachtwoord"
RSIN = "517439943"
MEDEWERKER = "wk-0042"
TEST_TIMEOUT = httpx.Timeout(2.0, connect=1.0)


def settings_for(server: ZGWServer, **overrides: Any) -> SyncSettings:
    client_id, secret = next(iter(server.clients.items()))
    data: dict[str, Any] = {
        "zaken_root": server.zaken_url,
        "documenten_root": server.documenten_url,
        "catalogi_root": server.catalogi_url,
        "client_id": client_id,
        "secret": secret,
        "bronorganisatie": RSIN,
        "zaaktype": server.catalog.zaaktype,
        "informatieobjecttype_dossier": server.catalog.informatieobjecttype_dossier,
        "informatieobjecttype_verslag": server.catalog.informatieobjecttype_verslag,
        "statustype_gestart": server.catalog.statustype_gestart,
        "statustype_ondertekend": server.catalog.statustype_ondertekend,
        "statustype_evaluatie": server.catalog.statustype_evaluatie,
        "statustype_afgesloten": server.catalog.statustype_afgesloten,
        "resultaattypen": server.catalog.resultaattypen,
        "roltype_behandelaar": server.catalog.roltype_behandelaar,
        "medewerker_identificatie": MEDEWERKER,
        "user_representation": "Wijkcoach Test",
    }
    data.update(overrides)
    return SyncSettings.model_validate(data)


def make_client(settings: SyncSettings, timeout: httpx.Timeout = TEST_TIMEOUT) -> ZGWClient:
    return ZGWClient(settings, httpx.Client(timeout=timeout, follow_redirects=False))


def no_sleep(seconds: float) -> None:
    """Back-off without waiting."""


def make_engine(vault: storage.Vault, client: ZGWClient, seed: int = 0, **kwargs: Any) -> SyncEngine:
    return SyncEngine(vault, client, sleep=no_sleep, rng=random.Random(seed), **kwargs)


@pytest.fixture
def server() -> Iterator[ZGWServer]:
    with ZGWServer() as srv:
        yield srv


@pytest.fixture
def settings(server: ZGWServer) -> SyncSettings:
    return settings_for(server)


@pytest.fixture
def client(settings: SyncSettings) -> Iterator[ZGWClient]:
    with make_client(settings) as c:
        yield c


@pytest.fixture
def new_vault(tmp_path: Path) -> Iterator[Callable[[str], storage.Vault]]:
    opened: list[storage.Vault] = []

    def make(name: str = "kluis") -> storage.Vault:
        v = storage.create_vault(tmp_path / f"{name}.db", PASSPHRASE, user="test-coach")
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()


@pytest.fixture
def vault(new_vault: Callable[[str], storage.Vault]) -> storage.Vault:
    return new_vault("kluis")


@pytest.fixture(scope="session")
def finalised() -> tuple[Dossier, bytes]:
    """A complete demo dossier, finalised, and its verslag PDF (built once)."""
    final = forms.finalise(complete_demo_dossier())
    return final, build_pdf(final)


def store_final(vault: storage.Vault, final: Dossier, pdf: bytes) -> None:
    """What desktop.finalising does: the immutable version first, then the working copy."""
    assert final.definitief is not None
    vault.store_version(final.id, final.versie, final.definitief.sha256, final.model_dump_json(), pdf=pdf)
    vault.save(final)


def server_state(server: ZGWServer, client: ZGWClient) -> dict[str, Any]:
    """What the server holds, in a form that compares across servers (no host, no times)."""
    import json

    raw = _server_state(client)
    return json.loads(json.dumps(raw).replace(server.base_url, "")) if raw else raw


def _server_state(client: ZGWClient) -> dict[str, Any]:
    s = client.settings
    zaken = client.list_my_zaken()
    all_zaken = list(client._list(f"{s.zaken_root}/zaken", {}, "all zaken"))
    docs = list(client.list_documents())
    out: dict[str, Any] = {"zaken": {}, "zaak_count": len(all_zaken), "document_count": len(docs)}
    by_url = {d.url: d for d in docs}
    for zaak in zaken:
        links = client.list_zio(zaak.url)
        documents = {}
        for link in links:
            doc = by_url[link.informatieobject]
            documents[doc.identificatie] = {
                "content_sha": __import__("hashlib").sha256(client.download(doc.url)).hexdigest(),
                "locked": doc.locked,
                "type": doc.informatieobjecttype,
            }
        rollen = sorted((r.roltype, r.betrokkene_type, r.medewerker or "") for r in client.list_rollen(zaak.url))
        statussen = client.list_statussen(zaak.url)
        current = [st.statustype for st in statussen if st.laatst_gezet]
        out["zaken"][zaak.identificatie] = {
            "documents": documents,
            "rollen": rollen,
            "statustypes": sorted({st.statustype for st in statussen}),
            "current_status": current,
        }
    return out
