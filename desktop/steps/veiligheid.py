"""Step "Veiligheid per kind": a child-safety assessment for every child under 18 (T4, T10).

One tab per child (``Dossier.children()``: everyone under 18 on the gesprek date,
whatever their role), so no child can be skipped because the request was about a
sibling. Each tab is generated from the instrument definition — the version the
child's latest assessment was given under, or the current one for a new assessment —
so a municipality's licensed instrument shows without code changes:

- per section the items, each with aanwezig ja / nee / onbekend and a toelichting;
- the professional's judgment: veiligheid nu, risico, and an onderbouwing that is
  always required;
- the consultation of a second professional, shown when the instrument says the
  judgment needs one (``requires_consultation``);
- "Beoordeling afronden", which only succeeds when the judgment is complete.

A re-assessment ("Nieuwe beoordeling") is a new :class:`forms.SafetyAssessment`; the
first assessment's judgment and answers are shown beside it for comparison (T10).
The inputs are bound by path to the child's current assessment (:mod:`desktop.binder`); the
assessment is added to the dossier by the first accepted edit, in the same undo step.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from html import escape
from typing import Any
from uuid import UUID

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import (
    ErrorLabel,
    RadioChoice,
    bare,
    button,
    form_row,
    format_date,
    from_qdate,
    label,
    scroll_wrap,
    short_date_edit,
    short_text,
    with_error,
)
from forms import (
    Dossier,
    ItemAnswer,
    Member,
    RiskLater,
    SafetyAssessment,
    SafetyNow,
)
from forms.definitions import SafetyInstrument
from forms.glossary import label as glossary_label
from forms.paths import MISSING, Item, Path, get

from . import safety_compare
from .base import KEEP_ENABLED, StepContext, StepPage, apply_read_only

__all__ = ["VeiligheidPage", "ChildPanel", "tab_title"]

ONBEKEND = "onbekend"  # the radio value for ItemAnswer.aanwezig = None
_ANSWERS = [(True, "Ja"), (False, "Nee"), (ONBEKEND, "Onbekend")]
_MET_LABELS = {"collega": "Collega", "gedragswetenschapper": "Gedragswetenschapper"}
_GREY = "color: #555555;"


def _answer_text(answer: ItemAnswer | None) -> str:
    if answer is None:
        return "—"
    return {True: "ja", False: "nee", None: "onbekend"}[answer.aanwezig]


def _hint(text: str = "", hidden: bool = False) -> QLabel:
    return label(text, style=_GREY, hidden=hidden)


def tab_title(dossier: Dossier, child: Member) -> str:
    """The child's first name and whether its latest assessment is concluded."""
    latest = dossier.latest_assessment(child.id)
    if latest is not None and latest.afgerond:
        return f"{child.voornaam} ✓ afgerond"
    return f"{child.voornaam} – open"


def _scrollable(inner: QWidget) -> QScrollArea:
    """``scroll_wrap`` whose scroll bars stay usable when the page is read-only."""
    area = scroll_wrap(inner)
    for bar in (area.verticalScrollBar(), area.horizontalScrollBar()):
        bar.setProperty(KEEP_ENABLED, True)
    return area


