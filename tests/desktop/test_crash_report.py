"""The crash report (issue 9): a real segmentation fault in a process of its own, with the
demo family open in a workspace window; the next start finds the report, keeps it aside
and tells the user. The report holds names of code, never the family's data."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.crashreport import CRASH_FILE, PREVIOUS_FILE, CrashReport, crash_folder, notice, take_previous

ROOT = Path(__file__).resolve().parents[2]

CRASHING = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {root!r})
from desktop.crashreport import CrashReport
report = CrashReport({folder!r})
assert report.start()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from forms.demo import demo_dossier
from desktop.tasks import TaskManager
from desktop.workspace import WorkspaceWindow
tasks = TaskManager()
dossier = demo_dossier()
window = WorkspaceWindow(tasks, dossier)  # the family on screen
window.show()
app.processEvents()

def crash_while_holding(dossier, naam, bsn):
    import faulthandler
    faulthandler._sigsegv()

member = dossier.huishouden.leden[0]
crash_while_holding(dossier, member.voornaam + " " + member.achternaam, "123456782")
"""

CLEAN = """
import sys
sys.path.insert(0, {root!r})
from desktop.crashreport import CrashReport
report = CrashReport({folder!r})
assert report.start()
report.stop()
"""


def run(script: str, folder: Path) -> subprocess.CompletedProcess[str]:
    code = script.format(root=str(ROOT), folder=str(folder))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v)]
    return []


def test_a_crash_leaves_a_report_without_personal_data_that_the_next_start_finds(tmp_path: Path) -> None:
    from forms.demo import demo_dossier

    folder = tmp_path / "Keukentafel"
    (folder / PREVIOUS_FILE).parent.mkdir(parents=True)
    (folder / PREVIOUS_FILE).write_text("an older report")
    done = run(CRASHING, folder)
    assert done.returncode == -signal.SIGSEGV, done.stderr[-2000:]
    assert (folder / CRASH_FILE).stat().st_mode & 0o077 == 0  # the owner's only

    report = take_previous(folder)  # the next start
    assert report == folder / PREVIOUS_FILE and not (folder / CRASH_FILE).exists()
    text = report.read_text(encoding="utf-8")
    assert "Segmentation fault" in text
    assert "crash_while_holding" in text  # where it happened
    assert text.count("Thread 0x") + text.count("Current thread 0x") >= 2  # every thread
    assert "tasks.py" in text  # the vault thread's stack too (idle in queue.get)

    family = {s for s in strings(demo_dossier().model_dump(mode="json")) if len(s) >= 4}
    assert "Sanne" in family and "Bakker" in family
    leaked = sorted(s for s in family | {"123456782", "Sanne Bakker"} if s in text)
    assert leaked == []

    assert take_previous(folder) is None  # told once
    assert "onverwacht afgesloten" in notice(report) and str(report) in notice(report)


def test_a_clean_exit_leaves_nothing(tmp_path: Path) -> None:
    done = run(CLEAN, tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / CRASH_FILE).exists()
    assert take_previous(tmp_path) is None and not (tmp_path / PREVIOUS_FILE).exists()


def test_an_empty_report_is_no_crash(tmp_path: Path) -> None:
    (tmp_path / CRASH_FILE).write_text("")  # e.g. the power went off: no crash was written
    assert take_previous(tmp_path) is None and not (tmp_path / CRASH_FILE).exists()


def test_the_report_lives_where_the_vault_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEUKENTAFEL_VAULT", str(tmp_path / "kluis.db"))
    assert crash_folder() == tmp_path
    assert crash_folder(tmp_path / "elders" / "kluis.db") == tmp_path / "elders"


def test_an_unwritable_folder_only_means_no_report(tmp_path: Path) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("")
    report = CrashReport(blocker / "map")  # a folder below a file cannot exist
    assert report.start() is False and not report.active
    report.stop()
