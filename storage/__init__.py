"""The encrypted vault (SQLCipher): dossiers, audit log, change queue, settings, versions.

The narrow interface the rest of the application uses::

    vault = storage.open_vault(storage.default_vault_path(), passphrase)
    summary = vault.save(dossier)
    dossier = vault.load(dossier_id)
    dossier, revision = vault.load_revision(dossier_id)
    vault.save(dossier, expected=revision)   # StaleDossier if it changed meanwhile
    rows = vault.list_dossiers()
    vault.close()

Design notes (encryption, durability, threads) are in :mod:`storage.vault`; the growing
delay after wrong passphrases in :mod:`storage.throttle`; the schema in
:mod:`storage.schema`. No Qt here.
"""

from . import errors
from .errors import *  # noqa: F403  the exception tree; its names are errors.__all__
from .records import AuditEntry, DossierListing, HistoryEntry, QueuedChange, StoredVersion
from .schema import Migration
from .vault import (
    ENV_VAULT,
    MIN_PASSPHRASE_LENGTH,
    VAULT_FILE_NAME,
    Vault,
    create_vault,
    default_vault_path,
    open_vault,
    unlock_delay,
)

__all__ = [
    # opening
    "create_vault",
    "open_vault",
    "default_vault_path",
    "unlock_delay",
    "Vault",
    "MIN_PASSPHRASE_LENGTH",
    "VAULT_FILE_NAME",
    "ENV_VAULT",
    # records
    "DossierListing",
    "AuditEntry",
    "HistoryEntry",
    "QueuedChange",
    "StoredVersion",
    "Migration",
]
__all__ += errors.__all__  # the exception tree, listed once, in storage.errors
