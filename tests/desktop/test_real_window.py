"""The application in a real X window at 100, 125, 150 and 200 %, driven by the keyboard.

The rest of the desktop tests run offscreen, where no window manager places windows and
no screen has an edge. Here ``tests/desktop/realwindow_driver.py`` starts the
``keukentafel`` command itself (``desktop.app.main --demo``) on an Xvfb display of
1366×768 with a window manager (``.ci/run`` starts both and sets
``KEUKENTAFEL_TEST_DISPLAY``; without it the test starts its own Xvfb if there is one),
with ``QT_SCALE_FACTOR`` at each scale, opens the demo household with Enter and walks
every step with Ctrl+PgDown. Each check is its own test, per scale. The screenshots of
every run stay in a temporary folder (printed; ``pytest -s`` shows the path).

Skipped only when no X display can be had; under CI (``CI=true``) that fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DRIVER = Path(__file__).with_name("realwindow_driver.py")
ROOT = Path(__file__).resolve().parents[2]
SCALES = ("1", "1.25", "1.5", "2")
SHOTS = Path(tempfile.gettempdir()) / "keukentafel-real-window"


def _start_xvfb() -> tuple[str, list[subprocess.Popen[bytes]]]:
    if not shutil.which("Xvfb"):
        return "", []
    for number in range(150, 200):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        xvfb = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            if Path(f"/tmp/.X11-unix/X{number}").exists() or xvfb.poll() is not None:
                break
            time.sleep(0.1)
        if xvfb.poll() is None:
            procs = [xvfb]
            if shutil.which("openbox"):
                env = {**os.environ, "DISPLAY": f":{number}"}
                procs.append(subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                time.sleep(0.5)
            return f":{number}", procs
    return "", []


def _xcb_missing() -> str:
    """The X libraries Qt's xcb plugin lacks on this machine ('' when none)."""
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists() or not shutil.which("ldd"):
        return ""
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout
    return " ".join(line.split()[0] for line in out.splitlines() if "not found" in line)


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    missing = _xcb_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"Qt cannot open a window, missing: {missing} (.ci/setup --xvfb installs them as root)")
        pytest.skip(f"Qt cannot open a window here, missing: {missing} (bash .ci/setup --gui)")
    name = os.environ.get("KEUKENTAFEL_TEST_DISPLAY", "")
    procs: list[subprocess.Popen[bytes]] = []
    if not name:
        name, procs = _start_xvfb()
    if not name:
        if os.environ.get("CI"):
            pytest.fail("no X display for the real-window tests: .ci/setup installs Xvfb, .ci/run starts it")
        pytest.skip("no X display (install xvfb and openbox, or run .ci/run)")
    yield name
    for proc in reversed(procs):
        proc.terminate()
        proc.wait(10)


_runs: dict[str, dict[str, Any]] = {}


def _run(display: str, scale: str, tmp_root: Path) -> dict[str, Any]:
    if scale in _runs:
        return _runs[scale]
    shots = SHOTS / f"scale-{scale}"
    shutil.rmtree(shots, ignore_errors=True)
    out = tmp_root / f"report-{scale}.json"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QT_", "KEUKENTAFEL_")) and key != "DISPLAY"
    }
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        QT_SCALE_FACTOR=scale,
        QT_SCALE_FACTOR_ROUNDING_POLICY="PassThrough",
        HOME=str(tmp_root / "home"),  # the window sizes it remembers start fresh
        XDG_CONFIG_HOME=str(tmp_root / "config"),
        XDG_DATA_HOME=str(tmp_root / "data"),
        KEUKENTAFEL_UI_SETTINGS=str(tmp_root / f"venster-{scale}.ini"),
        PYTHONPATH=str(ROOT),
    )
    vault = tmp_root / f"demo-{scale}" / "kluis.db"
    proc = subprocess.run(
        [sys.executable, str(DRIVER), str(out), str(shots), "--", "--demo", "--vault", str(vault)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.exists(), f"the application did not run (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in report, report["error"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    print(f"\nscreenshots at {scale}: {shots}")
    _runs[scale] = report
    return report


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("real-window")


@pytest.fixture(params=SCALES, ids=[f"{float(s) * 100:g}%" for s in SCALES])
def run(request: pytest.FixtureRequest, display: str, tmp_root: Path) -> dict[str, Any]:
    return _run(display, request.param, tmp_root)


def test_walks_the_caseload_and_every_step_of_the_demo_households_evaluatie(run: dict[str, Any]) -> None:
    import forms
    from forms import GesprekSoort

    assert not run["exceptions"], "\n".join(run["exceptions"])
    # the demo household's current gesprek is an evaluatie (it has a history: intake, evaluatie)
    steps = forms.rules.sections_for(GesprekSoort.EVALUATIE)
    assert set(steps) - {"meldcode"} <= set(run["steps"]), run["steps"]
    assert len(run["screens"]) == len(run["steps"]) + 3  # unlock, caseload, the steps, Geschiedenis
    assert run["screen"][2:] == [round(1366 / run["dpr"]), round(768 / run["dpr"])] or run["dpr"] != 1


def test_the_geschiedenis_opens_with_ctrl_h_and_reads_in_dutch(run: dict[str, Any]) -> None:
    assert "Dossier aangemaakt" in run["history"], run["history"]


def test_every_window_is_inside_the_available_screen(run: dict[str, Any]) -> None:
    assert not run.get("outside"), "\n".join(run.get("outside", []))


def test_every_interactive_widget_is_reachable_and_forms_do_not_scroll_sideways(run: dict[str, Any]) -> None:
    assert not run.get("unreachable"), "\n".join(run.get("unreachable", []))


def test_no_text_is_cut_off(run: dict[str, Any]) -> None:
    assert not run.get("elided"), "\n".join(run.get("elided", []))


def test_every_shortcut_letter_is_used_once_per_window(run: dict[str, Any]) -> None:
    assert not run.get("mnemonics"), "\n".join(run.get("mnemonics", []))


def test_focus_is_on_the_first_field_after_a_step_change(run: dict[str, Any]) -> None:
    assert not run.get("focus"), "\n".join(run.get("focus", []))
