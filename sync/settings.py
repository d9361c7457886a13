"""Sync settings: imported from the municipality's JSON file, kept in the vault.

The municipality's functioneel beheerder hands each wijkcoach a JSON file with the
API roots, the client id and secret (ZGW JWT, HS256), the catalogue URLs and the
wijkcoach's medewerker-identificatie. :func:`import_settings` checks it and reports
problems in Dutch, naming the field; :func:`save_settings` keeps it in the vault
(setting ``"sync"``), secret included -- the vault is encrypted, and nothing is
written anywhere else. :func:`load_settings` reads it back.

The file uses the field names of :class:`SyncSettings`; keys starting with ``_`` are
comments and ignored, any other unknown key is refused (a typo must not silently fall
back to a default).

Vertrouwelijkheidaanduiding: the default is ``zeer_geheim``. The dossier holds
child-safety assessments, Meldcode deliberations and possibly a Veilig Thuis report
(whose melder must stay protected). Under ZGW authorisation a client or user only sees
documents up to its ``maxVertrouwelijkheidaanduiding``, so the strictest level means
nobody reads them by accident; a municipality that has granted its team leaders lower
levels lowers it in the file. Too strict is recoverable (someone asks for access), too
loose is not.

Transport security: TLS verification is always on (``ca_bundle`` only adds a trusted
root, it never switches checking off), and the API roots must be ``https://`` -- plain
``http://`` is accepted only for loopback addresses (the test server).
"""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from forms.validators import check_rsin

from .errors import SettingsError

__all__ = [
    "SETTINGS_KEY",
    "Vertrouwelijkheid",
    "SyncSettings",
    "import_settings",
    "parse_settings",
    "save_settings",
    "load_settings",
]

#: The vault setting that holds the sync settings.
SETTINGS_KEY = "sync"

Vertrouwelijkheid = Literal[
    "openbaar",
    "beperkt_openbaar",
    "intern",
    "zaakvertrouwelijk",
    "vertrouwelijk",
    "confidentieel",
    "geheim",
    "zeer_geheim",
]

_LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _api_url(value: str) -> str:
    """An absolute http(s) URL; https unless the host is loopback. Trailing '/' removed."""
    from pydantic_core import PydanticCustomError

    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PydanticCustomError("sync_url", "Dit is geen volledig webadres (https://…).")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise PydanticCustomError(
            "sync_url_https", "Dit adres moet met https:// beginnen (een beveiligde verbinding)."
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise PydanticCustomError("sync_url", "Dit webadres mag geen ?, # of inloggegevens bevatten.")
    return text.rstrip("/")


ApiUrl = Annotated[str, Field(max_length=1000), AfterValidator(_api_url)]


def _rsin(value: str) -> str:
    return check_rsin(value)


class SyncSettings(BaseModel):
    """Everything the sync needs to talk to the municipality's ZGW APIs."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    zaken_root: ApiUrl
    documenten_root: ApiUrl
    catalogi_root: ApiUrl
    client_id: Annotated[str, Field(min_length=1, max_length=200)]
    secret: SecretStr
    bronorganisatie: Annotated[str, AfterValidator(_rsin)]
    zaaktype: ApiUrl
    informatieobjecttype_dossier: ApiUrl
    informatieobjecttype_verslag: ApiUrl
    statustype_gestart: ApiUrl
    statustype_ondertekend: ApiUrl
    roltype_behandelaar: ApiUrl
    #: The wijkcoach's medewerker identificatie in the municipality's systems (ZGW: <= 24).
    medewerker_identificatie: Annotated[str, Field(min_length=1, max_length=24)]
    #: How the wijkcoach appears in the server's audit trail (JWT ``user_representation``).
    user_representation: Annotated[str, Field(min_length=1, max_length=200)]
    vertrouwelijkheidaanduiding: Vertrouwelijkheid = "zeer_geheim"
    #: Extra trusted root certificates (PEM), e.g. the municipality's own CA. Optional.
    ca_bundle: Path | None = None

    @field_validator("secret")
    @classmethod
    def _secret_not_empty(cls, value: SecretStr) -> SecretStr:
        from pydantic_core import PydanticCustomError

        if len(value.get_secret_value().strip()) < 16:
            raise PydanticCustomError("sync_secret", "Het geheim is te kort (minstens 16 tekens).")
        return value

    @field_validator("ca_bundle")
    @classmethod
    def _bundle_exists(cls, value: Path | None) -> Path | None:
        from pydantic_core import PydanticCustomError

        if value is not None and not Path(value).expanduser().is_file():
            raise PydanticCustomError("sync_ca_bundle", "Het certificaatbestand is niet gevonden.")
        return None if value is None else Path(value).expanduser()

    def to_storable(self) -> dict[str, Any]:
        """A JSON-ready dict *with* the secret, for the encrypted vault only."""
        data = self.model_dump(mode="json")
        data["secret"] = self.secret.get_secret_value()
        return data

    @property
    def roots(self) -> tuple[str, str, str]:
        return (self.zaken_root, self.documenten_root, self.catalogi_root)


def _dutch(error: ValidationError) -> str:
    """One Dutch sentence per problem, naming the field; never quoting the value."""
    lines: list[str] = []
    for item in error.errors():
        field = ".".join(str(p) for p in item["loc"]) or "(bestand)"
        kind = item["type"]
        if kind == "missing":
            text = "dit veld ontbreekt"
        elif kind == "extra_forbidden":
            text = "dit veld is onbekend (tikfout?)"
        elif kind.startswith(("sync_", "rsin_")):
            text = item["msg"][0].lower() + item["msg"][1:]
        elif kind == "literal_error":
            text = "deze waarde is niet toegestaan"
        elif kind in ("string_too_long", "string_too_short"):
            text = "de lengte van deze waarde klopt niet"
        elif kind in ("string_type", "path_type"):
            text = "hier hoort tekst"
        else:
            text = "deze waarde is ongeldig"
        lines.append(f"Veld '{field}': {text}.")
    return " ".join(lines)


def parse_settings(data: Any) -> SyncSettings:
    """Validate a settings dict; :class:`SettingsError` with a Dutch ``melding`` if wrong."""
    if not isinstance(data, dict):
        raise SettingsError(
            "settings are not a JSON object",
            melding="Het instellingenbestand moet één JSON-object bevatten.",
        )
    cleaned = {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("_"))}
    try:
        return SyncSettings.model_validate(cleaned)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
        raise SettingsError(
            f"invalid sync settings: {fields}",
            melding="Het instellingenbestand klopt niet. " + _dutch(exc),
        ) from None


def import_settings(json_path: str | os.PathLike[str]) -> SyncSettings:
    """Read and check the municipality's settings file (UTF-8 JSON, a BOM is accepted)."""
    path = Path(json_path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SettingsError(
            "settings file not found", melding="Het instellingenbestand is niet gevonden."
        ) from None
    except (OSError, UnicodeDecodeError):
        raise SettingsError(
            "settings file unreadable",
            melding="Het instellingenbestand kan niet worden gelezen (is het een JSON-bestand?).",
        ) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SettingsError(
            f"settings file is not JSON (line {getattr(exc, 'lineno', '?')})",
            melding=(
                "Het instellingenbestand is geen geldige JSON "
                f"(regel {getattr(exc, 'lineno', '?')})."
            ),
        ) from None
    return parse_settings(data)


def save_settings(vault: Any, settings: SyncSettings) -> None:
    """Keep the settings (with the secret) in the encrypted vault."""
    vault.set_setting(SETTINGS_KEY, settings.to_storable())


def load_settings(vault: Any) -> SyncSettings | None:
    """The stored settings, or None when the sync was never set up."""
    data = vault.get_setting(SETTINGS_KEY)
    if data is None:
        return None
    return parse_settings(data)
