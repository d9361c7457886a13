"""Fault injection for the ZGW test server.

Faults are set from the test thread while the server runs::

    server.faults.add(Fault.answer_lost(method="POST", path=r"/zaken$"))
    server.faults.add(Fault.error(503, nth=3))          # the 3rd request from now
    server.faults.add(Fault.stall(2.0, path="/download"))
    server.faults.set_random(seed=7, probability=0.2)   # chaos mode

Every fault strikes either *before* the request is processed (nothing was
written to the database) or *after* it (the write happened, only the answer
is disturbed); see :class:`Fault` for the kinds. Only one fault applies to a
request: explicit faults first (in the order added), then the random mode.

All stalls are bounded by ``ServerConfig.max_stall_seconds`` and end at once
when the server stops, so a test cannot hang on them.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

When = Literal["before", "after"]


class FaultKind(str, Enum):
    """What goes wrong."""

    #: Close the TCP connection. ``when="before"``: the request is lost before
    #: it is processed. ``when="after"``: it is processed, then the first
    #: ``after_bytes`` bytes of the response are written and the connection is
    #: closed (0 bytes = "answer lost": the write happened, the client sees a
    #: connection error).
    DROP = "drop"
    #: Answer ``status`` (default 503) with a problem body, before or after
    #: processing the request.
    ERROR = "error"
    #: Sleep ``seconds`` (bounded) before or after processing, then answer
    #: normally; used to trigger client time-outs.
    STALL = "stall"
    #: Process the request twice (as a retrying proxy would) and answer with
    #: the result of the second run. For a POST this creates two resources.
    DUPLICATE = "duplicate"
    #: Treat the request's token as expired: 403 ``jwt-expired``.
    EXPIRE_TOKEN = "expire_token"


@dataclass
class Fault:
    """One fault rule. Use the class-method constructors for readability.

    Matching: ``method`` (None = any) and ``path`` (a regular expression
    searched in the URL path without query string; None = any). If ``nth`` is
    given, only the nth matching request (counted from when the fault was
    added, 1-based) is hit; otherwise the first ``times`` matching requests
    are hit (``times=None`` = every matching request).
    """

    kind: FaultKind
    method: str | None = None
    path: str | None = None
    nth: int | None = None
    times: int | None = 1
    when: When = "before"
    status: int = 503
    after_bytes: int = 0
    seconds: float = 0.0
    #: How many requests matched so far / how many were hit.
    matched: int = field(default=0, init=False)
    fired: int = field(default=0, init=False)

    # -- constructors ------------------------------------------------------------

    @classmethod
    def request_lost(cls, **match: object) -> Fault:
        """Close the connection without processing the request."""
        return cls(FaultKind.DROP, when="before", **match)  # type: ignore[arg-type]

    @classmethod
    def answer_lost(cls, **match: object) -> Fault:
        """Process the request, then close the connection without answering."""
        return cls(FaultKind.DROP, when="after", after_bytes=0, **match)  # type: ignore[arg-type]

    @classmethod
    def drop_after_bytes(cls, after_bytes: int, **match: object) -> Fault:
        """Process the request, write ``after_bytes`` bytes of the answer, close."""
        return cls(FaultKind.DROP, when="after", after_bytes=after_bytes, **match)  # type: ignore[arg-type]

    @classmethod
    def error(cls, status: int = 503, processed: bool = False, **match: object) -> Fault:
        """Answer ``status``; with ``processed=True`` the request was executed first."""
        return cls(FaultKind.ERROR, status=status, when="after" if processed else "before", **match)  # type: ignore[arg-type]

    @classmethod
    def stall(cls, seconds: float, processed: bool = False, **match: object) -> Fault:
        """Wait ``seconds`` before answering (before or after processing)."""
        return cls(FaultKind.STALL, seconds=seconds, when="after" if processed else "before", **match)  # type: ignore[arg-type]

    @classmethod
    def duplicate(cls, **match: object) -> Fault:
        """Process the request twice."""
        return cls(FaultKind.DUPLICATE, when="after", **match)  # type: ignore[arg-type]

    @classmethod
    def expire_token(cls, **match: object) -> Fault:
        """Answer 403 ``jwt-expired`` whatever the token says."""
        return cls(FaultKind.EXPIRE_TOKEN, **match)  # type: ignore[arg-type]

    # -- matching ------------------------------------------------------------------

    def _matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self.path is not None and re.search(self.path, path) is None:
            return False
        return True

    @property
    def exhausted(self) -> bool:
        if self.nth is not None:
            return self.matched >= self.nth
        return self.times is not None and self.fired >= self.times

    def describe(self) -> str:
        extra = {
            FaultKind.DROP: f" after_bytes={self.after_bytes}" if self.when == "after" else "",
            FaultKind.ERROR: f" status={self.status}",
            FaultKind.STALL: f" seconds={self.seconds}",
        }.get(self.kind, "")
        return f"{self.kind.value}({self.when}{extra})"


@dataclass
class RandomFaults:
    """Settings of the seeded random ("chaos") mode."""

    seed: int
    probability: float
    kinds: tuple[FaultKind, ...]
    stall_seconds: float
    error_statuses: tuple[int, ...]
    method: str | None = None
    path: str | None = None
    #: Kinds that may strike only some requests: kind -> (method or None, path regex or None).
    where: dict[FaultKind, tuple[str | None, str | None]] = field(default_factory=dict)
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)


#: Default kinds for the random mode: every way a request or its answer can
#: get lost or fail. DUPLICATE, STALL and EXPIRE_TOKEN are opt-in.
DEFAULT_RANDOM_KINDS: tuple[FaultKind, ...] = (FaultKind.DROP, FaultKind.ERROR)


class FaultInjector:
    """Thread-safe registry of faults, consulted once per request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._random: RandomFaults | None = None
        #: Faults that actually struck, as ``(request number, description)``.
        self.history: list[tuple[int, str]] = []
        self._requests = 0

    def add(self, fault: Fault) -> Fault:
        """Register a fault; returns it so a test can inspect ``fired`` later."""
        with self._lock:
            self._faults.append(fault)
        return fault

    def extend(self, faults: Iterable[Fault]) -> None:
        for fault in faults:
            self.add(fault)

    def clear(self) -> None:
        """Remove all explicit faults and switch the random mode off."""
        with self._lock:
            self._faults.clear()
            self._random = None

    def set_random(
        self,
        seed: int,
        probability: float,
        kinds: Iterable[FaultKind] = DEFAULT_RANDOM_KINDS,
        *,
        stall_seconds: float = 1.0,
        error_statuses: Iterable[int] = (500, 502, 503, 504),
        method: str | None = None,
        path: str | None = None,
        where: Mapping[FaultKind, tuple[str | None, str | None]] | None = None,
    ) -> None:
        """Hit each (matching) request with probability ``probability``.

        ``where`` limits a kind to some requests, e.g. ``{FaultKind.DUPLICATE: ("POST",
        r"/rollen$")}``: when that kind is drawn for another request, nothing strikes
        (the draw is still used, so the sequence stays reproducible).

        The draw sequence is fully determined by ``seed`` and the order of
        the requests, so a failing chaos run can be replayed.
        """
        if not 0.0 <= probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        with self._lock:
            self._random = RandomFaults(
                seed=seed,
                probability=probability,
                kinds=tuple(kinds),
                stall_seconds=stall_seconds,
                error_statuses=tuple(error_statuses),
                method=method,
                path=path,
                where=dict(where or {}),
            )

    def stop_random(self) -> None:
        with self._lock:
            self._random = None

    @property
    def pending(self) -> list[Fault]:
        """Explicit faults that can still strike."""
        with self._lock:
            return [f for f in self._faults if not f.exhausted]

    def pick(self, method: str, path: str) -> Fault | None:
        """The fault for this request, if any (called by the server)."""
        with self._lock:
            self._requests += 1
            chosen: Fault | None = None
            for fault in self._faults:
                if fault.exhausted or not fault._matches(method, path):
                    continue
                fault.matched += 1
                if chosen is not None:
                    continue
                if fault.nth is not None and fault.matched != fault.nth:
                    continue
                fault.fired += 1
                chosen = fault
            if chosen is None and self._random is not None:
                chosen = self._draw(self._random, method, path)
            if chosen is not None:
                self.history.append((self._requests, f"{method} {path}: {chosen.describe()}"))
            return chosen

    @staticmethod
    def _draw(mode: RandomFaults, method: str, path: str) -> Fault | None:
        if mode.method is not None and mode.method.upper() != method.upper():
            return None
        if mode.path is not None and re.search(mode.path, path) is None:
            return None
        rng = mode.rng
        if not mode.kinds or rng.random() >= mode.probability:
            return None
        kind = rng.choice(mode.kinds)
        when: When = rng.choice(("before", "after"))
        if kind in mode.where:
            only_method, only_path = mode.where[kind]
            if not Fault(kind, method=only_method, path=only_path)._matches(method, path):
                return None
        if kind is FaultKind.DROP:
            fault = Fault(kind, when=when, after_bytes=rng.choice((0, 0, 1, 20, 100, 400)))
        elif kind is FaultKind.ERROR:
            fault = Fault(kind, when=when, status=rng.choice(mode.error_statuses))
        elif kind is FaultKind.STALL:
            fault = Fault(kind, when=when, seconds=mode.stall_seconds)
        elif kind is FaultKind.DUPLICATE:
            fault = Fault(kind, when="after")
        else:
            fault = Fault(kind)
        fault.matched = fault.fired = 1
        return fault
