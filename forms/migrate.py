"""Upgrading stored dossier JSON to the current schema before validation.

``upgrade(raw)`` takes the dict as stored (``json.loads`` of the saved text) and returns
a new dict in the current shape (:data:`forms.models.SCHEMA_VERSION`); the input is not
changed. Each step upgrades one version to the next and is registered in :data:`STEPS`;
a dossier without ``schema_version`` predates the field (version 0, the prototype).
A dossier from a newer application raises :class:`forms.UnsupportedSchema`.

When the model's JSON shape changes: bump ``SCHEMA_VERSION`` (and the ``Literal`` on
``Dossier.schema_version``), add a step ``STEPS[old] = fn`` that rewrites an ``old``-shape
dict into the ``old + 1`` shape, and add a stored example of the old shape to the tests.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .errors import UnsupportedSchema
from .models import SCHEMA_VERSION, Dossier

__all__ = ["STEPS", "upgrade", "load"]

Raw = dict[str, Any]


def _v0_to_v1(raw: Raw) -> Raw:
    """The prototype (no ``schema_version``) stored the hulpvraag as plain text, each
    contact as ``{"lid": id, "status": ..., "reden": ...}`` and no domain-set reference."""
    hv = raw.get("hulpvraag")
    if isinstance(hv, str) or hv is None:
        raw["hulpvraag"] = {"tekst": hv or "", "stem": raw.pop("hulpvraag_stem", None)}
    gesprek = raw.get("gesprek")
    if isinstance(gesprek, dict):
        gesprek["contacten"] = [
            {("member_id" if k == "lid" else k): v for k, v in c.items()}
            for c in gesprek.get("contacten", [])
        ]
    raw.setdefault("leefgebieden_set", {"id": "leefgebieden-basis", "version": 1})
    return raw


def _v1_to_v2(raw: Raw) -> Raw:
    """Schema 2 makes a household a trajectory of gesprekken (issue 13).

    Schema 1 knew one kind of gesprek, so every version was an intake; its finalisation
    was hashed over the schema-1 shape (``definitief.schema_version = 1`` keeps it
    verifiable, see :func:`forms.finalise.canonical_json`). A kernbeslissing's free
    ``geraadpleegd`` text becomes its ``toelichting`` (schema 2 records each consultation
    with name and date), its ``veiligheidsplan`` flag ``veiligheidsplan_nodig``.
    Everything else gets the new fields' defaults.
    """
    gesprek = raw.get("gesprek")
    if isinstance(gesprek, dict):
        gesprek.setdefault("soort", "intake")
    for ref in raw.get("vorige_versies") or []:
        if isinstance(ref, dict):
            ref.setdefault("soort", "intake")
    final = raw.get("definitief")
    if isinstance(final, dict):
        final.setdefault("schema_version", 1)
    for kb in raw.get("kernbeslissingen") or []:
        if isinstance(kb, dict):
            text = kb.pop("geraadpleegd", "") or ""
            kb.setdefault("toelichting", f"Geraadpleegd: {text}" if text else "")
            if "veiligheidsplan" in kb and isinstance(kb["veiligheidsplan"], bool):
                kb["veiligheidsplan_nodig"] = kb.pop("veiligheidsplan") or None
    return raw


# from-version -> function returning the next version's shape
STEPS: dict[int, Callable[[Raw], Raw]] = {0: _v0_to_v1, 1: _v1_to_v2}


def upgrade(raw: Raw) -> Raw:
    """``raw`` in the current schema's shape (a new dict; ``raw`` is not modified)."""
    out = copy.deepcopy(raw)
    version = out.get("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0 or version > SCHEMA_VERSION:
        raise UnsupportedSchema(version, SCHEMA_VERSION)
    while version < SCHEMA_VERSION:
        step = STEPS.get(version)
        if step is None:  # pragma: no cover - a missing step is a programming error
            raise UnsupportedSchema(version, SCHEMA_VERSION)
        out = step(out)
        version += 1
        out["schema_version"] = version
    return out


def load(raw: Raw) -> Dossier:
    """Upgrade and validate a stored dossier dict."""
    return Dossier.model_validate(upgrade(raw))
