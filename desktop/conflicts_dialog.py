""""Verschillen met de gemeente": the wijkcoach chooses per conflict (issue 6).

A conflict (``storage.syncstate.ConflictRecord``) is a field that this laptop and the
central system both changed: the local value stays in the dossier, the central one in
the vault's sync state. This dialog lists each one in readable Dutch -- the path mapped
to a human label (:func:`describe_path`, e.g. "Leefgebied Wonen (huishouden) – zorgen",
the path itself when nothing better is known) -- with both values side by side, and per
conflict two choices:

- "Deze versie houden (lokaal)": the local value is sent on the next sync; the central
  value stays at the municipality as an earlier version of the document;
- "Centrale versie nemen": the central value replaces the local one.

Each choice is one ``sync.resolve_conflict`` job on the vault thread (``tasks.run_db``).
A resolved conflict stays on screen with both values and what was chosen until the
dialog closes, so nothing disappears without the wijkcoach seeing it. ``resolved`` tells
the application which dossier to reload and how many conflicts are left.

:func:`describe_path` and :func:`format_value` are plain functions (no Qt), for tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .errors import message_for
from .tasks import TaskManager
from .widgets import ErrorLabel, busy_bar, scroll_wrap
from .widgets import label as make_label

if TYPE_CHECKING:  # for annotations only: the imports stay lazy
    from forms import Definitions, Dossier
    from storage import Vault
    from storage.syncstate import ConflictRecord
    from sync.conflicts import Choice

__all__ = ["ConflictsDialog", "describe_path", "format_value", "KEEP_LOCAL", "TAKE_CENTRAL"]

KEEP_LOCAL = "Deze versie houden (lokaal)"
TAKE_CENTRAL = "Centrale versie nemen"
LOCAL_HEADING = "Op deze laptop (lokaal)"
CENTRAL_HEADING = "Bij de gemeente (centraal)"
ALL_RESOLVED = (
    "Alle verschillen zijn opgelost. Uw keuzes gaan bij de volgende synchronisatie naar de gemeente."
)

# --- paths to Dutch labels (no Qt) ----------------------------------------------------------

#: A section's label is its key, capitalised; "partners" reads as "Netwerkpartners".
_SECTIONS = {
    key: key.capitalize()
    for key in (
        "huishouden", "gesprek", "leefgebieden", "netwerk", "veiligheid", "meldcode", "hulpvraag", "plan",
        "familiegroepsplan", "handtekeningen", "evaluaties", "opschalingen", "kernbeslissingen",
    )
} | {"partners": "Netwerkpartners"}

#: Field labels that differ from the key (else the key with spaces: :func:`_field`).
_FIELDS = {
    "leden": "gezinsleden",
    "bsn": "BSN",
    "contacten": "wie is gesproken",
    "nvt_reden": "reden niet van toepassing",
    "zrm": "ZRM-score",
    "email": "e-mail",
    "domeinen": "leefgebieden",
    "reikwijdte": "wat gedeeld mag worden",
    "risico": "risico later",
    "melding": "melding Veilig Thuis",
    "stem": "wiens vraag",
    "perspectief": "gewenst perspectief",
    "weigering_reden": "reden niet getekend",
    "afbeelding_png": "handtekening",
    "goal_id": "doel",
    "member_id": "gezinslid",
    "child_id": "kind",
}

#: List fields whose item's own label replaces the field's: "doelen – Doel ‘…’" reads as "Doel ‘…’".
_NAMED_BY_ITEM = {"leden", "contacten", "doelen", "acties"}


def _field(key: str) -> str:
    return _FIELDS.get(key, key.replace("_", " "))


def _short(text: object, limit: int = 40) -> str:
    value = " ".join(str(text or "").split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _date(value: object) -> str:
    try:
        return dt.date.fromisoformat(str(value)[:10]).strftime("%d-%m-%Y")
    except ValueError:
        return str(value)


class _Names:
    """Names for the ids a dossier refers to (members, network, partners, goals)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.by_id: dict[str, str] = {}
        for member in (data.get("huishouden") or {}).get("leden") or []:
            if isinstance(member, dict) and "id" in member:
                naam = f"{member.get('voornaam', '')} {member.get('achternaam', '')}".strip()
                self.by_id[str(member["id"])] = naam or "gezinslid"
        for person in data.get("netwerk") or []:
            if isinstance(person, dict) and "id" in person:
                self.by_id[str(person["id"])] = str(person.get("naam") or "netwerkpersoon")
        for partner in data.get("partners") or []:
            if isinstance(partner, dict) and "id" in partner:
                self.by_id[str(partner["id"])] = str(partner.get("organisatie") or "netwerkpartner")
        for goal in (data.get("plan") or {}).get("doelen") or []:
            if isinstance(goal, dict) and "id" in goal:
                self.by_id[str(goal["id"])] = f"doel ‘{_short(goal.get('omschrijving'))}’"

    def get(self, ident: object, default: str = "") -> str:
        return self.by_id.get(str(ident), default)


