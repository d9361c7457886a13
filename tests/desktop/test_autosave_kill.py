"""Autosave survives a crash: type, see "Opgeslagen", SIGKILL, start again, the text is there.

The application runs in a subprocess (``autosave_driver.py``: the real KeukentafelApp,
offscreen, driven with QTest key clicks). The test seeds the vault, waits for the
driver's marker line that it saw "Opgeslagen", kills it with SIGKILL (no flush, no
close, no atexit), then starts the application again and reads the field, and opens
the vault directly as well. Every wait is bounded, so a failure cannot hang CI.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest
from apphelpers import PASSPHRASE, seed_vault

import storage
from forms.demo import demo_dossier

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")

DRIVER = Path(__file__).with_name("autosave_driver.py")
ROOT = Path(__file__).resolve().parents[2]
MARKER_WAIT_S = 120.0  # start, key derivation, open, type, save: seconds normally; CI may be loaded
EXIT_WAIT_S = 30.0
TEXT = "Rust in huis, en Daan weer elke dag naar school. Getypt vlak voor de crash."


class Driver:
    """The driver process, its stdout read line by line on a thread (bounded waits)."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.stderr_path = tmp_path / f"driver-{args[0]}-{time.monotonic_ns()}.stderr"
        self._stderr = self.stderr_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=ROOT,
            env=env,
            text=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(PASSPHRASE + "\n")
        self.proc.stdin.close()
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)  # end of output: the process is gone

    def wait_for(self, prefix: str, timeout_s: float = MARKER_WAIT_S) -> str:
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"geen {prefix!r} binnen {timeout_s:.0f} s; {self.report()}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                self.proc.wait(timeout=EXIT_WAIT_S)
                raise AssertionError(f"de driver stopte zonder {prefix!r}; {self.report()}")
            self.seen.append(line)
            if line.startswith(prefix + " "):
                return line[len(prefix) + 1 :]
            if line.startswith("FOUT "):
                raise AssertionError(f"de driver meldt: {line}; {self.report()}")

    def report(self) -> str:
        self._stderr.flush()
        err = self.stderr_path.read_text(errors="replace")[-2000:]
        return f"exitcode {self.proc.poll()}, stdout {self.seen}, stderr:\n{err}"

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=EXIT_WAIT_S)

    def close(self) -> None:
        self.kill()
        self._stderr.close()


def test_typed_text_survives_sigkill_after_opgeslagen(tmp_path: Path) -> None:
    vault_path = tmp_path / "kluis.db"
    dossier = demo_dossier()
    assert dossier.hulpvraag.tekst != TEXT
    seed_vault(vault_path, dossier)

    typing = Driver(tmp_path, "type", str(vault_path), str(dossier.id), TEXT)
    try:
        saved = json.loads(typing.wait_for("OPGESLAGEN"))
        assert saved["label"].startswith("Opgeslagen ")
        assert typing.proc.poll() is None, "the application must still be running when it is killed"
        typing.kill()  # SIGKILL: no flush, no close, no atexit handlers
        assert typing.proc.returncode == -signal.SIGKILL
    finally:
        typing.close()

    # start the application again: the field shows the text
    reading = Driver(tmp_path, "read", str(vault_path), str(dossier.id))
    try:
        shown = json.loads(reading.wait_for("TEKST"))
        assert reading.proc.wait(timeout=EXIT_WAIT_S) == 0, reading.report()
    finally:
        reading.close()
    assert shown == TEXT

    # and the vault itself holds it
    vault = storage.open_vault(vault_path, PASSPHRASE)
    try:
        assert vault.load(dossier.id).hulpvraag.tekst == TEXT
        assert vault.integrity_check()
    finally:
        vault.close()
