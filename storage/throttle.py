"""The growing delay after wrong passphrases, kept in a small sidecar file.

The count cannot live inside the vault: without the key nothing in it can be read or
written. So ``<vault>.attempts`` (e.g. ``kluis.db.attempts``) beside the vault holds a
JSON object with exactly two fields, the number of consecutive failures and the time of
the last one; no personal data. A successful unlock deletes it.

Before each attempt the caller waits until ``delay_for(failures)`` seconds have passed
since the last failure: 0, 1, 2, 4, 8, 16, then 30 s for every further failure. Waiting
in the UI counts, and restarting the application does not reset anything.

What this is and is not: it slows down someone guessing at the unlock screen of a
laptop left behind. It does nothing against an attacker who copies the file: they can
delete the sidecar and guess offline. Against that, only the passphrase length
(:data:`storage.MIN_PASSPHRASE_LENGTH`) and SQLCipher's key derivation help.

The file is written best-effort (write a temporary file, then replace): if the folder
is read-only the delay simply does not grow, which is logged without any path detail.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MAX_DELAY_S",
    "Attempts",
    "attempts_path",
    "delay_for",
    "read_attempts",
    "remaining_delay",
    "wait_before_attempt",
    "record_failure",
    "reset",
]

log = logging.getLogger("keukentafel.storage")

MAX_DELAY_S = 30.0

Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Attempts:
    failures: int = 0
    last: float = 0.0  # time.time() of the last failure


def attempts_path(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".attempts")


def delay_for(failures: int) -> float:
    """Seconds to wait before the next attempt after ``failures`` consecutive failures."""
    if failures <= 0:
        return 0.0
    return min(2.0 ** (failures - 1), MAX_DELAY_S)


def read_attempts(vault_path: Path) -> Attempts:
    """The stored counter; a missing or unreadable sidecar counts as no failures."""
    try:
        raw = json.loads(attempts_path(vault_path).read_text(encoding="utf-8"))
        failures = int(raw["failures"])
        last = float(raw["last"])
    except (OSError, ValueError, KeyError, TypeError):
        return Attempts()
    return Attempts(max(failures, 0), last)


def remaining_delay(vault_path: Path, clock: Clock) -> float:
    """Seconds still to wait before the next attempt may be made (0 if none)."""
    state = read_attempts(vault_path)
    required = delay_for(state.failures)
    if required == 0:
        return 0.0
    elapsed = clock() - state.last
    if elapsed < 0:  # the clock went backwards: do not let that shorten the delay
        elapsed = 0.0
    return max(0.0, min(required - elapsed, MAX_DELAY_S))


def wait_before_attempt(vault_path: Path, sleep: Sleep, clock: Clock) -> None:
    wait = remaining_delay(vault_path, clock)
    if wait > 0:
        sleep(wait)


def record_failure(vault_path: Path, clock: Clock, *, at_most: int | None = None) -> float:
    """Count one more failure; returns the delay the next attempt will get.

    ``at_most`` caps the count: a failure that may as well be a damaged file (see
    :func:`storage.open_vault`) costs no more than one wrong passphrase does.
    """
    state = read_attempts(vault_path)
    failures = state.failures + 1
    if at_most is not None:
        failures = min(failures, max(state.failures, at_most))
    _write(vault_path, Attempts(failures, clock()))
    return delay_for(failures)


def reset(vault_path: Path) -> None:
    try:
        attempts_path(vault_path).unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove the failed-attempts file")


def _write(vault_path: Path, state: Attempts) -> None:
    target = attempts_path(vault_path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(
            json.dumps({"failures": state.failures, "last": state.last}), encoding="utf-8"
        )
        os.replace(tmp, target)
    except OSError:
        log.warning("could not write the failed-attempts file; the delay will not grow")
