"""Sync settings: the municipality's JSON file, Dutch messages naming the field, kept in the vault."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import storage
from sync import SettingsError, import_settings, load_settings, save_settings
from sync.client import make_http_client
from sync.settings import parse_settings

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
        "statustype_evaluatie": f"{base}/catalogi/api/v1/statustypen/3",
        "statustype_afgesloten": f"{base}/catalogi/api/v1/statustypen/4",
        "resultaattypen": {"zelfstandig_verder": f"{base}/catalogi/api/v1/resultaattypen/1"},
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


def _old_shape() -> dict[str, Any]:
    """A file as sync/README.md described it before issue 10: statustype_ondertekend was
    the zaaktype's eindstatus; no evaluatie, afgesloten or resultaattypen."""
    data = _data()
    eind = data["statustype_afgesloten"]
    for name in ("statustype_evaluatie", "statustype_afgesloten", "resultaattypen"):
        del data[name]
    data["statustype_ondertekend"] = eind
    return data


def test_a_file_in_the_old_shape_says_what_the_beheerder_must_change(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        import_settings(_file(tmp_path, _old_shape()))
    melding = info.value.melding
    assert "oude vorm" in melding and "eindstatus" in melding
    # the old eindstatus moved to statustype_afgesloten; what is missing is named
    for name in ("statustype_ondertekend", "statustype_evaluatie", "resultaattypen"):
        assert f"'{name}': dit veld ontbreekt" in melding, name
    assert "'statustype_afgesloten'" not in melding
    assert "old shape" in str(info.value)


def test_old_settings_kept_in_a_vault_are_migrated_on_load(tmp_path: Path) -> None:
    from sync.settings import migrate_settings

    vault = storage.create_vault(tmp_path / "kluis.db", PASSPHRASE)
    try:
        old = _old_shape()
        vault.set_setting("sync", old)  # what save_settings stored before issue 10
        with pytest.raises(SettingsError) as info:
            load_settings(vault)
        assert "oude vorm" in info.value.melding
        migrated, was_old = migrate_settings(old)
        assert was_old and migrated["statustype_afgesloten"] == old["statustype_ondertekend"]
        assert "statustype_ondertekend" not in migrated
        # completed by the beheerder's new file: loads, and the eindstatus stays apart
        vault.set_setting("sync", _data())
        settings = load_settings(vault)
        assert settings is not None and settings.statustype_afgesloten != settings.statustype_ondertekend
    finally:
        vault.close()


def test_the_eindstatus_is_not_an_ordinary_status(tmp_path: Path) -> None:
    data = _data()
    data["statustype_ondertekend"] = data["statustype_afgesloten"]
    with pytest.raises(SettingsError) as info:
        import_settings(_file(tmp_path, data))
    assert "statustype_afgesloten" in info.value.melding and "eindstatus" in info.value.melding
    with pytest.raises(SettingsError) as info:
        import_settings(_file(tmp_path, _data(resultaattypen={})))
    assert "'resultaattypen'" in info.value.melding
