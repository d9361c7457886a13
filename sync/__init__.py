"""Sync with the municipality's zaaksysteem through the standard ZGW APIs. No Qt.

::

    settings = sync.import_settings(path)           # the municipality's JSON file
    sync.save_settings(vault, settings)             # kept in the vault, secret included
    with sync.ZGWClient(settings) as client:
        report = sync.SyncEngine(vault, client).run()   # push, pull, merge; never raises
        # or sync.run(vault, client, on_changed=callback)
    report.ok, report.melding                        # Dutch text for the indicator
    report.changed                                   # dossier ids the run replaced locally
    vault.conflicts(dossier_id)                      # open conflicts, both values kept
    sync.is_pdf_only(vault.load_version(id, v).dossier_json)  # pulled: only the verslag known
    sync.resolve_conflict(vault, dossier_id, path, "lokaal" | "centraal")

Modules: :mod:`sync.errors` (the exception tree and the one HTTP mapping),
:mod:`sync.settings`, :mod:`sync.client` (the HTTP calls), :mod:`sync.keys` (stable
identificaties, canonical JSON), :mod:`forms.merge` (the pure three-way merge, shared with the desktop),
:mod:`sync.engine` (the run, over its parts :mod:`sync.push`, :mod:`sync.pull`,
:mod:`sync.documents`, :mod:`sync.versions`, :mod:`sync.status`, :mod:`sync.cleanup`,
:mod:`sync.local`, sharing :mod:`sync.context`; :mod:`sync.report`),
:mod:`sync.conflicts` (the wijkcoach's choice).
"""

from .client import DEFAULT_TIMEOUT, ZGWClient, make_http_client
from .conflicts import InvalidChoice, resolve_conflict
from .engine import SyncEngine, SyncOptions, SyncReport, run
from .errors import (
    AuthRejected,
    Conflict,
    HeadersRejected,
    NotFound,
    NotPermitted,
    ProtocolError,
    Rejected,
    RequestRejected,
    SettingsError,
    SyncError,
    Unavailable,
)
from .keys import is_pdf_only
from .settings import SyncSettings, import_settings, load_settings, save_settings

__all__ = [
    # running
    "SyncEngine",
    "SyncOptions",
    "SyncReport",
    "run",
    "ZGWClient",
    "make_http_client",
    "DEFAULT_TIMEOUT",
    # settings
    "SyncSettings",
    "import_settings",
    "load_settings",
    "save_settings",
    # conflicts
    "resolve_conflict",
    "InvalidChoice",
    # stored versions
    "is_pdf_only",
    # errors
    "SyncError",
    "Unavailable",
    "Rejected",
    "AuthRejected",
    "HeadersRejected",
    "RequestRejected",
    "NotFound",
    "NotPermitted",
    "SettingsError",
    "ProtocolError",
    "Conflict",
]
