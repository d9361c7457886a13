"""The vault's exception tree, and the one place where SQLCipher errors are mapped onto it.

Every exception has two faces:

- ``str(exc)``: a precise English description for developers and log files;
- ``exc.melding``: a Dutch sentence the desktop can show the wijkcoach as is.

Neither ever contains personal data: no dossier content, no names, no passphrase and no
full file path (a home directory path carries the OS login name). Database errors are
translated in :func:`translate_errors`; SQLite's own messages name tables, columns and
constraints, never values, so they are safe to keep as the English detail.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import sqlcipher3

__all__ = [
    "VaultError",
    "WrongPassphrase",
    "WeakPassphrase",
    "VaultNotFound",
    "VaultExists",
    "VaultCorrupt",
    "VaultDamaged",
    "VaultTooNew",
    "VaultClosed",
    "VaultBusy",
    "VaultStorageError",
    "DossierNotFound",
    "ImmutableVersion",
    "InvalidDossier",
    "StaleDossier",
]  # storage re-exports exactly these; translate_errors is the package's own plumbing


class VaultError(Exception):
    """Base of every error the vault raises."""

    melding: str = "Er ging iets mis met de kluis."

    def __init__(self, detail: str = "", *, melding: str | None = None) -> None:
        super().__init__(detail or type(self).__doc__ or type(self).__name__)
        if melding is not None:
            self.melding = melding


class WrongPassphrase(VaultError):
    """The passphrase does not open this vault (or the file is not a vault; see open_vault)."""

    melding = "Het wachtwoord klopt niet."

    def __init__(self, detail: str = "", *, wait_seconds: float = 0.0, melding: str | None = None) -> None:
        super().__init__(detail, melding=melding)
        #: How long the next attempt will be held back (the growing delay), for the UI.
        self.wait_seconds = wait_seconds


class WeakPassphrase(VaultError):
    """The new passphrase is too short or has a form the vault refuses."""

    melding = "Kies een wachtwoord van minstens 12 tekens."


class VaultNotFound(VaultError):
    """There is no vault file at the given path."""

    melding = "Er is op deze plek geen kluis gevonden."


class VaultExists(VaultError):
    """A vault (or a leftover file of one) already exists at the given path."""

    melding = "Op deze plek staat al een kluis."


class VaultCorrupt(VaultError):
    """The file is damaged, truncated, or not a Keukentafel vault."""

    melding = (
        "De kluis is beschadigd of is geen Keukentafel-kluis. "
        "Neem contact op met de functioneel beheerder."
    )


def damaged_melding(*, file_name: str, copy_name: str | None, header: bool, at_open: bool) -> str:
    """The Dutch sentence for a damaged vault: what happened, what was done, what to do."""
    if header:
        what = "Het wachtwoord is goed, maar het begin van het kluisbestand is beschadigd."
    elif at_open:
        what = "De kluis is beschadigd: een deel van het kluisbestand is onleesbaar geworden."
    else:
        what = "Een deel van de kluis is beschadigd en kan niet worden gelezen."
    if at_open:
        done = "Keukentafel heeft de kluis daarom niet geopend en er niets in veranderd."
    else:
        done = "Keukentafel schrijft niets meer in deze kluis. Sluit Keukentafel af."
    if copy_name:
        copy = (
            f"Er is een kopie van het beschadigde bestand bewaard als ‘{copy_name}’, in dezelfde "
            "map als de kluis (versleuteld, zoals het was)."
        )
    else:
        copy = (
            f"Er kon geen kopie worden gemaakt: maak zelf een kopie van het bestand ‘{file_name}’ "
            "voordat u iets anders doet."
        )
    todo = (
        "Neem contact op met de functioneel beheerder: die kan de dossiers herstellen uit het "
        "zaaksysteem. Wat sinds de laatste synchronisatie is ingevoerd, staat alleen in dit "
        "bestand; gooi het dus niet weg."
    )
    return " ".join((what, done, copy, todo))


class VaultDamaged(VaultCorrupt):
    """The vault file is damaged: pages fail SQLCipher's HMAC check (or the database is malformed).

    Raised by ``open_vault`` before anything is written (the vault is not opened), and by
    an open vault that meets a damaged page (it then refuses every further write).
    ``pages`` are the damaged page numbers where known (1 is the header page), ``header``
    says the passphrase is right but the first page is damaged, ``copy_name`` is the file
    name of the copy kept beside the vault (None if none could be made).
    """

    melding = (
        "Een deel van de kluis is beschadigd en kan niet worden gelezen. Keukentafel schrijft "
        "niets meer in deze kluis. Sluit Keukentafel af en neem contact op met de functioneel "
        "beheerder: die kan de dossiers herstellen uit het zaaksysteem."
    )

    def __init__(
        self,
        detail: str = "",
        *,
        melding: str | None = None,
        pages: tuple[int, ...] = (),
        header: bool = False,
        copy_name: str | None = None,
    ) -> None:
        super().__init__(detail, melding=melding)
        self.pages = tuple(pages)
        self.header = header
        self.copy_name = copy_name


class VaultTooNew(VaultError):
    """The vault was written by a newer Keukentafel (a schema version this code does not know)."""

    melding = (
        "Deze kluis is gemaakt met een nieuwere versie van Keukentafel. Werk Keukentafel bij."
    )


class VaultClosed(VaultError):
    """The vault was closed (locked); it never reopens by itself."""

    melding = "De kluis is vergrendeld. Ontgrendel de kluis opnieuw."


class VaultBusy(VaultError):
    """Another connection holds a lock on the vault for too long."""

    melding = (
        "De kluis is bezet, bijvoorbeeld omdat Keukentafel al in een ander venster openstaat. "
        "Probeer het zo opnieuw."
    )


class VaultStorageError(VaultError):
    """The disk refused: full, read-only, gone, or an I/O error."""

    melding = (
        "De kluis kan niet worden opgeslagen: de schijf is vol, alleen-lezen of niet bereikbaar."
    )


class DossierNotFound(VaultError):
    """No dossier (or no stored version) with this id."""

    melding = "Dit dossier staat niet in de kluis."


class ImmutableVersion(VaultError):
    """A finalised version was stored already with different content; it cannot change."""

    melding = "Een definitieve versie kan niet meer worden gewijzigd."


class InvalidDossier(VaultError):
    """The dossier breaks a storage invariant (forms.invariants): stored like this it would
    not load again, or a final dossier no longer matches its hash. Nothing was written.

    ``problems`` are the :class:`forms.Problem`s (code, Dutch message, location), for a
    screen that shows them where they are fixed; ``meldingen`` the Dutch messages without
    names, and ``melding`` all of them in one sentence. ``str(exc)`` names the error
    codes and field paths only.
    """

    melding = "Dit dossier kan zo niet worden opgeslagen."

    def __init__(self, problems: list[Any]) -> None:
        self.problems = list(problems)
        self.codes = [p.code for p in self.problems]
        self.meldingen: list[str] = []
        for p in self.problems:
            if p.anoniem not in self.meldingen:
                self.meldingen.append(p.anoniem)
        where = sorted({".".join(map(str, p.loc)) or "<dossier>" for p in self.problems})[:5]
        super().__init__(
            f"dossier breaks a storage invariant: {', '.join(sorted(set(self.codes)))} at {where}",
            melding=(
                "Dit dossier is niet opgeslagen, want zo zou het niet meer te openen zijn: "
                + " ".join(self.meldingen)
                + " Wat al was opgeslagen, is niet veranderd."
            ),
        )


class StaleDossier(VaultError):
    """The stored dossier is not the revision the writer based its change on (a save with
    ``expected``, or the sync's ``apply_remote``); nothing was written.

    ``dossier_id`` is the dossier's id, ``revision`` the revision stored now (the SHA-256
    of its stored JSON), or None when the dossier is not stored at all.
    """

    melding = (
        "Dit dossier is intussen ergens anders gewijzigd, bijvoorbeeld in een ander venster of "
        "door de synchronisatie. Uw laatste wijziging is daarom niet opgeslagen; wat al was "
        "opgeslagen, is niet veranderd. Open het dossier opnieuw om verder te gaan."
    )

    def __init__(
        self,
        dossier_id: UUID | str,
        *,
        revision: str | None = None,
        melding: str | None = None,
        detail: str = "",
    ) -> None:
        self.dossier_id = dossier_id if isinstance(dossier_id, UUID) else UUID(str(dossier_id))
        self.revision = revision
        stored = "not stored" if revision is None else f"stored revision {revision[:12]}…"
        super().__init__(detail or f"dossier {self.dossier_id} changed meanwhile ({stored})", melding=melding)


def _classify(exc: sqlcipher3.Error) -> type[VaultError]:
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if isinstance(exc, sqlcipher3.ProgrammingError) and "closed" in text:
        return VaultClosed
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        # on an open vault (the key was right) this is a page that fails its HMAC check
        return VaultDamaged
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return VaultBusy
    if name.startswith(
        ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")
    ):
        return VaultStorageError
    if "immutable" in text:  # our triggers' RAISE(ABORT, 'immutable: …')
        return ImmutableVersion
    return VaultError


@contextmanager
def translate_errors(action: str) -> Iterator[None]:
    """Map any sqlcipher3 error or OSError raised inside the block onto the :class:`VaultError` tree.

    ``action`` is a short English phrase ("saving a dossier") for the detail text; it must
    not contain personal data. Vault errors raised inside pass through unchanged.
    """
    try:
        yield
    except VaultError:
        raise
    except sqlcipher3.Error as exc:
        kind = _classify(exc)
        name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
        raise kind(f"{action}: {name}: {exc}") from exc
    except MemoryError:
        # SQLCipher reports a page that fails its HMAC check while the pager writes as
        # SQLITE_NOMEM, which Python turns into a bare MemoryError. Inside a vault call a
        # real out-of-memory is far less likely than that; report the damage.
        raise VaultDamaged(f"{action}: SQLITE_NOMEM (SQLCipher's report of a page failing its HMAC)") from None
    except OSError as exc:
        # str(OSError) carries the file name, hence a home folder: report the kind only.
        raise VaultStorageError(
            f"{action}: {type(exc).__name__} (errno {exc.errno}: {exc.strerror})"
        ) from None
