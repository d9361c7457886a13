"""The caseload sorts and searches in the model (one pass, one reset per change)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import Qt

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
    titles = lambda: [window.proxy.data(window.proxy.index(r, 0)) for r in range(window.proxy.rowCount())]  # noqa: E731
    assert titles() == ["Familie Bakker", "Familie Jansen", "Familie de Vries"]  # newest change first
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert titles() == ["Familie Bakker", "Familie de Vries", "Familie Jansen"]
    window.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # most open points first
    assert titles() == ["Familie Jansen", "Familie de Vries", "Familie Bakker"]
    window.table.setCurrentIndex(window.proxy.index(1, 0))  # de Vries
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
