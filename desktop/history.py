"""The "Geschiedenis" of one dossier: who changed what, when, in Dutch; never a value.

Opened from the gesprek window (Ctrl+H) and from the caseload (Ctrl+H, or the context
menu of a household). The vault's audit trail (``Vault.dossier_history``) is read on the
vault thread, with the current dossier for the names: the trail stores paths
(``plan/doelen/[<id>]/omschrijving``), and :func:`forms.history.label` turns them into
"Plan › Doel 2 › omschrijving" with the names as they are now.

Autosave writes a save every second or so while someone types; consecutive saves by the
same person, each within :data:`GROUP_GAP` of the next, are shown as one change with the
fields of all of them, so the list reads as what a person did, not as what the timer did.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from forms import Definitions
from forms.history import label
from forms.models import Dossier
from storage import HistoryEntry, Vault

from .errors import message_for
from .tasks import TaskManager
from .widgets import label as make_label

__all__ = ["GROUP_GAP", "HistoryRow", "describe", "build_rows", "when_text", "HistoryDialog", "open_history"]

#: Saves by one person closer together than this are one change in the list.
GROUP_GAP = dt.timedelta(minutes=10)

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


@dataclass(frozen=True)
class HistoryRow:
    """One line of the list: when, who, what happened, and the fields it changed."""

    when: str
    who: str
    what: str
    fields: tuple[str, ...] = ()


def _details(detail: str) -> dict[str, str]:
    """``"versie=2 pdf=ja"`` as ``{"versie": "2", "pdf": "ja"}``."""
    parts = (part.partition("=") for part in detail.split())
    return {key: value for key, sep, value in parts if sep}


def when_text(moment: dt.datetime, today: dt.date | None = None) -> str:
    """'vandaag 14:02', 'gisteren 9:10' or '2 december 2026 14:02', in local time."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    today = today or dt.date.today()
    clock = f"{local.hour}:{local.minute:02d}"
    if local.date() == today:
        return f"vandaag {clock}"
    if local.date() == today - dt.timedelta(days=1):
        return f"gisteren {clock}"
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} {clock}"


def describe(action: str, detail: str = "", *, include_reads: bool = False) -> str | None:
    """An audit event in words; None for one the list leaves out (a save that changed
    nothing, an open unless ``include_reads``)."""
    d = _details(detail)
    versie = d.get("versie", "")
    if action == "save":
        if d.get("nieuw") == "ja":
            return "Dossier aangemaakt"
        if "velden" not in d:  # saved before the vault recorded fields (schema 3)
            return "Opgeslagen"
        return "Gewijzigd" if d["velden"] != "0" else None
    if action == "pull":
        if detail.startswith("merge"):
            return "Samengevoegd met de wijzigingen van de gemeente"
        return "Bijgewerkt vanuit het zaaksysteem van de gemeente"
    if action in ("read", "read_version"):
        if not include_reads:
            return None
        return "Geopend" if action == "read" else f"Afgeronde versie {versie} bekeken"
    texts: dict[str, str] = {
        "finalise": f"Gesprek afgerond (versie {versie})",
        "version_stored": f"Afgeronde versie {versie} bewaard"
        + (" met het verslag" if d.get("pdf") == "ja" else ""),
        "conflict_set": "Conflict met de gemeente: beide versies bewaard",
        "conflict_cleared": "Conflict met de gemeente opgelost",
        "sync_sent": "Verzonden naar het zaaksysteem van de gemeente",
        "sync_merged": "Wijzigingen van de gemeente samengevoegd"
        + (f" ({d['conflicts']} conflict{'en' if d['conflicts'] != '1' else ''})" if d.get("conflicts", "0") != "0" else ""),
        "sync_skipped": "Synchronisatie van dit dossier lukte niet; het wordt later opnieuw geprobeerd",
        "sync_version_pulled": f"Afgeronde versie {versie} opgehaald bij de gemeente",
        "sync_verslag_differs": f"Het verslag van versie {versie} verschilt van dat bij de gemeente",
        "sync_zaak_vervolg": "Vervolgzaak aangemaakt bij de gemeente",
        "sync_zaak_gevolgd": "Vervolgzaak van de gemeente overgenomen",
        "sync_rol_duplicate_removed": "Dubbele koppeling bij de gemeente opgeruimd",
    }
    return texts.get(action, "Overige gebeurtenis")


