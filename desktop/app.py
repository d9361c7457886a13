"""The ``keukentafel`` command: vault dialogs, caseload, workspace, and the lock.

:class:`KeukentafelApp` is the small state machine over the screens (STYLE A1):

    locked ──(passphrase, key derivation on the vault thread)──▶ unlocked
    unlocked: caseload window, at most one workspace per dossier
    unlocked ──(Ctrl+L, or idle for N minutes)──▶ locked

Locking flushes a pending autosave first, then closes the vault on the vault thread
(after that save: the thread runs jobs in order) which drops the key material;
every window that shows personal data is closed and deleted (the window registry),
and the unlock dialog appears. Unlocking reopens the vault and returns to the same
dossier and step.

The sync (issue 6) runs in the background through :class:`~desktop.sync_status.SyncController`:
started after unlocking, stopped before locking (a run under way ends quietly at its next
vault call or back-off pause), run at once after importing sync settings or on
"Nu synchroniseren" (the indicator on the caseload, above its buttons). The run does not
ask which dossiers are open: it stores central content with a revision check and reports
the dossiers it changed (``SyncReport.changed``); after the run, a window that shows one of
them applies it to its document (:meth:`KeukentafelApp._apply_sync_changes`). A closed
workspace is deleted, so opening the dossier again reads what the vault holds now. A dossier with a
conflict opens with the "Verschillen met de gemeente" dialog
(:mod:`desktop.conflicts_dialog`); each choice reloads the open workspace and the caseload.
"""

from __future__ import annotations

import argparse
import functools
import logging
import math
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from .errors import is_damaged_vault, is_wrong_passphrase, message_for, show_error
from .fit import WheelGuard, dismiss, present, shown
from .settings import DEFAULT_IDLE_MINUTES, IDLE_SETTING, load_idle_minutes, load_verslag_settings
from .sync_status import SyncController, SyncStatusWidget
from .tasks import TaskManager, UiBlockWatchdog
from .windows import WindowRegistry

if TYPE_CHECKING:  # forms, storage and sync load lazily: a quick start
    import datetime as dt
    from types import TracebackType

    from forms import Dossier, GesprekSoort
    from forms.summary import Summary
    from forms.verslag import VerslagSettings
    from storage import Vault
    from sync import SyncEngine, SyncReport, ZGWClient

    from .caseload import CaseloadWindow
    from .conflicts_dialog import ConflictsDialog
    from .firstrun import WhoAreYouDialog
    from .timeline import TimelineWindow
    from .vaultdialogs import CreateVaultDialog, UnlockVaultDialog
    from .workspace import WorkspaceWindow

__all__ = [
    "main",
    "parse_args",
    "KeukentafelApp",
    "IdleWatcher",
    "DEMO_PASSPHRASE",
    "DEMO_VAULT_NAME",
    "DEFAULT_IDLE_MINUTES",
    "IDLE_SETTING",
    "demo_vault_path",
    "seed_demo",
    "apply_style",
]

log = logging.getLogger("keukentafel")

DEMO_PASSPHRASE = "demo-keukentafel"  # fictional data only; shown on screen on purpose
DEMO_VAULT_NAME = "demo-kluis.db"
CASELOAD = "caseload"


def _storage() -> Any:  # the storage module, imported late (a module has no type of its own to name)
    import storage

    return storage


def demo_vault_path(vault_path: Path | None = None) -> Path:
    """The demo vault sits beside the real one, in the user data folder."""
    base = Path(vault_path) if vault_path is not None else Path(_storage().default_vault_path())
    return base.with_name(DEMO_VAULT_NAME)


def seed_demo(vault: Vault, today: dt.date | None = None) -> Summary | None:
    """The demo household with its history (``forms.demo.demo_trajectory``): the intake and
    the first evaluatie finalised and stored with their verslag, the next evaluatie in
    progress. Vault thread only (builds the PDFs)."""
    from forms.demo import demo_trajectory

    from .finalising import store_history

    history = demo_trajectory(today)
    return store_history(vault, history.versions, history.current)


