"""Typed errors of the forms package: a precise English message for logs and tests,
and a Dutch ``melding`` the wijkcoach (or the municipality's beheerder) can act on.

None of these messages contain dossier content: they name files, definition ids,
field paths and rule codes only, so they are safe in log files and crash output.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .rules import Gap

__all__ = [
    "KeukentafelError",
    "DefinitionError",
    "UnknownDefinition",
    "IncompleteDossier",
    "AlreadyFinal",
    "NotFinal",
    "TrajectoryClosed",
    "UnsupportedSchema",
]


class KeukentafelError(Exception):
    """Base: ``str(e)`` is English and precise, ``e.melding`` is Dutch."""

    melding: str = "Er ging iets mis."

    def __init__(self, message: str, melding: str | None = None) -> None:
        super().__init__(message)
        if melding is not None:
            self.melding = melding


class DefinitionError(KeukentafelError):
    """A definitions file (or folder) is missing, unreadable or malformed.

    ``bestand`` is the file, ``pad`` the path inside it (e.g. ``domeinen[2].vragen_kinderen[0].van``),
    ``probleem`` what is wrong with it.
    """

    def __init__(
        self,
        probleem: str,
        *,
        bestand: Path | str | None = None,
        pad: str = "",
        melding: str | None = None,
    ) -> None:
        self.bestand = Path(bestand) if bestand is not None else None
        self.pad = pad
        self.probleem = probleem
        where = str(self.bestand) if self.bestand is not None else "definitions"
        if pad:
            where += f": {pad}"
        if melding is None:
            naam = self.bestand.name if self.bestand is not None else "de definities"
            melding = f"Het definitiebestand {naam} klopt niet"
            melding += f" (bij '{pad}')." if pad else "."
            melding += " Vraag de functioneel beheerder het bestand te herstellen."
        super().__init__(f"{where}: {probleem}", melding)


class UnknownDefinition(DefinitionError, LookupError):
    """A dossier refers to a definition id/version that is not loaded."""

    def __init__(self, soort: str, ref_id: str, version: int | None = None) -> None:
        self.soort = soort
        self.ref_id = ref_id
        self.version = version
        label = f"{ref_id} v{version}" if version is not None else ref_id
        super().__init__(
            f"no {soort} definition {label} is loaded",
            melding=(
                f"De definitie '{ref_id}'"
                + (f" versie {version}" if version is not None else "")
                + " is niet geladen. Controleer de map met definities van de gemeente."
            ),
        )


class IncompleteDossier(KeukentafelError):
    """``finalise`` refused: ``gaps`` holds the blocking gaps, in step order."""

    def __init__(self, gaps: Sequence[Gap]) -> None:
        self.gaps = list(gaps)
        codes = ", ".join(sorted({g.code for g in self.gaps}))
        n = len(self.gaps)
        super().__init__(
            f"dossier has {n} blocking gap(s): {codes}",
            f"Het verslag kan nog niet definitief worden: er {'is' if n == 1 else 'zijn'} "
            f"nog {n} blokkerende {'punt' if n == 1 else 'punten'} open.",
        )


class AlreadyFinal(KeukentafelError):
    def __init__(self, versie: int) -> None:
        super().__init__(
            f"version {versie} is already final; call forms.new_version to edit",
            f"Versie {versie} is al definitief. Maak een nieuwe versie om iets te wijzigen.",
        )


class NotFinal(KeukentafelError):
    def __init__(self, versie: int) -> None:
        super().__init__(
            f"version {versie} is not final; there is nothing to start a new version from",
            f"Versie {versie} is nog niet definitief; u kunt er gewoon in verder werken.",
        )


class TrajectoryClosed(KeukentafelError):
    """An evaluatie or afsluiting was started after the trajectory was closed (a finalised
    afsluiting). Help needed again starts with a new intake."""

    def __init__(self, versie: int, soort: str) -> None:
        self.versie = versie
        self.soort = soort
        super().__init__(
            f"version {versie} closed the trajectory; a {soort} cannot follow it (start an intake)",
            "Dit traject is afgesloten. Een evaluatie of afsluiting kan niet meer; is er opnieuw "
            "hulp nodig, begin dan met een nieuwe intake.",
        )


class UnsupportedSchema(KeukentafelError):
    def __init__(self, found: object, current: int) -> None:
        super().__init__(
            f"dossier schema_version {found!r} is not supported (current: {current})",
            "Dit dossier is gemaakt met een andere (nieuwere) versie van Keukentafel "
            "en kan hier niet worden geopend.",
        )
