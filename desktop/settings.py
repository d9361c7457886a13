"""The installation's settings in the vault: the one place that reads and writes them.

No Qt here; every function takes the vault and runs on the vault thread::

    tasks.run_db(load_verslag_settings, on_done=...)

- ``"verslag"``: the letterhead and choices of the gesprek-adviesverslag, a JSON object
  with the fields of :class:`forms.verslag.VerslagSettings`. The workspace reads it once
  when it opens and carries it in ``StepContext.verslag``: the Ondertekenen preview and
  the finalise both build the PDF with that same value, so what is shown is what is
  stored. The wijkcoach's name is also kept in the vault's ``"wijkcoach"`` setting,
  which storage uses as the user in the audit log.
- ``"vergrendelen_na_minuten"``: the idle time before the lock (read by ``desktop.app``).
- ``"sync"``: owned by :mod:`sync.settings`; :func:`load_snapshot` passes on only what
  the settings screen shows (:class:`SyncSummary`), never the secret.
"""

from __future__ import annotations

import math
from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # forms.verslag pulls in reportlab: imported when first needed
    from forms.verslag import VerslagSettings
    from storage import Vault
    from sync import SyncSettings

__all__ = [
    "VERSLAG_SETTING",
    "WIJKCOACH_SETTING",
    "IDLE_SETTING",
    "DEFAULT_IDLE_MINUTES",
    "MIN_IDLE_MINUTES",
    "MAX_IDLE_MINUTES",
    "MAX_TEXT",
    "load_verslag_settings",
    "save_verslag_settings",
    "load_idle_minutes",
    "save_idle_minutes",
    "SyncSummary",
    "SettingsSnapshot",
    "load_snapshot",
    "import_sync_settings",
]

VERSLAG_SETTING = "verslag"
WIJKCOACH_SETTING = "wijkcoach"  # storage: the audit log's user name
IDLE_SETTING = "vergrendelen_na_minuten"
DEFAULT_IDLE_MINUTES = 5.0
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 60
MAX_TEXT = 200  # a letterhead line


def load_verslag_settings(vault: Vault) -> VerslagSettings:
    """The stored verslag settings; a missing or unusable field keeps its default."""
    from forms.verslag import VerslagSettings

    defaults = VerslagSettings()
    names = {f.name for f in fields(VerslagSettings)}
    data = vault.get_setting(VERSLAG_SETTING, None)
    values: dict[str, Any] = {}
    if isinstance(data, dict):
        for name, value in data.items():
            if name not in names:
                continue
            default = getattr(defaults, name)
            if isinstance(default, bool):
                if isinstance(value, bool):
                    values[name] = value
            elif isinstance(value, str):
                text = " ".join(value.split())[:MAX_TEXT]
                if text or not default:  # a required line (gemeente, team) never goes blank
                    values[name] = text
    settings = VerslagSettings(**values)
    if not settings.wijkcoach:
        name = vault.get_setting(WIJKCOACH_SETTING, None)
        if isinstance(name, str) and name.strip():
            settings = VerslagSettings(**{**asdict(settings), "wijkcoach": " ".join(name.split())[:MAX_TEXT]})
    return settings


def save_verslag_settings(vault: Vault, settings: VerslagSettings) -> None:
    """Keep the verslag settings; the wijkcoach's name also becomes the audit log's user."""
    vault.set_setting(VERSLAG_SETTING, asdict(settings))
    vault.set_setting(WIJKCOACH_SETTING, settings.wijkcoach.strip() or None)  # None: removed


def load_idle_minutes(vault: Vault) -> float:
    """Minutes without input before the lock; the default when unset or unusable."""
    value = vault.get_setting(IDLE_SETTING, None)
    try:
        minutes = float(value) if value is not None and not isinstance(value, bool) else DEFAULT_IDLE_MINUTES
    except (TypeError, ValueError):
        return DEFAULT_IDLE_MINUTES
    return minutes if math.isfinite(minutes) and minutes > 0 else DEFAULT_IDLE_MINUTES


def save_idle_minutes(vault: Vault, minutes: int) -> None:
    if not MIN_IDLE_MINUTES <= minutes <= MAX_IDLE_MINUTES:
        raise ValueError(f"idle minutes must be {MIN_IDLE_MINUTES}..{MAX_IDLE_MINUTES}")
    vault.set_setting(IDLE_SETTING, int(minutes))


class SyncSummary(NamedTuple):
    """What the settings screen shows of the sync settings: no secret, ever."""

    zaken_root: str
    documenten_root: str
    catalogi_root: str
    client_id: str
    bronorganisatie: str

    @classmethod
    def of(cls, settings: SyncSettings) -> SyncSummary:
        return cls(*(getattr(settings, name) for name in cls._fields))


class SettingsSnapshot(NamedTuple):
    verslag: VerslagSettings
    idle_minutes: float
    sync: SyncSummary | None  # None: never set up (or unusable, see sync_problem)
    sync_problem: str = ""  # Dutch, when the stored sync settings do not validate


def load_snapshot(vault: Vault) -> SettingsSnapshot:
    """Everything the settings screen shows, read in one vault job."""
    from sync.errors import SettingsError
    from sync.settings import load_settings

    problem = ""
    try:
        stored = load_settings(vault)
    except SettingsError as exc:
        stored, problem = None, exc.melding
    summary = SyncSummary.of(stored) if stored is not None else None
    return SettingsSnapshot(load_verslag_settings(vault), load_idle_minutes(vault), summary, problem)


def import_sync_settings(vault: Vault, path: str) -> SyncSummary:
    """Check the municipality's JSON file and keep it in the vault (``sync.SettingsError`` if wrong)."""
    from sync.settings import import_settings, save_settings

    settings = import_settings(path)
    save_settings(vault, settings)
    return SyncSummary.of(settings)
