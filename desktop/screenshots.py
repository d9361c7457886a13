"""Screenshots of every screen with the demo household, offscreen.

    python -m desktop.screenshots OUTDIR [--scale 2]

Opens the demo vault in a temporary folder (never the user's vault), and writes a
PNG of the unlock dialog, the caseload, every step of the demo household's evaluatie in
progress, its timeline, the finalised first evaluatie's evaluatie and kernbeslissing, an
afsluiting, and every step of an intake at 1366×768 physical pixels (at ``--scale 2`` the windows get half that in logical pixels, as on
a laptop at 200 %). Every image is checked for being more than a blank page; the
command exits non-zero if one is.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication  # the platform and scale are read when the application starts

__all__ = ["take_screenshots", "looks_blank", "main", "SCREEN"]

SCREEN = (1366, 768)


def looks_blank(image: Any, *, min_colours: int = 8, min_spread: int = 40) -> bool:
    """A blank (one-colour, or nearly) QImage: few distinct colours, little spread in grey."""
    width, height = image.width(), image.height()
    if width == 0 or height == 0:
        return True
    colours: set[int] = set()
    greys: list[int] = []
    step_x, step_y = max(1, width // 120), max(1, height // 80)
    for y in range(0, height, step_y):
        for x in range(0, width, step_x):
            rgb = image.pixel(x, y) & 0xFFFFFF
            colours.add(rgb)
            greys.append(((rgb >> 16) & 255) * 3 + ((rgb >> 8) & 255) * 6 + (rgb & 255) >> 3)
    spread = max(greys) - min(greys)
    return len(colours) < min_colours or spread < min_spread


def _wait(condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("het scherm verscheen niet op tijd")
        QApplication.processEvents()
        time.sleep(0.01)


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()
        time.sleep(0.01)


def take_screenshots(outdir: Path, *, scale: float = 1.0) -> list[Path]:
    """Write the PNGs; returns their paths. Raises RuntimeError if one looks blank.

    The demo household has a history (``forms.demo.demo_trajectory``): its current gesprek is
    an evaluatie in progress, so the workspace shows the evaluatie's steps; then its timeline,
    the finalised first evaluatie with its kernbeslissing, an afsluiting started after it,
    and the intake's steps of a household whose intake is in progress."""
    from forms import Dossier, GesprekSoort
    from forms.demo import demo_dossier

    from . import formsapi
    from .app import KeukentafelApp, apply_style
    from .workspace import WorkspaceWindow

    app = QApplication.instance()
    assert app is not None, "needs a QApplication"
    apply_style(app)  # type: ignore[arg-type]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    size = (round(SCREEN[0] / scale), round(SCREEN[1] / scale))
    written: list[Path] = []
    blank: list[str] = []

    def save(widget: Any, name: str) -> None:
        _settle()
        image = widget.grab().toImage()
        path = outdir / f"{len(written):02d}-{name}.png"
        image.save(str(path))
        written.append(path)
        if looks_blank(image):
            blank.append(path.name)

    def normal(window: Any) -> Any:
        window.showNormal()
        window.resize(*size)
        return window

    def steps(workspace: Any, prefix: str, only: tuple[str, ...] | None = None) -> None:
        normal(workspace)
        for number, step_id in enumerate(workspace.step_ids, start=1):
            if only is None or step_id in only:
                workspace.show_step(step_id)
                save(workspace, f"{prefix}{number:02d}-{step_id}")

    def apart(dossier: Dossier) -> WorkspaceWindow:
        """A workspace on a copy, under an id of its own, of a dossier that is not the demo
        household's current one (the workspace's document would otherwise take in what the
        vault holds under that id; nothing is edited, so nothing is saved)."""
        copy = dossier.model_copy(deep=True, update={"id": uuid.uuid4()})
        window = WorkspaceWindow(controller.tasks, copy, demo=True)
        window.show()
        return window

    with tempfile.TemporaryDirectory(prefix="keukentafel-screens-") as tmp:
        controller = KeukentafelApp(Path(tmp) / "kluis.db", demo=True, idle_minutes=60)
        extra: list[Any] = []
        try:
            controller.start()
            dialog = controller.dialog
            save(dialog, "kluis-openen")
            dialog.ok_button.click()
            _wait(lambda: controller.caseload is not None and controller.caseload.model.rowCount() > 0)
            caseload = normal(controller.caseload)
            save(caseload, "huishoudens")
            caseload.table.setCurrentIndex(caseload.model.index(0, 0))
            caseload.open_selected()
            _wait(lambda: controller.workspace is not None)
            workspace = controller.workspace
            dossier_id = workspace.dossier.id
            steps(workspace, "evaluatie-stap")

            timeline = controller.show_timeline(dossier_id)
            _wait(lambda: timeline.data is not None)
            save(normal(timeline), "tijdlijn")
            bar = timeline.scroll_area.verticalScrollBar()
            if bar.maximum() > 0:
                timeline.scroll_area.ensureWidgetVisible(timeline.chart)
                save(timeline, "tijdlijn-veiligheid")
                bar.setValue(bar.maximum())
                save(timeline, "tijdlijn-einde")
            timeline.close()

            # the first evaluatie as finalised (versie 2): its kernbeslissing, read-only
            stored: list[Any] = []
            controller.tasks.run_db(lambda vault: vault.load_version(dossier_id, 2).dossier_json, stored.append)
            _wait(lambda: bool(stored))
            evaluatie = Dossier.model_validate_json(stored[0])
            afsluiting = formsapi.start_gesprek(evaluatie, GesprekSoort.AFSLUITING)
            for dossier, prefix, only in (
                (evaluatie, "evaluatie1-stap", ("evaluatie", "kernbeslissingen")),
                (afsluiting, "afsluiting-stap", None),  # the afsluiting after it
                (demo_dossier(), "stap", None),  # an intake in progress: every step of the first gesprek
            ):
                window = apart(dossier)
                extra.append(window)
                steps(window, prefix, only)
                window.hide()
        finally:
            for window in extra:
                window.hide()
                window.deleteLater()
            controller.shutdown()
    if blank:
        raise RuntimeError("leeg beeld: " + ", ".join(blank))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.screenshots")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="schaalfactor, bijvoorbeeld 2 voor 200 %%")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        paths = take_screenshots(args.outdir, scale=args.scale)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    del app
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
