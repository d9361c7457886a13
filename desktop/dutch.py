"""Qt itself in Dutch: its own dialogs and buttons (file and print dialogs, "OK"/"Annuleren",
context menus) use ``qtbase_nl`` from the translations PySide6 ships; file dialogs start in
the user's Documents folder, never in the program's folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QStandardPaths, QTranslator

__all__ = ["install_dutch", "documents_folder"]

_translators: list[QTranslator] = []  # kept alive as long as the application


def install_dutch(app: QCoreApplication) -> bool:
    """Load qtbase_nl into ``app`` and make Dutch the default locale; True when it loaded."""
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load("qtbase_nl", folder):
        return False
    app.installTranslator(translator)
    _translators.append(translator)
    return True


def documents_folder(*names: str) -> str:
    """The user's Documents folder (joined with ``names``: a suggested file name)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if not base:
        base = str(Path.home())
    return str(Path(base, *names))