def build_rows(
    entries: Iterable[HistoryEntry],
    labels: Mapping[str, str],
    *,
    include_reads: bool = False,
    today: dt.date | None = None,
) -> list[HistoryRow]:
    """The list's rows, newest first, from ``storage.HistoryEntry``s (newest first) and
    the Dutch label of each path. Consecutive field changes by one person within
    :data:`GROUP_GAP` of each other become one row (also saves from before the vault
    recorded fields, which show as "Opgeslagen")."""
    rows: list[HistoryRow] = []
    group: list[HistoryEntry] = []

    def flush() -> None:
        if not group:
            return
        newest, oldest = group[0], group[-1]
        fields: list[str] = []
        for entry in reversed(group):  # oldest first: the order the fields were touched
            for path in entry.paths:
                text = labels.get(path, "onderdeel")
                if text not in fields:
                    fields.append(text)
        when = when_text(newest.when, today)
        if newest.when - oldest.when >= dt.timedelta(minutes=1):
            same_day = oldest.when.astimezone().date() == newest.when.astimezone().date()
            until = when.rsplit(" ", 1)[-1] if same_day else when
            when = f"{when_text(oldest.when, today)} – {until}"
        rows.append(HistoryRow(when, newest.who, "Gewijzigd" if fields else "Opgeslagen", tuple(fields)))
        group.clear()

    for entry in entries:
        what = describe(entry.action, entry.detail, include_reads=include_reads)
        if what is None:
            continue
        if entry.action == "save" and what in ("Gewijzigd", "Opgeslagen"):
            if group and (group[-1].who != entry.who or group[-1].when - entry.when > GROUP_GAP):
                flush()
            group.append(entry)
            continue
        flush()
        fields = tuple(dict.fromkeys(labels.get(p, "onderdeel") for p in entry.paths))
        rows.append(HistoryRow(when_text(entry.when, today), entry.who, what, fields))
    flush()
    return rows


def _read_history(
    dossier_id: UUID, dossier: Dossier | None, definitions: Definitions | None
) -> Callable[[Vault], tuple[list[HistoryEntry], dict[str, str], str]]:
    """The vault-thread job: the trail, the current dossier, and a label for every path."""

    def read(vault: Vault) -> tuple[list[HistoryEntry], dict[str, str], str]:
        entries = vault.dossier_history(dossier_id)
        current = dossier if dossier is not None else vault.load(dossier_id)
        unique = dict.fromkeys(p for e in entries for p in e.paths)  # autosaves repeat the same fields
        labels = {p: label(p, current, definitions) for p in unique}
        return entries, labels, current.titel

    return read


class HistoryDialog(QDialog):
    """The Geschiedenis of one dossier. Reads off the UI thread; keyboard: the list has the
    focus (arrows, PgUp/PgDown scroll), Alt+G shows opens too, Esc closes."""

    def __init__(
        self,
        tasks: TaskManager,
        dossier_id: UUID,
        *,
        dossier: Dossier | None = None,
        definitions: Definitions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.dossier_id = dossier_id
        self.setObjectName("historyDialog")
        self.setWindowTitle("Geschiedenis")
        self.entries: list[HistoryEntry] = []
        self.labels: dict[str, str] = {}
        self.loaded = False
        self.failed = False

        layout = QVBoxLayout(self)
        self.heading = make_label("Geschiedenis", object_name="heading")
        layout.addWidget(self.heading)
        hint = make_label("Wie wat heeft gewijzigd en wanneer, het nieuwste bovenaan. De inhoud zelf staat "
            "niet in de geschiedenis; namen zijn zoals ze nu in het dossier staan.", object_name="hint")
        layout.addWidget(hint)
        self.view = QTextBrowser()
        self.view.setObjectName("historyView")
        self.view.setAccessibleName("Geschiedenis van het dossier")
        self.view.setOpenLinks(False)
        self.view.setPlainText("De geschiedenis wordt gelezen…")
        layout.addWidget(self.view, 1)
        self.show_reads = QCheckBox("Ook tonen wanneer het dossier is &geopend")
        self.show_reads.setAccessibleName("Ook tonen wanneer het dossier is geopend")
        self.show_reads.toggled.connect(self._render)
        layout.addWidget(self.show_reads)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        from .fit import place_window

        place_window(self, "geschiedenis", (720, 560))
        snapshot = None if dossier is None else dossier.model_copy(deep=True)
        tasks.run_db(_read_history(dossier_id, snapshot, definitions), self._loaded, self._failed, owner=self)

    def _loaded(self, result: tuple[list[HistoryEntry], dict[str, str], str]) -> None:
        self.entries, self.labels, titel = result
        self.heading.setText(f"Geschiedenis — {titel}")
        self.loaded = True
        self._render()

    def _failed(self, exc: BaseException) -> None:
        self.failed = True
        self.view.setPlainText("De geschiedenis kon niet worden gelezen. " + message_for(exc))

    def rows(self) -> list[HistoryRow]:
        return build_rows(self.entries, self.labels, include_reads=self.show_reads.isChecked())

    def _render(self, *_: object) -> None:
        if not self.loaded or self.failed:
            return
        rows = self.rows()
        if not rows:
            self.view.setPlainText("Nog niets te tonen.")
            return
        parts = []
        for row in rows:
            head = f"<p style='margin-bottom:2px'><b>{html.escape(row.when)}</b> — {html.escape(row.who)}<br>{html.escape(row.what)}</p>"
            items = "".join(f"<li>{html.escape(f)}</li>" for f in row.fields)
            parts.append(head + (f"<ul style='margin-top:0'>{items}</ul>" if items else ""))
        self.view.setHtml("".join(parts))


def open_history(
    parent: QWidget,
    tasks: TaskManager,
    dossier_id: UUID,
    *,
    dossier: Dossier | None = None,
    definitions: Definitions | None = None,
) -> HistoryDialog:
    """Open the Geschiedenis of a dossier (non-modal; it closes with its window)."""
    dialog = HistoryDialog(tasks, dossier_id, dossier=dossier, definitions=definitions, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.show()
    return dialog
