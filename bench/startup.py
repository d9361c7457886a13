"""Start-up, idle CPU and caseload search of the application, against a baseline in the same run.

    .venv/bin/python bench/startup.py [--dossiers 500] [--search-dossiers 5000] [--idle-seconds 60] [--rounds 3]

Measures:
- start-up: process start → the caseload of a vault with N dossiers on screen, unlocked
  (the real ``keukentafel`` entry point, ``desktop.app.main``; the passphrase is typed into
  the unlock dialog by a timer inside the process), median of ``--rounds``;
- the baseline: process start → a bare PySide6 window on screen plus the same key
  derivation (``storage.open_vault`` of the same vault), median of ``--rounds``;
- idle CPU: the application with the demo gesprek open, left alone for ``--idle-seconds``:
  the CPU time of the process over that time, in % of one core (a laptop on battery at
  the kitchen table);
- search: the caseload's search filter (``desktop.caseload.ListingModel.set_criteria``) over the
  listings of a vault of ``--search-dossiers`` households, median of several queries.

Qt runs offscreen unless ``DISPLAY`` is set (then on that display). The last line:
    startup_s=… ratio_vs_bare=… idle_cpu_pct=… search_ms=…
Targets: ratio ≤ 1.5, idle CPU ≤ 0.5 %, search ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSPHRASE = "benchmark-wachtwoord-lang-genoeg"


# --- children (run in their own process) ---------------------------------------------------


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    return env


def child_app(vault: str, expected: int, idle_seconds: float) -> int:
    """The application: type the passphrase, wait for the caseload; then (idle mode) open
    the first household and measure CPU over ``idle_seconds``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.app import main

    app = QApplication.instance() or QApplication(sys.argv[:1])
    state = {"typed": False, "ready": False, "opened": False}

    def poll() -> None:
        from desktop.vaultdialogs import UnlockVaultDialog

        for window in QApplication.topLevelWidgets():
            if isinstance(window, UnlockVaultDialog) and window.isVisible() and not state["typed"]:
                window.passphrase.setText(PASSPHRASE)
                window.ok_button.click()
                state["typed"] = True
            if window.objectName() == "caseload" and window.isVisible() and not state["ready"]:
                if window.model.rowCount() >= expected:
                    state["ready"] = True
                    print(f"READY {time.time():.6f}", flush=True)
                    if idle_seconds <= 0:
                        window.close()  # the application quits
                        return
                    window.table.setCurrentIndex(window.model.index(0, 0))
                    window.open_selected()
            if window.objectName() == "workspace" and window.isVisible() and not state["opened"]:
                state["opened"] = True
                QTimer.singleShot(3000, start_idle)  # settle first
                return
        if not (state["ready"] and state["opened"]):
            QTimer.singleShot(5, poll)

    def start_idle() -> None:
        begin = os.times()
        wall = time.monotonic()

        def done() -> None:
            end = os.times()
            cpu = (end.user - begin.user) + (end.system - begin.system)
            print(f"IDLE {100 * cpu / (time.monotonic() - wall):.4f}", flush=True)
            for window in QApplication.topLevelWidgets():
                if window.objectName() == "workspace":
                    window.close()
            for window in QApplication.topLevelWidgets():
                if window.objectName() == "caseload":
                    window.close()

        QTimer.singleShot(int(idle_seconds * 1000), done)

    QTimer.singleShot(0, poll)
    del app
    return main(["--vault", vault, "--idle-minutes", "60"])