class ChildPanel(QWidget):
    """The assessment of one child, built from its instrument definition; its inputs are
    bound to the child's current assessment (``("veiligheid", Item(id), …)``)."""

    scroll: QScrollArea  # type: ignore[assignment]  # shadows QWidget.scroll(dx, dy); nothing calls that here

    def __init__(self, page: VeiligheidPage, child: Member) -> None:
        super().__init__()
        self.page = page
        self.child = child
        dossier = self.dossier
        definitions = page.context.definitions
        history = dossier.assessments_for(child.id)
        latest = history[-1] if history else None
        self.first: SafetyAssessment | None = history[0] if len(history) >= 2 else None
        self.number = max(1, len(history))
        self.instrument: SafetyInstrument | None = None
        self.missing_instrument = False
        # a child without an assessment: the one its first accepted edit makes (one undo step)
        self.new: SafetyAssessment | None = None
        if latest is None:
            self.instrument = definitions.instrument()
            self.new = latest = SafetyAssessment(
                child_id=child.id, instrument=self.instrument.ref, datum=page.context.today, gesprek_id=dossier.gesprek.id
            )
        else:
            try:
                self.instrument = definitions.instrument(latest.instrument)
            except Exception:  # noqa: BLE001 - a version this laptop doesn't have
                self.missing_instrument = True
        self.path: Path = ("veiligheid", Item(str(latest.id)))
        self.answer_choices: dict[str, RadioChoice] = {}
        self.answer_notes: dict[str, QLineEdit] = {}
        self._errors: dict[str, ErrorLabel] = {}
        self._build()

    @property
    def dossier(self) -> Dossier:
        assert self.page.dossier is not None
        return self.page.dossier

    @property
    def assessment(self) -> SafetyAssessment:
        """The assessment shown: the dossier's, or the one the first edit will add."""
        live = get(self.dossier, self.path)
        assert live is not MISSING or self.new is not None
        return self.new if live is MISSING else live  # type: ignore[return-value]

    def _create(self, _value: object = None) -> list[tuple[Path, Any]]:
        """Edits that must come first: the assessment, when this is its first edit."""
        return [] if self.saved else [(self.path, self.new)]

    def _bind(self, widget: QWidget, field: Path, label: str, error: str | None = None, **extra: Any) -> None:
        extra.setdefault("prepare", self._create)
        self.page.binder.bind(widget, (*self.path, *field), label=f"{label} bij {self.child.voornaam}",
                              error=self._errors.get(error) if error else None, on_edit=self.page.changed.emit, **extra)

    # --- construction -----------------------------------------------------------------

    def _build(self) -> None:
        inner = QWidget()
        column = QVBoxLayout(inner)
        intro = _hint(
            "Beoordeel de veiligheid van élk kind onder de 18, ook als de hulpvraag over één "
            "kind gaat. Wissel van kind met de tabbladen (Ctrl+Tab)."
        )
        column.addWidget(intro)
        self.summary = label(name="Stand van de beoordelingen")
        column.addWidget(self.summary)
        column.addLayout(self._build_header())
        self.lock_hint = _hint(
            "Deze beoordeling is afgerond. Haal onderaan het vinkje bij 'Beoordeling afronden' "
            "weg om iets te wijzigen, of begin een nieuwe beoordeling om de veiligheid opnieuw "
            "te wegen.",
            hidden=True,
        )
        column.addWidget(self.lock_hint)
        if self.missing_instrument:
            ref = self.assessment.instrument
            warning = label(
                f"Deze beoordeling is gedaan met het instrument '{ref.id}' versie {ref.version}, "
                "dat op deze laptop niet beschikbaar is. De antwoorden blijven bewaard; begin "
                "zo nodig een nieuwe beoordeling.",
                style="color: #b00020;",
            )
            column.addWidget(warning)
            column.addStretch(1)
        else:
            self.sections: list[QGroupBox] = []
            for section in self.instrument.secties:
                box = self._build_section(section)
                self.sections.append(box)
                column.addWidget(box)
            column.addWidget(self._build_judgment())
            column.addWidget(self._build_consultation())
            column.addWidget(self._build_conclusion())
            column.addStretch(1)
        self.update_state()
        self.comparison = safety_compare.attach(self, column)  # evaluatie, afsluiting: then and now
        self.scroll = _scrollable(inner)
        outer = bare(QVBoxLayout(self))
        outer.addWidget(self.scroll)

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.header = label(name="Kind en beoordeling")
        row.addWidget(self.header, 1)
        self.new_button = button("&Nieuwe beoordeling", lambda: self.page.new_assessment(self.child),
                                 name="Nieuwe beoordeling van dit kind")
        row.addWidget(self.new_button)
        return row

    def _build_section(self, section: Any) -> QGroupBox:
        title = section.titel + (" (verplicht: elk item ja of nee)" if section.verplicht else "")
        # The title as a label that wraps: a group box title never does, and a long one
        # (a licensed instrument's) would make the page scroll sideways at 200 %.
        box = QGroupBox()
        box.setAccessibleName(section.titel)
        grid = QGridLayout(box)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(2, 4)
        heading = label(title, object_name="subheading")
        grid.addWidget(heading, 0, 0, 1, 4)
        row = 1
        if section.uitleg:
            grid.addWidget(_hint(section.uitleg), row, 0, 1, 4)
            row += 1
        heads = ["Item", "Aanwezig?", "Toelichting"]
        if self.first is not None:
            heads.append(f"Eerste ({format_date(self.first.datum)})")
        for col, text in enumerate(heads):
            grid.addWidget(label(f"<i>{escape(text)}</i>"), row, col)  # "Eerste (dd-mm-jjjj)" fits at 200 %
        row += 1
        for item in section.items:
            text = label(item.tekst)
            choice = RadioChoice(_ANSWERS, item.tekst)
            note = QLineEdit()
            note.setAccessibleName(f"Toelichting: {item.tekst}")
            note.setPlaceholderText(item.toelichting_hint or "Toelichting")
            if item.toelichting_hint:
                note.setToolTip(item.toelichting_hint)
            note_box, error = with_error(note)
            grid.addWidget(text, row, 0)
            grid.addWidget(choice, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(note_box, row, 2)
            if self.first is not None:
                earlier = QLabel(_answer_text(self.first.antwoorden.get(item.id)))
                earlier.setStyleSheet(_GREY)
                earlier.setAccessibleName(f"Eerste beoordeling: {item.tekst}")
                grid.addWidget(earlier, row, 3, Qt.AlignmentFlag.AlignTop)
            self.answer_choices[item.id] = choice
            self.answer_notes[item.id] = note
            self._errors[f"item:{item.id}"] = error
            answer: Path = ("antwoorden", item.id)
            first = partial(self._answer_first, item.id)
            self._bind(choice, (*answer, "aanwezig"), f"antwoord '{item.tekst}'", prepare=first,
                       to_model=lambda v: None if v == ONBEKEND else v, to_widget=_radio_value)
            self._bind(note, (*answer, "toelichting"), f"toelichting '{item.tekst}'", f"item:{item.id}", prepare=first)
            row += 1
        return box

    def _build_judgment(self) -> QGroupBox:
        box = QGroupBox("Oordeel van de professional")
        self.judgment_box = box
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 3)
        comparing = self.first is not None
        if comparing:
            grid.addWidget(QLabel("<i>Nu</i>"), 0, 1)
            grid.addWidget(label(f"<i>Eerste beoordeling ({format_date(self.first.datum)})</i>"), 0, 2)
            grid.setColumnStretch(2, 2)

        self.veiligheid_nu = RadioChoice([(v, v.label) for v in SafetyNow], "Veiligheid nu")
        self.veiligheid_uitleg = _hint()
        self.risico = RadioChoice([(v, v.label) for v in RiskLater], glossary_label("risico_later"))
        self.risico_uitleg = _hint()
        self.onderbouwing = short_text(4)
        self.onderbouwing.setPlaceholderText(
            "Waarom komt u tot dit oordeel? Weeg de signalen, risico's en beschermende factoren, "
            "en wat de problemen van de ouders voor dit kind betekenen."
        )
        rows = [
            ("&Veiligheid nu:", self.veiligheid_nu, self.veiligheid_uitleg, "veiligheid_nu"),
            ("&" + glossary_label("risico_later") + ":", self.risico, self.risico_uitleg, "risico"),
            ("&Onderbouwing (verplicht):", self.onderbouwing, None, "onderbouwing"),
        ]
        r = 1 if comparing else 0
        for text, widget, hint, name in rows:
            caption = QLabel(text)
            caption.setBuddy(widget)
            cell, self._errors[name] = with_error(widget, *([hint] if hint is not None else []))
            grid.addWidget(caption, r, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(cell, r, 1)
            if comparing:
                grid.addWidget(self._earlier(name), r, 2, Qt.AlignmentFlag.AlignTop)
            self._bind(widget, (name,), text.replace("&", "").rstrip(":").replace(" (verplicht)", "").lower(), name)
            r += 1
        self.onderbouwing.setAccessibleName("Onderbouwing van het oordeel (verplicht)")
        return box

    def _earlier(self, name: str) -> QLabel:
        first = self.first
        assert first is not None
        if name != "onderbouwing":  # veiligheid_nu, risico
            value = getattr(first, name)
            text = value.label if value else "—"
        else:
            text = first.onderbouwing or "—"
            if first.consultatie is not None:
                c = first.consultatie
                text += f"\n\nOverlegd met {_MET_LABELS.get(c.met, c.met).lower()}"
                text += f" {c.naam}" if c.naam else ""
                text += f" op {format_date(c.datum)}."
        earlier = label(text, style=_GREY, name=f"Eerste beoordeling: {name.replace('_', ' ')}")
        earlier.setTextFormat(Qt.TextFormat.PlainText)
        return earlier

    def _build_consultation(self) -> QGroupBox:
        box = QGroupBox("Overleg met een tweede professional")
        box.setAccessibleName("Overleg met een tweede professional")
        self.consult_box = box
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(label("Bij dit oordeel is overleg met een collega of gedragswetenschapper verplicht. "
                            "Leg vast met wie, wanneer en wat de uitkomst was."))
        options = [(m, _MET_LABELS.get(m, m)) for m in self.instrument.oordeel.consultatie_met]
        self.consult_met = RadioChoice(options, "Overlegd met")
        self.consult_naam = QLineEdit()
        self.consult_datum = short_date_edit(self.page.context.today, "Datum van het overleg")
        self.consult_uitkomst = short_text(3)
        self.consult_uitkomst.setAccessibleName("Uitkomst van het overleg")
        self._errors["consult_met"] = form_row(form, "Overlegd m&et:", self.consult_met)
        self._errors["consult_naam"] = form_row(
            form, "Naa&m:", self.consult_naam, accessible_name="Naam van de collega of gedragswetenschapper"
        )
        self._errors["consult_datum"] = form_row(form, "Da&tum overleg:", self.consult_datum)
        self._errors["consult_uitkomst"] = form_row(form, "&Uitkomst overleg:", self.consult_uitkomst)
        self.consult_hint = _hint("Kies eerst met wie u overlegde.")
        form.addRow("", self.consult_hint)
        self._bind(self.consult_met, ("consultatie", "met"), "overleg", "consult_met", prepare=self._consult_first)
        for name, widget in (("naam", self.consult_naam), ("datum", self.consult_datum), ("uitkomst", self.consult_uitkomst)):
            self._bind(widget, ("consultatie", name), f"{name} van het overleg", f"consult_{name}")
        return box

    def _build_conclusion(self) -> QWidget:
        box = QWidget()
        column = bare(QVBoxLayout(box))
        self.afronden = QCheckBox("Beoordeling &afronden")
        self.afronden.setAccessibleName("Beoordeling afronden")
        self.afronden.setToolTip(
            "Rond af als het oordeel, de onderbouwing en zo nodig het overleg zijn vastgelegd."
        )
        error = self._errors["afgerond"] = ErrorLabel(self.afronden)
        self.afronden.toggled.connect(self._refuse_incomplete)  # before the binder's slot: it reads what this leaves
        self._bind(self.afronden, ("afgerond",), "beoordeling afronden", prepare=lambda done: self._create() if done else [])
        column.addWidget(self.afronden)
        column.addWidget(error)
        return box

    # --- state ------------------------------------------------------------------------------

    def update_state(self) -> None:
        """Show what follows from the model (after any change: an edit, an undo, a colleague's)."""
        self._update_header()
        if self.instrument is not None:
            self._update_judgment_hints()
            self._update_consultation()
            self._update_lock()
        self._update_new_button()
        if getattr(self, "comparison", None) is not None:  # evaluatie: then and now (an undo too)
            self.comparison.refresh()

    def _update_header(self) -> None:
        age = self.child.age_on(self.dossier.gesprek.datum)
        parts = [f"<b>{escape(self.child.naam)}</b>, {age} jaar"]
        parts.append(f"beoordeling {self.number} van {format_date(self.assessment.datum)}" if self.saved else "nog geen beoordeling")
        if self.instrument is not None:
            parts.append(f"{escape(self.instrument.naam)} (versie {self.instrument.version})")
        self.header.setText(" · ".join(parts))

    @property
    def saved(self) -> bool:
        """Whether the assessment shown is in the dossier (not yet: until the first edit)."""
        return get(self.dossier, self.path) is not MISSING

    def current(self) -> bool:
        """Whether the panel still shows the child's latest assessment (or the one to make)."""
        latest = self.dossier.latest_assessment(self.child.id)
        if not self.saved:
            return latest is None
        return latest is not None and self.path[1] == Item(str(latest.id))

    def _update_new_button(self) -> None:
        if getattr(self, "earlier_note", None) is not None:
            return  # an earlier gesprek's assessment (safety_compare): only a new one is possible
        latest = self.dossier.latest_assessment(self.child.id)
        possible = latest is not None and (latest.afgerond or self.missing_instrument)
        self.new_button.setEnabled(possible)
        self.new_button.setToolTip(
            "Begin een herbeoordeling; de eerste beoordeling blijft bewaard en staat ernaast ter vergelijking."
            if possible else "Kan pas als de huidige beoordeling is afgerond."
        )

    def consultation_required(self) -> bool:
        a = self.assessment
        return bool(self.instrument.requires_consultation(a.veiligheid_nu, a.risico))

    def _update_consultation(self) -> None:
        required = self.consultation_required()
        # shown when the judgment needs it; recorded data stays visible too
        self.consult_box.setVisible(required or self.assessment.consultatie is not None)
        chosen = self.assessment.consultatie is not None
        for w in (self.consult_naam, self.consult_datum, self.consult_uitkomst):
            w.setEnabled(chosen)
        self.consult_hint.setVisible(not chosen)

    def _update_judgment_hints(self) -> None:
        judgment = self.instrument.oordeel
        a = self.assessment
        self.veiligheid_uitleg.setText(judgment.uitleg_veiligheid.get(a.veiligheid_nu, "") if a.veiligheid_nu else "")
        self.veiligheid_uitleg.setVisible(bool(self.veiligheid_uitleg.text()))
        self.risico_uitleg.setText(judgment.uitleg_risico.get(a.risico, "") if a.risico else "")
        self.risico_uitleg.setVisible(bool(self.risico_uitleg.text()))

    def _update_lock(self) -> None:
        if getattr(self, "earlier_note", None) is not None:
            return  # locked by safety_compare for good
        locked = self.assessment.afgerond
        for box in self.sections:
            box.setEnabled(not locked)
        self.judgment_box.setEnabled(not locked)
        self.consult_box.setEnabled(not locked)
        self.lock_hint.setVisible(locked)

    def missing_for_conclusion(self) -> list[str]:
        a = self.assessment
        missing: list[str] = []
        unanswered = self.instrument.unanswered_required(a)
        if unanswered:
            missing.append(f"{len(unanswered)} verplichte item(s) met ja of nee")
        if a.veiligheid_nu is None:
            missing.append("het oordeel over de veiligheid nu")
        if a.risico is None:
            missing.append("het risico later")
        if not a.onderbouwing:
            missing.append("de onderbouwing")
        if self.consultation_required() and (a.consultatie is None or not a.consultatie.naam):
            missing.append("het overleg met een tweede professional (met wie en naam)")
        return missing

    # --- edits --------------------------------------------------------------------------------

    def _answer_first(self, item_id: str, _value: object) -> list[tuple[Path, Any]]:
        edits = self._create()
        if item_id not in self.assessment.antwoorden:
            edits.append(((*self.path, "antwoorden", item_id), ItemAnswer()))
        return edits

    def _consult_first(self, met: object) -> list[tuple[Path, Any]]:
        edits = self._create()
        if self.assessment.consultatie is None:
            edits.append(((*self.path, "consultatie"), {
                "met": met, "naam": self.consult_naam.text(), "datum": from_qdate(self.consult_datum.date()),
                "uitkomst": self.consult_uitkomst.toPlainText(),
            }))
        return edits

    def _refuse_incomplete(self, checked: bool) -> None:
        """"Beoordeling afronden" only with a complete judgment; else say what is missing."""
        missing = self.missing_for_conclusion() if checked else []
        self._errors["afgerond"].show_messages(
            ["Nog niet af te ronden. Vul eerst in: " + "; ".join(missing) + "."] if missing else []
        )
        if missing:
            with QSignalBlocker(self.afronden):
                self.afronden.setChecked(False)

    # --- "Ga naar" -----------------------------------------------------------------------

    def target(self, path: Path) -> Path | QWidget:
        """Where "Ga naar" for ``path`` (within this child's assessments) lands: the bound
        field it names, or the first thing still to do; the afronden box while concluded."""
        if self.missing_instrument or getattr(self, "earlier_note", None) is not None:
            return self.new_button  # an assessment that stays as it is: assess again
        rest = path[2:] if path[:2] == self.path else ()
        a = self.assessment
        if rest[:1] in (("datum",), ("instrument",)):  # outdated, or an unknown instrument: assess again
            return self.new_button if self.new_button.isEnabled() else (*self.path, "afgerond")
        if a.afgerond:
            return (*self.path, "afgerond")
        if rest == ("consultatie",):
            c = a.consultatie
            rest = ("consultatie", "met" if c is None else "naam" if not c.naam else "uitkomst" if not c.uitkomst else "met")
        elif rest in ((), ("antwoorden",)):
            assert self.instrument is not None
            todo: list[Path] = [("antwoorden", i.id) for i in self.instrument.unanswered_required(a)]
            if rest == ("antwoorden",) or not a.antwoorden:
                todo.append(("antwoorden", self.instrument.items[0].id))
            todo += [(name,) for name in ("veiligheid_nu", "risico", "onderbouwing") if not getattr(a, name)]
            rest = todo[0] if todo else ("afgerond",)
        if rest[:1] == ("antwoorden",) and len(rest) == 2:
            rest = (*rest, "aanwezig")
        return (*self.path, *rest)


def _radio_value(aanwezig: object) -> object:
    """An item's ``aanwezig`` as its radio value: no answer none chosen, None "onbekend"."""
    return None if aanwezig is MISSING else ONBEKEND if aanwezig is None else aanwezig


class _ChildTab(QWidget):
    """A child's tab until its :class:`ChildPanel` is built and takes its place."""

    def __init__(self, child: Member) -> None:
        super().__init__()
        self.child = child


class _Panels(Mapping[UUID, ChildPanel]):
    """The children's panels by child id, in tab order; each is built when first asked for
    (a panel is some 80 ms of widgets, and the wijkcoach looks at one child at a time)."""

    def __init__(self, page: VeiligheidPage, children: list[Member]) -> None:
        self._page = page
        self._children = {child.id: child for child in children}
        self.built: dict[UUID, ChildPanel] = {}

    def __getitem__(self, child_id: UUID) -> ChildPanel:
        panel = self.built.get(child_id)
        if panel is None:
            panel = self.built[child_id] = self._page._build_panel(self._children[child_id])
        return panel

    def __iter__(self) -> Iterator[UUID]:
        return iter(self._children)

    def __len__(self) -> int:
        return len(self._children)


class VeiligheidPage(StepPage):
    """One tab per child under 18, each with its safety assessment."""

    step_id = "veiligheid"

    def __init__(self, context: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent, scroll=False)
        self.panels = _Panels(self, [])
        layout = bare(QVBoxLayout(self))
        # only the tab bar stays put; the explanation and the overall state scroll with each
        # child's panel, so the assessment keeps its room at 200 %
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Kinderen")
        self.tabs.setDocumentMode(True)
        for arrow in self.tabs.tabBar().findChildren(QToolButton):  # many tabs: still navigable
            arrow.setProperty(KEEP_ENABLED, True)
        self.tabs.currentChanged.connect(self._tab_shown)
        layout.addWidget(self.tabs, 1)
        self.no_children = label(
            "Er wonen geen kinderen onder de 18 in dit huishouden (op de datum van het gesprek); "
            "een veiligheidsbeoordeling is niet nodig.",
            hidden=True,
        )
        layout.addWidget(self.no_children)

    def rebuild(self) -> None:
        self._rebuild()

    def _rebuild(self, select: UUID | None = None) -> None:
        dossier = self.dossier
        assert dossier is not None
        current = select or self.current_child_id()
        children = dossier.children()
        self.binder.unbind(self.binder.widgets())  # every bound widget is in a panel
        with QSignalBlocker(self.tabs):
            while self.tabs.count():
                widget = self.tabs.widget(0)
                self.tabs.removeTab(0)
                widget.deleteLater()
            self.panels = _Panels(self, children)
            for child in children:
                index = self.tabs.addTab(_ChildTab(child), tab_title(dossier, child))
                self.tabs.setTabToolTip(index, f"Veiligheid van {child.naam}")
        ids = list(self.panels)
        if current in ids:
            self.tabs.setCurrentIndex(ids.index(current))
        self._tab_shown(self.tabs.currentIndex())
        self.tabs.setVisible(bool(ids))
        self.no_children.setVisible(not ids)

    def _tab_shown(self, index: int) -> None:
        """Each child's panel is built when its tab is first shown (or asked for), so the
        current tab is always a :class:`ChildPanel`."""
        tab = self.tabs.widget(index)
        if isinstance(tab, _ChildTab):
            self.panels[tab.child.id]  # builds it

    def _build_panel(self, child: Member) -> ChildPanel:
        """The child's panel, put in its tab in place of the placeholder."""
        panel = ChildPanel(self, child)
        panel.summary.setText(self.summary_text())
        if self.read_only:
            apply_read_only(panel, True)
        index = list(self.panels).index(child.id)
        placeholder = self.tabs.widget(index)
        assert isinstance(placeholder, _ChildTab) and placeholder.child.id == child.id
        current = self.tabs.currentIndex()
        text, tip = self.tabs.tabText(index), self.tabs.tabToolTip(index)
        with QSignalBlocker(self.tabs):
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, panel, text)
            self.tabs.setTabToolTip(index, tip)
            self.tabs.setCurrentIndex(current)
        placeholder.deleteLater()
        return panel

    def current_child_id(self) -> UUID | None:
        tab = self.tabs.currentWidget()
        return tab.child.id if isinstance(tab, (ChildPanel, _ChildTab)) else None

    def summary_text(self) -> str:
        """How many children's assessments are concluded, and whose are still open."""
        dossier = self.dossier
        if dossier is None or not dossier.children():
            return ""
        children = dossier.children()
        done = [c for c in children if (a := dossier.latest_assessment(c.id)) is not None and a.afgerond]
        open_names = [c.voornaam for c in children if c not in done]
        text = f"{len(done)} van {len(children)} kinderen afgerond."
        if open_names:
            text += " Nog open: " + ", ".join(open_names) + "."
        return text

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self.on_changed([])  # a page editing in place (a new child) names no paths: look again

    def on_changed(self, paths: list[Path]) -> None:
        """Any change (an edit here, an undo, a colleague's): rebuild when the children or a
        child's current assessment changed, else update what follows from the model."""
        dossier = self.dossier
        if dossier is None:
            return
        if [c.id for c in dossier.children()] != list(self.panels) or not all(
            p.current() for p in self.panels.built.values()
        ):
            self._rebuild()
            return
        for panel in self.panels.built.values():
            panel.update_state()
        text = self.summary_text()
        for index, child in enumerate(dossier.children()):
            self.tabs.setTabText(index, tab_title(dossier, child))
            if child.id in self.panels.built:
                self.panels.built[child.id].summary.setText(text)

    def new_assessment(self, child: Member) -> None:
        """A re-assessment: a new SafetyAssessment under the current instrument (T10), one undo step."""
        assert self.dossier is not None
        definitions = self.context.definitions
        assessment = SafetyAssessment(
            child_id=child.id, instrument=definitions.instrument().ref, datum=self.context.today, gesprek_id=self.dossier.gesprek.id
        )
        path: Path = ("veiligheid", Item(str(assessment.id)))
        self.edit(path, assessment, f"nieuwe beoordeling van {child.voornaam}")
        if not self.panels[child.id].current():  # not on screen: on_changed waits for the show
            self._rebuild(select=child.id)
        self.focus_path((*path, "antwoorden"))

    # --- "Ga naar" -----------------------------------------------------------------------

    def reveal(self, path: Path) -> None:
        """Open the tab of the child the path is about (else the first still open)."""
        ids = list(self.panels)
        if not ids:
            return
        child: UUID | None = None
        if len(path) >= 2 and isinstance(path[1], Item):
            if path[1].key == "child_id":
                child = UUID(path[1].id)
            else:
                child = next((p.child.id for p in self.panels.built.values() if p.path == path[:2]), None)
                found = get(self.dossier, path[:2])
                child = found.child_id if found is not MISSING else child
        if child not in ids:
            open_ids = [i for i in ids if not self.tabs.tabText(ids.index(i)).endswith("afgerond")]
            child = (open_ids or ids)[0]
        self.tabs.setCurrentIndex(ids.index(child))

    def focus_path(self, path: Path) -> bool:
        if not self.panels:
            return False
        self.reveal(path)
        panel = self.tabs.currentWidget()
        assert isinstance(panel, ChildPanel)
        target = panel.target(path)
        if isinstance(target, QWidget):  # "Nieuwe beoordeling": a button, bound to nothing
            self.focus_widget(target)
            return True
        return super().focus_path(target)

    def focus_widget(self, widget: QWidget) -> None:
        super().focus_widget(widget)
        panel = self.tabs.currentWidget()
        if isinstance(panel, ChildPanel):
            shown = widget.focusProxy() or widget
            panel.scroll.ensureWidgetVisible(shown)
            # a panel built just now has no geometry yet: scroll again once it is laid out
            QTimer.singleShot(0, lambda: panel.scroll.ensureWidgetVisible(shown))
