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

Statustypen follow the household's trajectory: ``statustype_gestart`` (first gesprek
started), ``statustype_ondertekend`` (intake verslag signed: an ordinary status, the zaak
stays open), ``statustype_evaluatie`` and ``statustype_afgesloten`` (the zaaktype's
eindstatus, set only at closure, after a resultaat of one of ``resultaattypen``: Open Zaak
refuses an eindstatus on a zaak without resultaat). A file in the old shape (before issue
10) had no evaluatie/afgesloten/resultaattypen and documented ``statustype_ondertekend`` as
the eindstatus: :func:`migrate_settings` moves that value to ``statustype_afgesloten``, and
the Dutch message then names what the functioneel beheerder must add.

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
    model_validator,
)

from forms.validators import check_rsin

from .errors import SettingsError

__all__ = [
    "SETTINGS_KEY",
    "Vertrouwelijkheid",
    "SyncSettings",
    "import_settings",
    "parse_settings",
    "migrate_settings",
    "OLD_SHAPE_MELDING",
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


ResultaatKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


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
    #: "Gesprek gestart": the first status of a new zaak.
    statustype_gestart: ApiUrl
    #: "Verslag ondertekend" (intake): an ordinary status, NOT the eindstatus.
    statustype_ondertekend: ApiUrl
    #: "Evaluatie": an ordinary status (the trajectory's evaluations).
    statustype_evaluatie: ApiUrl
    #: "Afgesloten": the zaaktype's eindstatus, set only at closure after a resultaat.
    statustype_afgesloten: ApiUrl
    #: Resultaattypen of the zaaktype by closure reason, e.g. ``zelfstandig_verder``,
    #: ``overgedragen``, ``opgeschaald`` (at least one).
    resultaattypen: Annotated[dict[ResultaatKey, ApiUrl], Field(min_length=1, max_length=20)]
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

    @model_validator(mode="after")
    def _eindstatus_only_at_closure(self) -> SyncSettings:
        from pydantic_core import PydanticCustomError

        others = (self.statustype_gestart, self.statustype_ondertekend, self.statustype_evaluatie)
        if self.statustype_afgesloten in others:
            raise PydanticCustomError(
                "sync_eindstatus",
                "‘statustype_afgesloten’ (de eindstatus) moet een ander statustype zijn dan "
                "gestart, ondertekend en evaluatie.",
            )
        return self

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


_NEW_FIELDS = ("statustype_evaluatie", "statustype_afgesloten", "resultaattypen")

OLD_SHAPE_MELDING = (
    "Deze synchronisatie-instellingen hebben nog de oude vorm. Daarin was "
    "‘statustype_ondertekend’ de eindstatus van het zaaktype; die waarde staat nu bij "
    "‘statustype_afgesloten’ (de eindstatus wordt pas bij het afsluiten gezet, na een "
    "resultaat). De functioneel beheerder moet een nieuw instellingenbestand maken met: "
    "‘statustype_ondertekend’ (een gewone status, niet de eindstatus), "
    "‘statustype_evaluatie’ en ‘resultaattypen’ (resultaattypen van het zaaktype). Tot dan "
    "worden wijzigingen hier bewaard en niet verstuurd."
)


def migrate_settings(data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Bring settings of the old shape to the current one; returns (data, was_old).

    Old shape: ``statustype_ondertekend`` was the eindstatus and there was no
    ``statustype_evaluatie``, ``statustype_afgesloten`` or ``resultaattypen``. Its value
    moves to ``statustype_afgesloten``; ``statustype_ondertekend`` is then missing (an
    ordinary status must be configured; reusing the eindstatus would be refused by the
    zaaksysteem)."""
    if not any(name in data for name in _NEW_FIELDS) and "statustype_ondertekend" in data:
        migrated = dict(data)
        migrated["statustype_afgesloten"] = migrated.pop("statustype_ondertekend")
        return migrated, True
    return data, False


def parse_settings(data: Any) -> SyncSettings:
    """Validate a settings dict; :class:`SettingsError` with a Dutch ``melding`` if wrong.

    Settings of the old shape are migrated first (:func:`migrate_settings`); what they
    lack is then named with :data:`OLD_SHAPE_MELDING`."""
    if not isinstance(data, dict):
        raise SettingsError(
            "settings are not a JSON object",
            melding="Het instellingenbestand moet één JSON-object bevatten.",
        )
    cleaned = {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("_"))}
    cleaned, old = migrate_settings(cleaned)
    try:
        return SyncSettings.model_validate(cleaned)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
        melding = "Het instellingenbestand klopt niet. " + _dutch(exc)
        if old:
            melding = OLD_SHAPE_MELDING + " " + _dutch(exc)
        raise SettingsError(
            f"invalid sync settings: {fields}" + (" (old shape: statustype_ondertekend was the eindstatus)" if old else ""),
            melding=melding,
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
