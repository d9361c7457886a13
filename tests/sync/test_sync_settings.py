"""Sync settings: the municipality's JSON file, Dutch messages naming the field, kept in the vault."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import storage
from sync import SettingsError, import_settings, load_settings, save_settings
from sync.settings import parse_settings
from sync.client import make_http_client

PASSPHRASE = "keukentafel-test-wachtwoord"


def _data(**overrides: Any) -> dict[str, Any]:
    base = "https://open-zaak.gemeente.example.nl"
    data: dict[str, Any] = {
        "_toelichting": "Instellingen voor wijkcoach W. Test",
        "zaken_root": f"{base}/zaken/api/v1/",
        "documenten_root": f"{base}/documenten/api/v1",
        "catalogi_root": f"{base}/catalogi/api/v1",
        "client_id": "keukentafel-wijkteam-noord",
        "secret": "een-lang-geheim-van-de-gemeente-0123",
        "bronorganisatie": "517439943",
        "zaaktype": f"{base}/catalogi/api/v1/zaaktypen/1",
        "informatieobjecttype_dossier": f"{base}/catalogi/api/v1/informatieobjecttypen/1",
        "informatieobjecttype_verslag": f"{base}/catalogi/api/v1/informatieobjecttypen/2",
        "statustype_gestart": f"{base}/catalogi/api/v1/statustypen/1",
        "statustype_ondertekend": f"{base}/catalogi/api/v1/statustypen/2",
        "roltype_behandelaar": f"{base}/catalogi/api/v1/roltypen/1",
        "medewerker_identificatie": "wk-0042",
        "user_representation": "W. Test, wijkcoach",
    }
    data.update(overrides)
    return data


def _file(tmp_path: Path, data: Any, *, bom: bool = False) -> Path:
    path = tmp_path / "keukentafel-sync.json"
    text = json.dumps(data, ensure_ascii=False)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_import_a_good_file(tmp_path: Path) -> None:
    settings = import_settings(_file(tmp_path, _data(), bom=True))
    assert settings.zaken_root.endswith("/zaken/api/v1")  # trailing slash removed
    assert settings.vertrouwelijkheidaanduiding == "zeer_geheim"  # the safe default
    assert settings.ca_bundle is None
    assert "een-lang-geheim" not in repr(settings) and "een-lang-geheim" not in str(settings)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"bronorganisatie": "123456789"}, "bronorganisatie", "elfproef"),
        ({"zaken_root": "http://open-zaak.example.nl/zaken/api/v1"}, "zaken_root", "https://"),
        ({"zaaktype": "zaaktypen/1"}, "zaaktype", "webadres"),
        ({"secret": "kort"}, "secret", "te kort"),
        ({"vertrouwelijkheidaanduiding": "heel_geheim"}, "vertrouwelijkheidaanduiding", "niet toegestaan"),
        ({"medewerker_identificatie": "x" * 25}, "medewerker_identificatie", "lengte"),
        ({"clientid": "typo"}, "clientid", "onbekend"),
        ({"ca_bundle": "/bestaat/niet.pem"}, "ca_bundle", "niet gevonden"),
    ],
)
def test_problems_are_named_in_dutch(tmp_path: Path, overrides: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(SettingsError) as info:
        import_settings(_file(tmp_path, _data(**overrides)))
    assert f"'{field}'" in info.value.melding and words in info.value.melding
    assert "een-lang-geheim" not in info.value.melding


def test_missing_field_and_broken_files(tmp_path: Path) -> None:
    data = _data()
    del data["roltype_behandelaar"]
    with pytest.raises(SettingsError) as info:
        import_settings(_file(tmp_path, data))
    assert "'roltype_behandelaar': dit veld ontbreekt" in info.value.melding
    path = tmp_path / "kapot.json"
    path.write_text('{"zaken_root": ', encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        import_settings(path)
    assert "geen geldige JSON" in info.value.melding
    with pytest.raises(SettingsError) as info:
        import_settings(tmp_path / "weg.json")
    assert "niet gevonden" in info.value.melding
    with pytest.raises(SettingsError):
        import_settings(_file(tmp_path, [1, 2]))


def test_loopback_http_is_allowed_for_tests() -> None:
    settings = parse_settings(_data(zaken_root="http://127.0.0.1:8000/zaken/api/v1"))
    assert settings.zaken_root.startswith("http://127.0.0.1")


def test_kept_in_the_vault_with_the_secret(tmp_path: Path) -> None:
    settings = import_settings(_file(tmp_path, _data()))
    with storage.create_vault(tmp_path / "kluis.db", PASSPHRASE) as vault:
        assert load_settings(vault) is None
        save_settings(vault, settings)
        again = load_settings(vault)
        assert again == settings
        assert again is not None and again.secret.get_secret_value() == "een-lang-geheim-van-de-gemeente-0123"
        # the audit log names the key, never the value
        assert all("geheim-van" not in e.detail for e in vault.audit_log())
    # and the vault file does not hold it in the clear
    assert b"een-lang-geheim" not in (tmp_path / "kluis.db").read_bytes()


def test_tls_is_always_verified(tmp_path: Path) -> None:
    import ssl

    settings = parse_settings(_data())
    with make_http_client(settings) as http:
        context = http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    # a CA bundle adds a trusted root; verification stays on
    import subprocess

    key, cert = tmp_path / "ca.key", tmp_path / "ca.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=Gemeente Test CA"],
        capture_output=True,
    )
    if made.returncode != 0:
        pytest.skip("openssl not available")
    settings = parse_settings(_data(ca_bundle=str(cert)))
    with make_http_client(settings) as http:
        context = http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        assert any("Gemeente Test CA" in str(c.get("subject")) for c in context.get_ca_certs())