def apply_style(app: QApplication) -> None:
    """The calm stylesheet from resources/ (readable fonts, large click targets)."""
    from importlib import resources

    from PySide6.QtGui import QFont, QFontDatabase

    fonts = resources.files("resources").joinpath("fonts")
    family = None
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"):
        try:
            data = fonts.joinpath(name).read_bytes()
        except (FileNotFoundError, OSError):
            continue
        font_id = QFontDatabase.addApplicationFontFromData(data)
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = family or (families[0] if families else None)
    if family:
        app.setFont(QFont(family, 11))
    try:
        qss = resources.files("resources").joinpath("style.qss").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):  # pragma: no cover
        return
    app.setStyleSheet(qss)


class IdleWatcher(QObject):
    """Application-wide: no keyboard or mouse input for ``timeout_ms`` → ``idle``."""

    idle = Signal()
    _INPUT = frozenset({
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    })

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last = time.monotonic()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self.set_timeout_ms(timeout_ms)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timeout = timeout_ms / 1000
        self._timer.setInterval(max(20, min(1000, timeout_ms // 4)))

    @property
    def timeout_ms(self) -> int:
        return int(self._timeout * 1000)

    def start(self) -> None:
        self._last = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT:
            self._last = time.monotonic()
        return False

    def _check(self) -> None:
        if time.monotonic() - self._last >= self._timeout:
            self._timer.stop()
            self.idle.emit()

    def uninstall(self) -> None:
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def _close_modals_and_popups() -> None:
    """Close open menus, pickers and modal questions: they may show personal data too."""
    for _ in range(20):  # nested dialogs; never loop forever
        widget = QApplication.activePopupWidget() or QApplication.activeModalWidget()
        if widget is None:
            return
        reject = getattr(widget, "reject", None)
        if callable(reject):
            reject()
        widget.close()
        widget.hide()


def _engine_factory(app: KeukentafelApp) -> Callable[[Vault, ZGWClient], SyncEngine]:
    """``make_engine`` for the controller without a reference cycle back to the application
    (a cycle would let Python's collector delete its QObjects later, on whatever thread
    happens to run the collection -- a crash)."""
    ref = weakref.ref(app)

    def make(vault: Vault, client: ZGWClient) -> SyncEngine:
        owner = ref()
        if owner is None:
            raise SyncStopped("de toepassing is afgesloten")
        return owner._make_sync_engine(vault, client)

    return make


def _load_revision(dossier_id: UUID, vault: Vault) -> tuple[Dossier, str]:
    """On the vault thread: the stored dossier and its revision."""
    return vault.load_revision(dossier_id)


class SyncStopped(Exception):
    """Ends a sync run in its back-off pause: the vault was locked or the application quits."""


class KeukentafelApp(QObject):
    """The application's screens and the vault session's lifecycle."""

    unlocked = Signal()
    locked = Signal()
    finished = Signal()

    def __init__(
        self,
        vault_path: Path | str | None = None,
        *,
        demo: bool = False,
        idle_minutes: float | None = None,
        sync_options: dict[str, Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.demo = demo
        if vault_path is None:
            vault_path = os.environ.get("KEUKENTAFEL_VAULT") or _storage().default_vault_path()
        self.vault_path = Path(vault_path)
        if demo:
            self.vault_path = demo_vault_path(self.vault_path)
        self.idle_minutes_arg = idle_minutes
        self.tasks = TaskManager(self)
        self.registry = WindowRegistry(self)
        self.watchdog = UiBlockWatchdog(parent=self)
        minutes = idle_minutes if idle_minutes is not None else DEFAULT_IDLE_MINUTES
        self.idle = IdleWatcher(int(minutes * 60_000), self)
        self.idle.idle.connect(self.lock)
        # sync_options (tests): SyncController's make_client / make_engine / interval_ms,
        # and "engine": keyword arguments for sync.SyncEngine (say a short back-off)
        options = dict(sync_options or {})
        self._sync_engine_options: dict[str, Any] = dict(options.pop("engine", {}))
        options.setdefault("make_engine", _engine_factory(self))
        self._sync_stopped = threading.Event()  # set while locked: back-off sleeps end the run
        self.sync = SyncController(self.tasks, parent=self, **options)
        self.sync.run_finished.connect(self._sync_finished)
        self.last_sync_report: SyncReport | None = None
        self.conflicts_dialog: ConflictsDialog | None = None  # "Verschillen met de gemeente", one at a time
        self._opening: set[UUID] = set()  # dossiers being loaded for a workspace
        self.dialog: CreateVaultDialog | UnlockVaultDialog | None = None  # the create/unlock dialog while locked
        self.is_unlocked = False
        self._place: tuple[UUID, str] | None = None  # dossier and step to return to
        self._shut_down = False
        self._first_run = False  # the vault was just made: ask who the wijkcoach is
        self.who_dialog: WhoAreYouDialog | None = None

    # --- windows --------------------------------------------------------------------------

    @property
    def caseload(self) -> CaseloadWindow | None:
        return cast("CaseloadWindow | None", self.registry.get(CASELOAD))

    @property
    def workspace(self) -> WorkspaceWindow | None:
        """The open workspace (a hidden one only finishes a finalisation)."""
        windows = [self.registry.get(k) for k in self.registry.keys() if k.startswith("dossier:")]  # noqa: SIM118 - not a dict
        visible = [w for w in windows if w is not None and w.isVisible()]
        return cast("WorkspaceWindow | None", (visible or windows or [None])[0])

    # --- start and unlock -----------------------------------------------------------------

    def start(self) -> None:
        if self.demo or self.vault_path.exists():
            self._show_unlock(locked=False)
        else:
            self._show_create()

    def _show_create(self) -> None:
        from .vaultdialogs import CreateVaultDialog

        self._set_dialog(CreateVaultDialog(location=self.vault_path.name), self._create)

    def _show_unlock(self, *, locked: bool) -> None:
        from .vaultdialogs import UnlockVaultDialog

        dialog = UnlockVaultDialog(locked=locked, demo_passphrase=DEMO_PASSPHRASE if self.demo else None)
        if self.demo:
            dialog.setWindowTitle("DEMO — Kluis openen")
        self._set_dialog(dialog, self._open)

    def _set_dialog(self, dialog: CreateVaultDialog | UnlockVaultDialog, submitted: Callable[[str], None]) -> None:
        """The create or unlock dialog in place of the one shown (``submitted(passphrase)``)."""
        dialog.submitted.connect(submitted)
        dialog.quit_requested.connect(self.shutdown)
        self._drop_dialog()
        self.dialog = present(dialog)

    def _drop_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _create(self, passphrase: str) -> None:
        self._first_run = True
        self._open(passphrase, create=True)

    def _open(self, passphrase: str, *, create: bool = False) -> None:
        storage = _storage()
        path = self.vault_path
        demo = self.demo

        def open_or_seed() -> Vault:
            if create:
                return storage.create_vault(path, passphrase)  # makes a missing folder 0700
            if demo and not path.exists():
                vault = storage.create_vault(path, passphrase)
                seed_demo(vault)
                vault.record_event("demo_seeded")
                return vault
            return storage.open_vault(path, passphrase)

        self.tasks.open_vault(open_or_seed, lambda _: self._after_open(), self._open_failed)

    def _open_failed(self, exc: BaseException) -> None:
        text = message_for(exc)
        wait = getattr(exc, "wait_seconds", 0) if is_wrong_passphrase(exc) else 0
        if wait >= 1:
            text += f" U kunt het over {math.ceil(wait)} seconden opnieuw proberen."
        if self.dialog is not None:
            if is_damaged_vault(exc) and hasattr(self.dialog, "refuse"):
                self.dialog.refuse(text)  # trying again cannot help: only "Afsluiten"
            else:
                self.dialog.fail(text)
        else:  # pragma: no cover
            show_error(exc)

    def _after_open(self) -> None:
        def settle(vault: Vault) -> float:
            vault.record_event("unlock")
            return load_idle_minutes(vault)

        self.tasks.run_db(settle, self._unlocked, self._open_failed)

    def _unlocked(self, idle_minutes: float) -> None:
        self.apply_idle_minutes(idle_minutes)
        if self.dialog is not None:
            self.dialog.succeed()
        self._drop_dialog()
        self.is_unlocked = True
        self.show_caseload()
        place, self._place = self._place, None
        if place is not None:
            self.open_dossier(place[0], step=place[1])
        if self._first_run:
            self._first_run = False
            self.ask_who_you_are()
        self.idle.start()
        self._sync_stopped.clear()
        self.sync.start()  # never blocks: the run is on the pool, "not linked" stays calm
        self.unlocked.emit()

    def ask_who_you_are(self) -> WhoAreYouDialog:
        """First run: "Wie bent u?" over the caseload; the answer goes into the vault settings."""
        from .firstrun import WhoAreYouDialog, save_identity

        dialog = WhoAreYouDialog(self.caseload)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def submitted(naam: str, functie: str, team: str, gemeente: str) -> None:
            self.tasks.run_db(lambda vault: save_identity(vault, naam, functie, team, gemeente))  # errors: show_error

        dialog.submitted.connect(submitted)
        self.who_dialog = dialog
        dialog.setModal(False)  # not in the way: the caseload stays usable ("Later" is fine too)
        return present(dialog)

    def apply_idle_minutes(self, minutes: float) -> None:
        """The vault's setting (at unlock, or just saved); ``--idle-minutes`` wins."""
        if self.idle_minutes_arg is not None:
            minutes = self.idle_minutes_arg
        self.idle.set_timeout_ms(int(minutes * 60_000))

    # --- screens --------------------------------------------------------------------------

    def show_caseload(self) -> CaseloadWindow:
        from .caseload import CaseloadWindow

        def make() -> CaseloadWindow:
            window = CaseloadWindow(self.tasks, demo=self.demo)
            window.open_requested.connect(self.open_dossier)
            window.lock_requested.connect(self.lock)
            window.closed.connect(self.shutdown)
            window.settings_saved.connect(lambda snapshot: self.apply_idle_minutes(snapshot.idle_minutes))
            window.sync_settings_imported.connect(lambda _summary: self.sync.sync_now())
            window.conflicts_requested.connect(self.show_conflicts)
            window.timeline_requested.connect(self.show_timeline)
            window.start_requested.connect(self.start_gesprek)
            window.add_sync_indicator(SyncStatusWidget(self.sync, window))
            return window

        window = self.registry.open(CASELOAD, make)
        window.reload()
        return window

    def open_dossier(self, dossier_id: UUID, step: str | None = None) -> None:
        """Load the dossier on the vault thread, then build its workspace (I/O first)."""
        key = f"dossier:{dossier_id}"
        existing = self.registry.get(key)
        if existing is not None:
            self.registry.open(key, lambda: existing)
            if step and step in getattr(existing, "step_ids", ()):
                existing.show_step(step)
            return

        def load(vault: Vault) -> tuple[Dossier, str, VerslagSettings, int]:
            dossier, revision = vault.load_revision(dossier_id)
            return dossier, revision, load_verslag_settings(vault), len(vault.conflicts(dossier_id))

        def failed(exc: BaseException) -> None:
            self._opening.discard(dossier_id)
            show_error(exc)

        self._opening.add(dossier_id)
        self.tasks.run_db(load, lambda loaded: self._show_workspace(*loaded, step), failed)

    def _show_workspace(self, dossier: Dossier, revision: str, verslag: VerslagSettings, conflicts: int, step: str | None) -> None:
        self._opening.discard(dossier.id)
        if not self.is_unlocked:
            return
        from . import formsapi
        from .steps.base import StepContext
        from .workspace import WorkspaceWindow

        def make() -> WorkspaceWindow:
            context = StepContext.for_settings(formsapi.definitions(), verslag)
            window = WorkspaceWindow(
                self.tasks, dossier, context=context, start_step=step, demo=self.demo, revision=revision
            )
            window.lock_requested.connect(self.lock)
            window.closed.connect(lambda: self._workspace_closed(window))
            window.saved.connect(lambda _summary: (self._refresh_caseload(), self.sync.refresh()))
            window.conflicts_requested.connect(lambda: self.show_conflicts(window.dossier.id))
            window.timeline_requested.connect(lambda: self.show_timeline(window.dossier.id))
            return window

        window = self.registry.open(f"dossier:{dossier.id}", make)
        window.set_conflicts(conflicts)
        window.showMaximized()
        if conflicts:
            self.show_conflicts(dossier.id)

    def _workspace_closed(self, window: WorkspaceWindow) -> None:
        key = f"dossier:{window.dossier.id}"
        if not window.finalising:  # a finalisation under way still needs its window's callbacks
            self.registry.forget(key)  # reopening reads the vault again, never a stale copy
            window.deleteLater()
        caseload = self.caseload
        if caseload is not None:
            caseload.show()
            caseload.raise_()
            caseload.reload()
        self.sync.refresh()

    def _refresh_caseload(self) -> None:
        caseload = self.caseload
        if caseload is not None and self.is_unlocked:
            caseload.reload()

    def show_timeline(self, dossier_id: UUID) -> TimelineWindow | None:
        """The household's timeline (one window per household; read again each time it is asked for)."""
        if not self.is_unlocked:
            return None
        from . import formsapi
        from .timeline import TimelineWindow

        def make() -> TimelineWindow:
            window = TimelineWindow(self.tasks, dossier_id, demo=self.demo, definitions=formsapi.definitions())
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            window.lock_requested.connect(self.lock)
            return window

        workspace = self.registry.get(f"dossier:{dossier_id}")
        if workspace is not None:
            workspace.flush()  # queued before the read: the timeline shows what is on screen
        window = self.registry.open(f"tijdlijn:{dossier_id}", make)
        window.reload()
        return window

    def start_gesprek(self, dossier_id: UUID, soort: GesprekSoort) -> None:
        """"Evaluatie starten" / "Afsluiting starten" / "Nieuwe intake starten" from the caseload:
        ``forms.start_gesprek`` on the finalised dossier, saved, then opened. An open workspace
        of that household does it itself (it holds the dossier)."""
        if not self.is_unlocked:
            return
        workspace = self.registry.get(f"dossier:{dossier_id}")
        if workspace is not None:
            self.registry.open(f"dossier:{dossier_id}", lambda: workspace)
            workspace.start_gesprek(soort)
            return
        from . import formsapi

        def start(vault: Vault) -> Dossier:
            nxt = formsapi.start_gesprek(vault.load(dossier_id), soort)
            vault.save(nxt)
            return nxt

        def started(nxt: Dossier) -> None:
            self._refresh_caseload()
            self.sync.refresh()
            self.open_dossier(nxt.id)

        self.tasks.run_db(start, started, lambda exc: show_error(exc, self.caseload))

    # --- sync -----------------------------------------------------------------------------

    def open_dossier_ids(self) -> set[UUID]:
        """The dossiers a window shows (or is about to), or the conflicts dialog."""
        ids = set(self._opening)
        for key in self.registry.keys():  # noqa: SIM118 - WindowRegistry is not a dict
            if key.startswith("dossier:"):
                ids.add(UUID(key.removeprefix("dossier:")))
        if self.conflicts_dialog is not None:
            ids.add(self.conflicts_dialog.dossier_id)
        return ids

    def _make_sync_engine(self, vault: Vault, client: ZGWClient) -> SyncEngine:
        """On the pool thread: the engine, with a back-off that ends the run at once when the
        vault locks or the application quits (never a wait of many seconds on the way out)."""
        import sync

        options = {"sleep": self._sync_pause, **self._sync_engine_options}
        return sync.SyncEngine(vault, client, **options)

    def _sync_pause(self, seconds: float) -> None:
        if self._sync_stopped.wait(seconds):
            raise SyncStopped("vergrendeld of afgesloten tijdens de synchronisatie")

    def _sync_finished(self, report: SyncReport | None) -> None:
        self.last_sync_report = report
        if report is None or not self.is_unlocked:
            return
        self._apply_sync_changes(report.changed)
        if report.pushed or report.pulled or report.merged or report.conflicts or report.skipped:
            self._refresh_caseload()  # "niet verzonden", new households, the conflict flag

    def _apply_sync_changes(self, changed: Iterable[UUID]) -> None:
        """A run replaced these dossiers in the vault (pulled, or merged with a central
        change): a window that shows one of them shows the stored content.

        The window's :class:`~desktop.document.DossierDocument` gets the stored dossier and
        its revision (``apply_external``): merged with unsaved edits there, shown at once,
        not undoable, a conflict shown under its field.
        """
        for dossier_id in changed:
            if self.registry.get(f"dossier:{dossier_id}") is not None:
                deliver = functools.partial(self._deliver_external, dossier_id)
                self.tasks.run_db(functools.partial(_load_revision, dossier_id), deliver, self._sync_apply_failed)

    def _deliver_external(self, dossier_id: UUID, loaded: tuple[Dossier, str]) -> None:
        window = self.registry.get(f"dossier:{dossier_id}")
        document = getattr(window, "document", None) if window is not None else None
        if document is not None and self.is_unlocked:
            document.apply_external(*loaded)

    def _sync_apply_failed(self, exc: BaseException) -> None:
        log.info("applying a sync change to a window: %s", type(exc).__name__)

    def show_conflicts(self, dossier_id: UUID) -> ConflictsDialog | None:
        """The "Verschillen met de gemeente" dialog for one dossier (one dialog at a time)."""
        from . import formsapi
        from .conflicts_dialog import ConflictsDialog

        if not self.is_unlocked:
            return None
        if shown(self.conflicts_dialog):
            return present(self.conflicts_dialog)
        workspace = self.registry.get(f"dossier:{dossier_id}")
        if workspace is not None and workspace.isVisible():
            workspace.flush()  # queued before the choices: they start from what is on screen
            parent: QWidget | None = workspace
        else:
            parent = self.caseload
        dialog = ConflictsDialog(self.tasks, dossier_id, definitions=formsapi.definitions(), parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.resolved.connect(lambda dossier, left: self._conflict_resolved(dossier, left))
        dialog.finished.connect(lambda _result: self._conflicts_closed(dialog))
        self.conflicts_dialog = dialog
        dialog.open()  # window-modal: the workspace under it takes no edits meanwhile
        return dialog

    def _conflict_resolved(self, dossier: Dossier, left: int) -> None:
        workspace = self.registry.get(f"dossier:{dossier.id}")
        if workspace is not None:
            workspace.replace_dossier(dossier)
            workspace.set_conflicts(left)
        self._refresh_caseload()
        self.sync.refresh()

    def _conflicts_closed(self, dialog: ConflictsDialog) -> None:
        if self.conflicts_dialog is dialog:
            self.conflicts_dialog = None

    # --- lock -----------------------------------------------------------------------------

    def lock(self) -> None:
        """Flush, close the vault (drops the key), clear all windows, ask for the passphrase."""
        if not self.is_unlocked:
            return
        self.is_unlocked = False
        self.idle.stop()
        self.sync.stop()  # no new runs; one under way ends at its next vault call or pause
        self._sync_stopped.set()
        workspace = self.workspace
        if workspace is not None:
            workspace.flush()  # queued before the close below: the vault thread keeps order
            self._place = (workspace.dossier.id, workspace.current_step_id or "huishouden")
        self.tasks.close_vault(
            before_close=lambda vault: vault.record_event("lock"),
            on_error=lambda exc: log.warning("Vergrendelen: %s", type(exc).__name__),
        )
        _close_modals_and_popups()  # e.g. a "Sanne verwijderen?" question left open
        self._close_conflicts_dialog()
        self._show_unlock(locked=True)  # first, so there is always a window
        self.registry.close_all()
        self._opening.clear()
        self.locked.emit()

    def _close_conflicts_dialog(self) -> None:
        dialog, self.conflicts_dialog = self.conflicts_dialog, None
        dismiss(dialog)

    # --- quit -----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Save what is pending, close the vault, stop the threads; then ``finished``."""
        if self._shut_down:
            return
        self._shut_down = True
        workspace = self.workspace
        if workspace is not None and self.is_unlocked:
            workspace.flush()
        self.is_unlocked = False
        self.sync.stop()
        self._sync_stopped.set()
        self.idle.uninstall()
        self.watchdog.stop()  # no timer of a finished application stays registered
        self._close_conflicts_dialog()
        self._drop_dialog()
        self.registry.close_all()
        self.tasks.shutdown()
        self.finished.emit()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="keukentafel",
        description="Keukentafel: het begeleide keukentafelgesprek, offline en versleuteld.",
    )
    parser.add_argument(
        "--vault",
        metavar="PAD",
        type=Path,
        help="het kluisbestand (anders KEUKENTAFEL_VAULT, anders de standaardplek in de gebruikersmap)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=f"open een aparte demokluis met een verzonnen gezin (wachtwoord: {DEMO_PASSPHRASE})",
    )
    parser.add_argument(
        "--idle-minutes",
        metavar="N",
        type=float,
        help=f"vergrendel na N minuten zonder invoer (standaard {DEFAULT_IDLE_MINUTES:g})",
    )
    args = parser.parse_args(argv)
    if args.idle_minutes is not None and args.idle_minutes <= 0:
        parser.error("--idle-minutes moet groter dan 0 zijn")
    return args


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Uncaught errors: a traceback without the message (it may hold personal data)."""
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    show_error(exc)  # logs the traceback (no message, no locals) and tells the user


def main(argv: list[str] | None = None) -> int:
    from .crashreport import CrashReport, crash_folder, take_previous

    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # A crash writes every thread's stack (names and lines only) beside the vault; the
    # next start says so. Taken aside before start() opens a new, empty one.
    folder = crash_folder(args.vault)
    previous_crash = take_previous(folder)
    crash_report = CrashReport(folder)
    crash_report.start()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Keukentafel")
    app.setApplicationDisplayName("Keukentafel")  # window titles say DEMO themselves
    app.setQuitOnLastWindowClosed(False)
    from .dutch import install_dutch

    install_dutch(app)  # Qt's own dialogs and buttons in Dutch
    app.installEventFilter(WheelGuard(app))  # the wheel scrolls the page, not an unfocused field
    apply_style(app)
    sys.excepthook = _excepthook
    controller = KeukentafelApp(args.vault, demo=args.demo, idle_minutes=args.idle_minutes)
    controller.finished.connect(app.quit)
    app.aboutToQuit.connect(lambda: controller.tasks.shutdown())
    controller.start()
    if previous_crash is not None:
        _tell_previous_crash(controller.dialog, previous_crash)
    code = app.exec()
    crash_report.stop()  # a clean exit leaves no report behind
    return code


def _tell_previous_crash(parent: QWidget | None, report: Path) -> None:
    from .crashreport import notice

    box = QMessageBox(QMessageBox.Icon.Information, "Keukentafel is onverwacht afgesloten", notice(report), parent=parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path can be copied
    box.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
