"""Names for the ids a dossier stores, from the definitions version the dossier used.

The dossier stores life domains, ZRM scores and instrument items by id; the verslag
prints the names from ``forms.definitions``. Every lookup degrades to a readable
fallback, so a dossier whose definition version is missing still prints.
"""

from __future__ import annotations

from typing import Any

from ..models import DefinitionRef, Dossier

__all__ = ["Lookup", "ZRM_LABELS"]

# The ZRM scale (GGD Amsterdam), used when the definitions give no labels.
ZRM_LABELS = {
    1: "acute problematiek",
    2: "niet zelfredzaam",
    3: "beperkt zelfredzaam",
    4: "voldoende zelfredzaam",
    5: "volledig zelfredzaam",
}

_LOOKUP_ERRORS = (AttributeError, KeyError, LookupError, TypeError, ValueError)


def default_definitions() -> Any | None:
    try:
        from ..definitions import default_definitions as load
    except ImportError:
        return None
    try:
        return load()
    except Exception:  # noqa: BLE001  (a broken definitions folder must not stop printing)
        return None


def _humanise(identifier: str) -> str:
    text = identifier.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else identifier


class Lookup:
    def __init__(self, dossier: Dossier, definitions: Any | None) -> None:
        self.definitions = definitions
        self._domain_set = None
        if definitions is not None:
            try:
                self._domain_set = definitions.domain_set(dossier.leefgebieden_set)
            except _LOOKUP_ERRORS:
                self._domain_set = None

    # --- life domains -------------------------------------------------------------

    def domain_order(self) -> list[str]:
        """The ids of the dossier's domain set, in the set's order (empty if unknown)."""
        if self._domain_set is None:
            return []
        try:
            return [d.id for d in self._domain_set.domeinen]
        except _LOOKUP_ERRORS:
            return []

    def domain_name(self, domain_id: str) -> str:
        if self._domain_set is not None:
            try:
                domein = self._domain_set.domein(domain_id)
                if domein is not None and domein.naam:
                    return str(domein.naam)
            except _LOOKUP_ERRORS:
                pass
        return _humanise(domain_id)

    # --- ZRM ------------------------------------------------------------------------

    def zrm_label(self, score: int) -> str:
        if self.definitions is not None:
            try:
                # the scale the dossier's domain set scores on, else the active one
                ref = getattr(self._domain_set, "zrm_schaal", None)
                label = self.definitions.zrm(ref).label(score)
                if label:
                    return str(label)
            except _LOOKUP_ERRORS:
                pass
        return ZRM_LABELS.get(score, str(score))

    # --- safety instrument -------------------------------------------------------------

    def instrument_name(self, ref: DefinitionRef) -> str:
        instrument = self._instrument(ref)
        name = getattr(instrument, "naam", "") if instrument is not None else ""
        return str(name) if name else f"{ref.id} (versie {ref.version})"

    def item_label(self, ref: DefinitionRef, item_id: str) -> str:
        instrument = self._instrument(ref)
        if instrument is not None:
            try:
                return str(instrument.item(item_id).tekst)
            except _LOOKUP_ERRORS:
                pass
        return _humanise(item_id)

    def _instrument(self, ref: DefinitionRef) -> Any | None:
        if self.definitions is None:
            return None
        try:
            return self.definitions.instrument(ref)
        except _LOOKUP_ERRORS:
            return None

    # --- the trajectory (kernbeslissingen, opschaling, resultaat) ----------------------------

    def kernbeslissing_label(self, soort: str) -> str:
        return self._trajectory_label("kernbeslissing_label", soort)

    def resultaat_label(self, resultaat: str) -> str:
        return self._trajectory_label("resultaat_label", resultaat)

    def opschaling_label(self, naar: str) -> str:
        return self._trajectory_label("opschaling_label", naar)

    def _trajectory_label(self, method: str, key: str) -> str:
        """The label the trajectory definitions give ``key`` (they answer the key itself
        for one they do not list), else the key made readable."""
        try:
            label = getattr(self.definitions.trajectory, method)(key)  # type: ignore[union-attr]
            if isinstance(label, str) and label and label != key:
                return label
        except _LOOKUP_ERRORS:
            pass
        return _humanise(key)