def _domain_name(domein: str, data: Mapping[str, Any], definitions: Definitions | None) -> str:
    if definitions is not None:
        try:
            from forms.models import DefinitionRef

            ref = data.get("leefgebieden_set")
            domain_set = definitions.domain_set(DefinitionRef.model_validate(ref) if ref else None)
            return str(domain_set.domein(domein).naam)
        except Exception:  # noqa: BLE001 - an unknown set or domain: show its id
            return domein.replace("_", " ").capitalize()
    return domein.replace("_", " ").capitalize()


def _item_label(
    owner: str, item: Mapping[str, Any] | None, names: _Names, data: Mapping[str, Any], definitions: Definitions | None
) -> str:
    """The readable name of one item of a list of objects (a goal, a leefgebied, ...)."""
    if item is None:
        return {"leden": "een gezinslid", "acties": "een actie", "doelen": "een doel"}.get(owner, "een onderdeel")
    if owner == "leefgebieden":
        who = names.get(item.get("member_id"), "een gezinslid") if item.get("member_id") else "huishouden"
        return f"Leefgebied {_domain_name(str(item.get('domein', '')), data, definitions)} ({who})"
    naam, organisatie, omschrijving = (_short(item.get(key)) for key in ("naam", "organisatie", "omschrijving"))
    datum = _date(item.get("datum", ""))
    return {
        "leden": f"gezinslid {names.get(item.get('id'), 'zonder naam')}",
        "netwerk": f"Netwerk: {naam or 'persoon'}",
        "partners": f"Netwerkpartner: {organisatie or 'organisatie'}",
        "veiligheid": f"Veiligheid {names.get(item.get('child_id'), 'kind')} ({datum})",
        "doelen": f"Doel ‘{omschrijving}’",
        "acties": f"actie ‘{omschrijving}’",
        "handtekeningen": f"Handtekening {naam}",
        "evaluaties": f"Evaluatie van {datum}",
        "opschalingen": f"Opschaling van {datum}",
        "kernbeslissingen": f"Kernbeslissing van {datum}",
    }.get(owner, "onderdeel")


def _find_item(items: object, ident: str) -> Mapping[str, Any] | None:
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and str(item.get("id")) == ident:
                return item
    return None


def describe_path(
    path: str,
    local: Mapping[str, Any],
    *,
    remote_value: Any = None,
    definitions: Definitions | None = None,
) -> str:
    """A Dutch label for a conflict's path in the dossier ``local`` (its JSON form).

    ``plan/perspectief`` → "Plan – gewenst perspectief";
    ``leefgebieden/[<id>]/zorgen`` → "Leefgebied Wonen (huishouden) – zorgen".
    An item deleted locally is named from ``remote_value`` (the central item) when the
    path ends at it. Unknown paths come back as they are.
    """
    try:
        return _describe(path, local, remote_value, definitions)
    except Exception:  # noqa: BLE001 - a label must never stop the dialog
        return path