def child_bare(vault: str) -> int:
    """The baseline: a bare PySide6 window on screen plus the same key derivation."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    import storage

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Keukentafel"))
    window.resize(1200, 700)
    window.show()

    def ready() -> None:
        opened = storage.open_vault(Path(vault), PASSPHRASE)
        opened.close()
        print(f"READY {time.time():.6f}", flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    return app.exec()


# --- the parent -------------------------------------------------------------------------------


def _spawn(args: list[str], timeout: float) -> tuple[float, dict[str, str]]:
    start = time.time()
    proc = subprocess.run(
        [sys.executable, __file__, *args], env=_child_env(), capture_output=True, text=True, timeout=timeout
    )
    found: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        key, _, value = line.partition(" ")
        if key in ("READY", "IDLE"):
            found[key] = value
    if "READY" not in found:
        raise RuntimeError(f"child {args[0]} did not get ready (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return float(found["READY"]) - start, found


def make_vault(path: Path, count: int) -> None:
    import storage
    from forms.demo import demo_dossier

    template = demo_dossier()
    vault = storage.create_vault(path, PASSPHRASE)
    try:
        for number in range(count):
            dossier = template.model_copy(deep=True)
            dossier.id = uuid.uuid4()
            dossier.huishouden.adres.huisnummer = str(number + 1)
            vault.save(dossier)
    finally:
        vault.close()


def search_ms(path: Path) -> float:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    import storage
    from desktop.app import apply_style
    from desktop.caseload import CaseloadWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_style(app)  # type: ignore[arg-type]
    vault = storage.open_vault(path, PASSPHRASE)
    try:
        listings = vault.list_dossiers()
    finally:
        vault.close()
    window = CaseloadWindow(tasks=None)  # the real window, sorted newest first, on screen
    window.set_listings(listings)
    window.show()
    QApplication.processEvents()
    samples = []
    for query in ("bakker", "1781 ab", "voorbeeldstraat 4", "yılmaz den helder", "zzz", ""):
        start = time.perf_counter()
        window.search.setText(query)  # what typing does: filter, count, selection
        window.table.viewport().repaint()  # and the rows drawn
        samples.append((time.perf_counter() - start) * 1000)
    window.hide()
    del app
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/startup.py")
    parser.add_argument("--dossiers", type=int, default=500)
    parser.add_argument("--search-dossiers", type=int, default=5000)
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="keukentafel-bench-", dir=args.dir) as tmp:
        folder = Path(tmp)
        vault = folder / "kluis.db"
        made = time.perf_counter()
        make_vault(vault, args.dossiers)
        print(f"vault of {args.dossiers} dossiers made in {time.perf_counter() - made:.1f} s", flush=True)

        app_times, bare_times = [], []
        for _ in range(args.rounds):  # interleaved: both see the same machine load
            bare_times.append(_spawn(["--child", "bare", str(vault)], 120)[0])
            app_times.append(_spawn(["--child", "app", str(vault), str(args.dossiers), "0"], 120)[0])
        startup, bare = statistics.median(app_times), statistics.median(bare_times)
        print(f"start-up to caseload: {startup:.2f} s (runs {', '.join(f'{t:.2f}' for t in app_times)})")
        print(f"bare window + key derivation: {bare:.2f} s (runs {', '.join(f'{t:.2f}' for t in bare_times)})")

        _, found = _spawn(
            ["--child", "app", str(vault), str(args.dossiers), str(args.idle_seconds)], args.idle_seconds + 120
        )
        idle = float(found.get("IDLE", "nan"))
        print(f"idle CPU with a gesprek open for {args.idle_seconds:g} s: {idle:.3f} % of a core")

        big = folder / "groot.db"
        made = time.perf_counter()
        make_vault(big, args.search_dossiers)
        print(f"vault of {args.search_dossiers} dossiers made in {time.perf_counter() - made:.1f} s", flush=True)
        search = search_ms(big)
        print(f"caseload search over {args.search_dossiers} households: {search:.1f} ms (median)")

    print(f"startup_s={startup:.3f} ratio_vs_bare={startup / bare:.2f} idle_cpu_pct={idle:.3f} search_ms={search:.1f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        if sys.argv[2] == "bare":
            sys.exit(child_bare(sys.argv[3]))
        sys.exit(child_app(sys.argv[3], int(sys.argv[4]), float(sys.argv[5])))
    sys.exit(main())
