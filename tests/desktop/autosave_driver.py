"""Runs the real application in a process of its own, for ``test_autosave_kill``.

    python tests/desktop/autosave_driver.py type VAULT DOSSIER_ID TEXT   (passphrase on stdin)
    python tests/desktop/autosave_driver.py read VAULT DOSSIER_ID        (passphrase on stdin)

Both start :class:`desktop.app.KeukentafelApp` offscreen, unlock the vault through the
unlock dialog (key clicks), open the dossier from the caseload and go to the step
"Hulpvraag, analyse en perspectief" by clicking it in the step list.

``type`` empties the hulpvraag field and types TEXT with QTest key clicks, waits until
the status bar says "Opgeslagen HH:MM" (nothing dirty, no save in flight), prints
``OPGESLAGEN {json}`` and flushes; then it idles in the event loop until it is killed
(the test sends SIGKILL). It quits by itself after a while, so it never outlives a
failed test.

``read`` prints ``TEKST <json string>`` with what the hulpvraag field shows, then quits
cleanly.

Every wait is bounded: on a timeout the driver prints ``FOUT <what>`` and exits 2.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root

WAIT_S = 90.0  # a loaded 2-core machine: key derivation and the first paint can be slow
LINGER_MS = 180_000  # idle at most this long waiting for the SIGKILL


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def wait(condition: Callable[[], bool], what: str) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            say(f"FOUT wachten op {what}")
            os._exit(2)
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)


def main(argv: list[str]) -> int:
    mode, vault, dossier_id = argv[0], Path(argv[1]), UUID(argv[2])
    text = argv[3] if mode == "type" else ""
    passphrase = sys.stdin.readline().rstrip("\n")

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop.app import KeukentafelApp, apply_style
    from desktop.steps.base import STEP_IDS

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    apply_style(app)
    controller = KeukentafelApp(vault, idle_minutes=60)
    controller.finished.connect(app.quit)
    controller.start()

    dialog = controller.dialog
    wait(lambda: dialog.isVisible(), "het ontgrendelvenster")
    QTest.keyClicks(dialog.passphrase, passphrase)
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait(lambda: controller.caseload is not None and dossier_id in controller.caseload.listing_ids(), "de huishoudens")

    caseload = controller.caseload
    caseload.table.setCurrentIndex(caseload.model.index(caseload.listing_ids().index(dossier_id), 0))
    QTest.mouseClick(caseload.open_button, Qt.MouseButton.LeftButton)
    wait(lambda: controller.workspace is not None and controller.workspace.isVisible(), "het gesprek")

    ws = controller.workspace
    item = ws.step_list.item(STEP_IDS.index("hulpvraag"))
    ws.step_list.scrollToItem(item)
    QTest.mouseClick(
        ws.step_list.viewport(), Qt.MouseButton.LeftButton, pos=ws.step_list.visualItemRect(item).center()
    )
    wait(lambda: ws.current_step_id == "hulpvraag", "de stap Hulpvraag")
    edit = ws.page("hulpvraag").hulpvraag_edit
    wait(lambda: edit.isVisible(), "het veld Hulpvraag")

    if mode == "read":
        say("TEKST " + json.dumps(edit.toPlainText()))
        controller.shutdown()
        return 0

    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)
    typed = time.monotonic()
    if edit.toPlainText() != text:
        say("FOUT het veld toont " + json.dumps(edit.toPlainText()))
        return 2
    wait(
        lambda: ws.save_label.text().startswith("Opgeslagen") and not ws.dirty and not ws.saving,
        "de melding Opgeslagen",
    )
    say("OPGESLAGEN " + json.dumps({"label": ws.save_label.text(), "na_ms": round((time.monotonic() - typed) * 1000)}))
    QTimer.singleShot(LINGER_MS, app.quit)  # nobody killed us: stop anyway
    app.exec()
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