def _describe(path: str, local: Mapping[str, Any], remote_value: Any, definitions: Definitions | None) -> str:
    from forms.paths import Item, parse_path

    segments = parse_path(path)
    if not segments or not isinstance(segments[0], str) or segments[0] not in _SECTIONS:
        return path
    names = _Names(local)
    parts: list[str] = []
    node: Any = local
    owner = ""  # the list key the next item belongs to
    section = segments[0]
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if isinstance(segment, Item):
            item = _find_item(node, segment.id)
            if item is None and last and isinstance(remote_value, dict):
                item = remote_value
            label = _item_label(owner, item, names, local, definitions)
            if index == 1:  # a top-level list: the item's name replaces the section's
                parts[-1:] = [label]
            else:
                if owner in _NAMED_BY_ITEM:
                    parts.pop()
                parts.append(label)
            node = item
            continue
        if index == 0:
            parts.append(_SECTIONS[segment])
        elif owner == "antwoorden":
            parts.append(_answer_label(section, segment, local, definitions))
        else:
            parts.append(_field(segment))
        owner = segment
        node = node.get(segment) if isinstance(node, dict) else None
    return " – ".join(p for p in parts if p)


def _answer_label(section: str, key: str, data: Mapping[str, Any], definitions: Definitions | None) -> str:
    """An instrument item or meldcode question by its text, else its id."""
    if definitions is not None:
        try:
            if section == "veiligheid":
                return f"‘{_short(definitions.instrument().item(key).tekst, 50)}’"
            if section == "meldcode":
                vragen = {q.id: q.vraag for q in definitions.meldcode().vragen}
                if key in vragen:
                    return f"‘{_short(vragen[key], 50)}’"
        except Exception:  # noqa: BLE001 - unknown item: its id
            return key.replace("_", " ")
    return key.replace("_", " ")


# --- values (no Qt) ---------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SKIP_KEYS = {"id", "definitie", "instrument"}


def format_value(value: Any, present: bool = True, names: Mapping[str, str] | None = None) -> str:
    """A conflict value as plain Dutch text; never empty (empty says so)."""
    if not present:
        return "(verwijderd)"
    text = _format(value, names or {}, 0)
    return text if text.strip() else "(leeg)"


def _format(value: Any, names: Mapping[str, str], depth: int) -> str:
    if value is None:
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        if value in names:
            return names[value]
        if _DATE.match(value):
            return _date(value)
        return value
    if isinstance(value, list):
        if not value:
            return "(leeg)"
        if all(not isinstance(v, (dict, list)) for v in value):
            return ", ".join(_format(v, names, depth + 1) for v in value)
        return "\n".join("• " + _format(v, names, depth + 1).replace("\n", "\n  ") for v in value)
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if key in _SKIP_KEYS:
                continue
            if key == "afbeelding_png":
                lines.append("handtekening: " + ("getekend" if item else "geen"))
                continue
            label = _field(key)
            shown = _format(item, names, depth + 1)
            if "\n" in shown:
                lines.append(f"{label}:\n  " + shown.replace("\n", "\n  "))
            else:
                lines.append(f"{label}: {shown}")
        return "\n".join(lines) if lines else "(leeg)"
    return str(value)


# --- the dialog ------------------------------------------------------------------------------


def _value_label(text: str, accessible: str) -> QLabel:
    label = make_label(text, object_name="conflictValue", name=accessible)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setMargin(6)
    return label


