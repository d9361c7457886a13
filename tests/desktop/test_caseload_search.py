"""The caseload sorts and searches in the model (one pass, one reset per change)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import Qt

from forms import GesprekSoort
from forms.summary import GesprekStatus
from storage.records import DossierListing


def _listing(titel: str, adres: str, minutes: int, blokkerend: int = 0) -> DossierListing:
    now = dt.datetime.now(dt.UTC)
    return DossierListing(
        uuid.uuid4(), titel, adres, adres.split(", ")[1][:7], now - dt.timedelta(minutes=minutes),
        GesprekStatus.CONCEPT, blokkerend, 0, False, dt.date.today(), 1,
    )


def test_sorting_searching_and_the_selection(qtbot: Any) -> None:
    from desktop.caseload import CaseloadWindow

    window = CaseloadWindow(tasks=None)
    qtbot.addWidget(window)
    rows = [
        _listing("Familie Jansen", "Kerkstraat 3, 1781 AB Den Helder", 5, 2),
        _listing("Familie Bakker", "Dorpsweg 1, 1791 CD Den Burg", 1),
        _listing("Familie de Vries", "Kerkstraat 9, 1781 AB Den Helder", 30, 1),
    ]
    window.set_listings(rows)
    titles = lambda: [window.model.data(window.model.index(r, 0)) for r in range(window.model.rowCount())]  # noqa: E731
    assert titles() == ["Familie Bakker", "Familie Jansen", "Familie de Vries"]  # newest change first
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert titles() == ["Familie Bakker", "Familie de Vries", "Familie Jansen"]
    window.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # most open points first
    assert titles() == ["Familie Jansen", "Familie de Vries", "Familie Bakker"]
    window.table.setCurrentIndex(window.model.index(1, 0))  # de Vries
    window.search.setText("kerkstraat  1781AB")
    assert titles() == ["Familie Jansen", "Familie de Vries"]
    assert window.current_id() == rows[2].id  # still chosen while shown
    assert window.count_label.text() == "2 van 3 huishoudens"
    window.only_gaps.setChecked(True)
    window.search.setText("bakker")
    assert titles() == [] and window.count_label.text() == "0 van 3 huishoudens"
    window.only_gaps.setChecked(False)
    assert titles() == ["Familie Bakker"] and window.current_id() == rows[1].id
    window.set_listings(rows[:1])
    window.search.clear()
    assert window.count_label.text() == "1 huishouden"


def _trajectory_listing(
    titel: str, fase: str, volgende: dt.date | None, *, te_laat: bool = False, waakvlam: dt.date | None = None,
    status: GesprekStatus = GesprekStatus.GETEKEND,
) -> Any:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Listing(DossierListing):  # the summary columns storage adds for the trajectory
        fase: str = "intake"
        volgende_evaluatie: dt.date | None = None
        waakvlam: dt.date | None = None
        te_laat: bool = False

    now = dt.datetime.now(dt.UTC)
    return Listing(
        uuid.uuid4(), titel, "Kerkstraat 3, 1781 AB Den Helder", "1781 AB", now, status, 0, 0, False,
        dt.date.today(), 1, fase, volgende, waakvlam, te_laat,
    )


def test_the_phase_the_next_evaluation_and_overdue_ones_first(qtbot: Any) -> None:
    from desktop.caseload import COLUMNS, VISUAL_ORDER, CaseloadWindow

    window = CaseloadWindow(tasks=None)
    qtbot.addWidget(window)
    today = dt.date.today()
    rows = [
        _trajectory_listing("Familie Jansen", "lopend", today + dt.timedelta(days=20)),
        _trajectory_listing("Familie Bakker", "lopend", today - dt.timedelta(days=3), te_laat=True),
        _trajectory_listing("Familie Smit", "afgesloten", None, waakvlam=today + dt.timedelta(days=60)),
        _trajectory_listing("Familie de Vries", "evaluatie", today - dt.timedelta(days=1), te_laat=True,
                            status=GesprekStatus.CONCEPT),
    ]
    window.set_listings(rows)
    col = {name: COLUMNS.index(name) for name in ("Fase", "Volgende evaluatie", "Waakvlam")}
    cell = lambda r, c: window.model.data(window.model.index(r, c))  # noqa: E731
    titles = lambda: [cell(r, 0) for r in range(window.model.rowCount())]  # noqa: E731
    # overdue first whatever the sort: by name, and by name the other way round
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert titles() == ["Familie Bakker", "Familie de Vries", "Familie Jansen", "Familie Smit"]
    window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert titles()[:2] == ["Familie de Vries", "Familie Bakker"]
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    # in words, not only in colour
    late = rows[1].volgende_evaluatie
    assert cell(0, col["Volgende evaluatie"]) == f"te laat · {late:%d-%m-%Y}"
    assert cell(0, col["Fase"]) == "Lopend" and cell(1, col["Fase"]) == "Evaluatie"
    assert cell(3, col["Fase"]) == "Afgesloten" and cell(3, col["Volgende evaluatie"]) == "—"
    assert cell(3, col["Waakvlam"]) == f"{rows[2].waakvlam:%d-%m-%Y}"
    spoken = window.model.data(window.model.index(0, col["Volgende evaluatie"]), Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("Evaluatie te laat")
    # where the household stands comes right after its name on screen
    header = window.table.horizontalHeader()
    assert [header.logicalIndex(v) for v in range(4)] == list(VISUAL_ORDER[:4]) == [0, *col.values()]
    # the filter "evaluatie te laat"
    window.only_late.setChecked(True)
    assert titles() == ["Familie Bakker", "Familie de Vries"]
    assert window.count_label.text() == "2 van 4 huishoudens"
    window.only_late.setChecked(False)
    # a finalised gesprek offers the next one; a closed trajectory only a new intake
    window.table.setCurrentIndex(window.model.index(0, 0))  # Bakker: lopend, finalised
    assert not window.evaluatie_button.isHidden() and not window.afsluiting_button.isHidden()
    assert window.intake_button.isHidden()
    started: list[Any] = []
    window.start_requested.connect(lambda *args: started.append(args))
    window.evaluatie_button.click()
    assert started == [(rows[1].id, GesprekSoort.EVALUATIE)]
    window.table.setCurrentIndex(window.model.index(1, 0))  # de Vries: an evaluatie being written
    assert window.next_bar.isHidden()
    window.table.setCurrentIndex(window.model.index(3, 0))  # Smit: closed
    assert window.evaluatie_button.isHidden() and not window.intake_button.isHidden()
    opened: list[Any] = []
    window.timeline_requested.connect(opened.append)
    window.timeline_button.click()
    assert opened == [rows[2].id]
