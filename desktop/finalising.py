"""Making a gesprek final and keeping an immutable copy: the non-Qt half of Ondertekenen.

``forms`` cannot touch storage and ``storage`` should not know reportlab, so the
sequence that joins them lives here, without Qt, and runs on the vault thread::

    tasks.run_db(lambda vault: finalise_and_store(vault, dossier, defs, settings),
                 on_done=lambda result: ..., on_error=...)

The sequence:

1. ``forms.finalise`` (raises ``forms.IncompleteDossier`` before anything is written);
2. ``forms.verslag.build_pdf(final)``: the verslag with the frozen hash in it;
3. ``vault.store_version(id, versie, final.definitief.sha256, final.model_dump_json(), pdf=pdf)``
   — the immutable copy, first: a dossier marked final without its stored copy
   would be the worse half-state;
4. ``vault.save(final)``: the working dossier becomes the final one (read-only in the UI).

Retrying with the *same* final dossier is safe (storing an identical version is a
no-op). If a version with the same content is already stored (an earlier attempt
whose save failed, finalised again later), that stored copy is adopted, so the
printed and the stored verslag can never differ.

A later edit starts ``forms.new_version(final)``; finalising that stores version 2
next to version 1, which stays byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import NamedTuple
from uuid import UUID

import forms
import storage
from forms import Dossier
from forms.summary import Summary
from forms.verslag import VerslagSettings, build_pdf

__all__ = [
    "FinaliseResult",
    "finalise_and_store",
    "prepare_final",
    "store_final",
    "load_version_pdf",
    "verify_stored_version",
    "store_history",
]


class FinaliseResult(NamedTuple):
    """What the vault thread hands back: the final dossier, the PDF's own SHA-256, the summary."""

    final: Dossier
    pdf_sha256: str
    summary: Summary | None = None  # of the saved dossier (for the caseload)


def prepare_final(
    dossier: Dossier,
    definitions: forms.Definitions | None = None,
    settings: VerslagSettings | None = None,
    *,
    now: dt.datetime | None = None,
) -> tuple[Dossier, bytes]:
    """``forms.finalise`` and the verslag of the final copy; nothing is stored.

    Pure (no vault, no Qt): may run on any thread. ``dossier`` itself is not changed.
    """
    final = forms.finalise(dossier, definitions, now=now)
    pdf = build_pdf(final, definitions, settings)
    return final, pdf


def store_final(vault: storage.Vault, final: Dossier, pdf: bytes, *, event: bool = True) -> FinaliseResult:
    """Store the immutable copy of ``final`` with its PDF, then save ``final``. Vault thread only."""
    if final.definitief is None:
        raise forms.NotFinal(final.versie)
    try:
        vault.store_version(final.id, final.versie, final.definitief.sha256, final.model_dump_json(), pdf=pdf)
    except storage.ImmutableVersion:
        stored = vault.load_version(final.id, final.versie)
        if stored.sha256 != final.definitief.sha256 or stored.pdf is None or stored.dossier_json is None:
            raise
        # Same content finalised before (its save did not happen): keep what is stored.
        final = Dossier.model_validate_json(stored.dossier_json)
        pdf = stored.pdf
    summary = vault.save(final)
    if event:
        vault.record_event("finalise", final.id, f"versie={final.versie}")
    return FinaliseResult(final, hashlib.sha256(pdf).hexdigest(), summary)


def finalise_and_store(
    vault: storage.Vault,
    dossier: Dossier,
    definitions: forms.Definitions | None = None,
    settings: VerslagSettings | None = None,
    *,
    now: dt.datetime | None = None,
) -> FinaliseResult:
    """Finalise ``dossier``, build its verslag and keep both in the vault (vault thread).

    Raises ``forms.IncompleteDossier`` while a gap blocks (nothing written then), and
    the vault's errors as they are. The caller's ``dossier`` is left unchanged; use
    ``result.final`` from here on.
    """
    final, pdf = prepare_final(dossier, definitions, settings, now=now)
    return store_final(vault, final, pdf)


def store_history(
    vault: storage.Vault,
    versions: list[Dossier],
    current: Dossier | None = None,
    definitions: forms.Definitions | None = None,
    settings: VerslagSettings | None = None,
) -> Summary | None:
    """Store finalised gesprekken of one household, oldest first, each with its verslag
    (built now from the final copy), then save ``current`` (the gesprek being written) if
    given. For a trajectory made elsewhere: the demo household's history. Vault thread only.
    Returns the summary of the last save."""
    summary = None
    for final in versions:
        summary = store_final(vault, final, build_pdf(final, definitions, settings), event=False).summary
    if current is not None:
        summary = vault.save(current)
    return summary


def load_version_pdf(vault: storage.Vault, dossier_id: UUID, versie: int) -> bytes:
    """The verslag as it was stored with that version: the bytes, not a fresh render."""
    stored = vault.load_version(dossier_id, versie)
    if stored.pdf is None:
        melding = "Bij deze versie is geen verslag bewaard."
        raise storage.DossierNotFound(f"version {versie} has no stored pdf", melding=melding)
    return stored.pdf


def verify_stored_version(vault: storage.Vault, dossier_id: UUID, versie: int) -> bool:
    """True when the stored JSON still hashes to the stored SHA-256 (``forms.verify``).

    False when there is no dossier JSON to check: none stored, or the marker the sync
    stores for a version the central system holds only as a PDF (``sync.is_pdf_only``).
    """
    stored = vault.load_version(dossier_id, versie)
    dossier = stored.dossier()
    if dossier is None:
        return False
    return forms.verify(dossier) and dossier.definitief is not None and dossier.definitief.sha256 == stored.sha256