class ConflictRow(QFrame):
    """One conflict: its label, both values side by side, and the two choices."""

    chosen = Signal(str, str)  # path, "lokaal" | "centraal"

    def __init__(self, path: str, label: str, local_text: str, central_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.label = label
        self.done = False
        self.setObjectName("conflictRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Verschil: {label}")
        grid = QGridLayout(self)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.title = make_label(label, object_name="subheading")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(self.title, 0, 0, 1, 2)
        for column, heading in enumerate((LOCAL_HEADING, CENTRAL_HEADING)):
            grid.addWidget(make_label(heading, object_name="hint", wrap=False), 1, column)
        self.local_value = _value_label(local_text, f"{LOCAL_HEADING}: {label}")
        self.central_value = _value_label(central_text, f"{CENTRAL_HEADING}: {label}")
        grid.addWidget(self.local_value, 2, 0)
        grid.addWidget(self.central_value, 2, 1)
        self.keep_local = QPushButton(KEEP_LOCAL)
        self.keep_local.setAccessibleName(f"{KEEP_LOCAL}: {label}")
        self.keep_local.setToolTip(
            "De waarde op deze laptop blijft en gaat bij de volgende synchronisatie naar de gemeente. "
            "De versie van de gemeente blijft daar als eerdere versie bewaard."
        )
        self.take_central = QPushButton(TAKE_CENTRAL)
        self.take_central.setAccessibleName(f"{TAKE_CENTRAL}: {label}")
        self.take_central.setToolTip("De waarde op deze laptop wordt vervangen door die van de gemeente.")
        for button in (self.keep_local, self.take_central):
            button.setAutoDefault(False)
        grid.addWidget(self.keep_local, 3, 0)
        grid.addWidget(self.take_central, 3, 1)
        self.outcome = make_label(name=f"Keuze: {label}", hidden=True)
        grid.addWidget(self.outcome, 4, 0, 1, 2)
        self.error = ErrorLabel()
        grid.addWidget(self.error, 5, 0, 1, 2)
        self.keep_local.clicked.connect(lambda: self.chosen.emit(self.path, "lokaal"))
        self.take_central.clicked.connect(lambda: self.chosen.emit(self.path, "centraal"))

    def set_enabled_choices(self, enabled: bool) -> None:
        for button in (self.keep_local, self.take_central):
            button.setEnabled(enabled and not self.done)

    def mark_done(self, text: str) -> None:
        self.done = True
        self.error.clear_messages()
        for button in (self.keep_local, self.take_central):
            button.setEnabled(False)
            button.hide()
        self.outcome.setText(text)
        self.outcome.show()


class ConflictsDialog(QDialog):
    """The conflicts of one dossier; open it with ``open()`` (window-modal, never blocking)."""

    loaded = Signal()
    #: After each choice: the saved ``forms.Dossier`` and the number of conflicts left.
    resolved = Signal(object, int)

    def __init__(
        self,
        tasks: TaskManager,
        dossier_id: UUID,
        *,
        definitions: Definitions | None = None,
        resolve: Callable[[Vault, UUID, str, Choice], Dossier] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.dossier_id = dossier_id
        self._definitions = definitions
        self._resolve = resolve
        self.rows: dict[str, ConflictRow] = {}
        self._busy = 0
        self._local: dict[str, Any] = {}
        self.setObjectName("conflictsDialog")
        self.setWindowTitle("Verschillen met de gemeente")
        self.setAccessibleName("Verschillen met de gemeente")
        self.setMinimumWidth(420)
        self.resize(820, 600)

        layout = QVBoxLayout(self)
        layout.addWidget(make_label("Verschillen met de gemeente", object_name="heading", wrap=False))
        self.intro = make_label("Dit dossier is op deze laptop en bij de gemeente op dezelfde plek verschillend "
            "gewijzigd. Kies per onderdeel welke versie blijft. Wat u kiest, gaat bij de volgende "
            "synchronisatie naar de gemeente. Beide waarden blijven hier zichtbaar tot u dit venster sluit.")
        layout.addWidget(self.intro)
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.addStretch(1)
        layout.addWidget(scroll_wrap(self.list_widget), 1)
        self.status = make_label(name="Status")
        layout.addWidget(self.status)
        self.progress = busy_bar()
        layout.addWidget(self.progress)
        self.buttons = QDialogButtonBox()
        self.close_button = self.buttons.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAccessibleName("Sluiten")
        self.close_button.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._set_busy(+1)
        self.status.setText("Verschillen worden geladen…")
        self.tasks.run_db(self._read, self._loaded, self._load_failed, owner=self)

    # --- data --------------------------------------------------------------------------------

    def _read(self, vault: Vault) -> tuple[Dossier, list[ConflictRecord]]:
        """On the vault thread: the dossier (for the labels) and its open conflicts."""
        return vault.load(self.dossier_id), vault.conflicts(self.dossier_id)

    def _definitions_or_default(self) -> Definitions:
        if self._definitions is None:
            from . import formsapi

            self._definitions = formsapi.definitions()
        return self._definitions

    def _loaded(self, result: tuple[Dossier, list[ConflictRecord]]) -> None:
        dossier, conflicts = result
        self._set_busy(-1)
        self._show(dossier, conflicts)
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        self._set_busy(-1)
        self.status.setText(message_for(exc))

    def _show(self, dossier: Dossier, conflicts: list[ConflictRecord]) -> None:
        """Add rows for conflicts not shown yet; mark shown ones that are gone."""
        from forms.paths import MISSING
        from sync.conflicts import conflict_values

        self._local = dossier.model_dump(mode="json")
        names = _Names(self._local).by_id
        open_paths = {c.path for c in conflicts}
        for conflict in conflicts:
            if conflict.path in self.rows and not self.rows[conflict.path].done:
                continue
            local, remote = conflict_values(conflict)
            label = describe_path(
                conflict.path,
                self._local,
                remote_value=None if remote is MISSING else remote,
                definitions=self._definitions_or_default(),
            )
            row = ConflictRow(
                conflict.path,
                label,
                format_value(local, local is not MISSING, names),
                format_value(remote, remote is not MISSING, names),
            )
            row.chosen.connect(self.choose)
            old = self.rows.get(conflict.path)
            if old is not None:  # chosen before, and the sync found a new difference there
                old.setParent(None)
                old.deleteLater()
            self.rows[conflict.path] = row
            self.list_layout.insertWidget(self.list_layout.count() - 1, row)
        for path, row in self.rows.items():
            if not row.done and path not in open_paths:
                row.mark_done("Dit verschil is intussen opgelost.")
        self._update_status()

    # --- choosing ----------------------------------------------------------------------------

    def open_paths(self) -> list[str]:
        return [path for path, row in self.rows.items() if not row.done]

    def choose(self, path: str, choice: Choice) -> None:
        """Apply one choice on the vault thread; the row says what was chosen."""
        row = self.rows.get(path)
        if row is None or row.done or self._busy:
            return
        dossier_id = self.dossier_id
        resolve = self._resolve

        def apply(vault: Vault) -> tuple[Dossier, list[ConflictRecord]]:
            import sync

            fn = resolve or sync.resolve_conflict
            dossier = fn(vault, dossier_id, path, choice)
            return dossier, vault.conflicts(dossier_id)

        def done(result: tuple[Dossier, list[ConflictRecord]]) -> None:
            self._set_busy(-1)
            row.mark_done(
                "Gekozen: de versie op deze laptop. De versie van de gemeente blijft daar als eerdere versie bewaard."
                if choice == "lokaal"
                else "Gekozen: de versie van de gemeente. Die staat nu in het dossier; de waarde die "
                "op deze laptop stond, ziet u hierboven tot u dit venster sluit."
            )
            self._reloaded(result)

        def failed(exc: BaseException) -> None:
            self._set_busy(-1)
            if isinstance(exc, KeyError):  # chosen elsewhere meanwhile: nothing left to do here
                row.mark_done("Dit verschil is intussen opgelost.")
                self.tasks.run_db(self._read, self._reloaded, lambda _exc: None, owner=self)
                return
            row.error.show_messages([message_for(exc)])
            self._update_status()

        self._set_busy(+1)
        self.status.setText("Keuze wordt opgeslagen…")
        self.tasks.run_db(apply, done, failed, owner=self)

    def _reloaded(self, result: tuple[Dossier, list[ConflictRecord]]) -> None:
        dossier, conflicts = result
        self._show(dossier, conflicts)
        self.resolved.emit(dossier, len(conflicts))

    def _set_busy(self, delta: int) -> None:
        self._busy = max(0, self._busy + delta)
        self.progress.setVisible(self._busy > 0)
        for row in self.rows.values():
            row.set_enabled_choices(self._busy == 0)

    def _update_status(self) -> None:
        left = len(self.open_paths())
        if not self.rows:
            self.status.setText("Er zijn geen verschillen met de gemeente.")
        elif left == 0:
            self.status.setText(ALL_RESOLVED)
        else:
            self.status.setText(
                "Nog 1 verschil om te kiezen." if left == 1 else f"Nog {left} verschillen om te kiezen."
            )
        self._set_busy(0)  # a row shown or marked done just now: its choices follow the busy state
