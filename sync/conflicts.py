"""Resolving a sync conflict: the wijkcoach chooses the local or the central value.

A conflict (see :mod:`sync.engine`) keeps the local value in the dossier and the central
one in the vault's sync state. :func:`resolve_conflict` applies the choice, saves the
dossier (which queues a change, so the choice reaches the central system on the next
run) and only then removes the conflict; when none is left, the caseload's conflict flag
clears. If the save succeeds and the removal does not (a crash in between), the conflict
is simply offered again: choosing twice is harmless, losing a value is not.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal
from uuid import UUID

from pydantic import ValidationError

from forms.models import Dossier
from forms.paths import MISSING, parse_path, set_at
from storage.syncstate import ConflictRecord
from storage.vault import Vault

__all__ = ["Choice", "InvalidChoice", "resolve_conflict", "conflict_values"]

Choice = Literal["lokaal", "centraal"]


class InvalidChoice(ValueError):
    """The choice cannot be applied; ``melding`` says why, in Dutch."""

    def __init__(self, detail: str, melding: str) -> None:
        super().__init__(detail)
        self.melding = melding


def conflict_values(conflict: ConflictRecord) -> tuple[Any, Any]:
    """(local, central) with :data:`forms.paths.MISSING` for a deleted value."""
    return (
        conflict.local if conflict.local_present else MISSING,
        conflict.remote if conflict.remote_present else MISSING,
    )


def resolve_conflict(vault: Vault, dossier_id: UUID, path: str, choose: Choice) -> Dossier:
    """Apply the wijkcoach's choice for one conflict; returns the saved dossier."""
    if choose not in ("lokaal", "centraal"):
        raise ValueError("choose must be 'lokaal' or 'centraal'")
    state = vault.get_sync_state(dossier_id)
    conflict = next((c for c in state.conflicts if c.path == path), None)
    if conflict is None:
        raise KeyError(path)
    dossier = vault.load(dossier_id)
    if choose == "centraal":
        if dossier.definitief is not None:
            raise InvalidChoice(
                "a final dossier cannot take a central value",
                "Dit dossier is definitief en verandert niet meer. Maak eerst een nieuwe versie "
                "en neem de waarde van de gemeente daarin over.",
            )
        _, remote = conflict_values(conflict)
        try:
            data = set_at(dossier.model_dump(mode="json"), parse_path(path), remote)
            dossier = Dossier.model_validate(data)
        except KeyError:
            raise InvalidChoice(
                "the conflict's place no longer exists locally",
                "Dit onderdeel bestaat niet meer in het dossier; de waarde van de gemeente kan er "
                "niet in worden gezet.",
            ) from None
        except ValidationError:
            raise InvalidChoice(
                "the central value breaks a rule of the dossier",
                "De waarde van de gemeente past hier niet bij de rest van het dossier. Kies eerst "
                "bij de andere verschillen in dit onderdeel.",
            ) from None
    vault.save(dossier)
    current = vault.get_sync_state(dossier_id)
    vault.set_sync_state(replace(current, conflicts=tuple(c for c in current.conflicts if c.path != path)))
    return dossier
