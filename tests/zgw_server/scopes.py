"""Scopes per client, as Open Zaak's "Applicaties" grant them.

Each operation of the Zaken and Documenten specs names the scopes it needs in its
``security`` requirement (``JWT-Claims``), e.g. ``(zaken.aanmaken |
zaken.statussen.toevoegen | zaken.heropenen)`` for ``POST /statussen``.
:func:`allowed` evaluates that expression for a client's scopes; the server answers
403 ``permission_denied`` when it is false. ``None`` as a client's scopes means
``heeftAlleAutorisaties`` (everything allowed). Catalogi reads need
``catalogi.lezen``, which the sync's client does not have (the sync never reads the
catalogue; Open Zaak 1.30.0 answered 403 there too).

Rules beyond the spec's expressions (statuses, closed zaken) live in the handlers
(:mod:`.api`), because they depend on the zaak.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

#: What ``sync/README.md`` documents as required (issue 10), verified on Open Zaak 1.30.0.
DOCUMENTED_SCOPES = frozenset(
    {
        "zaken.lezen",
        "zaken.aanmaken",
        "zaken.bijwerken",
        "zaken.statussen.toevoegen",
        "documenten.lezen",
        "documenten.aanmaken",
        "documenten.bijwerken",
        "documenten.lock",
    }
)
#: Recommended on top (releases a lock whose id was lost).
FORCE_UNLOCK = "documenten.geforceerd-unlock"

_TOKEN = re.compile(r"\s*([a-z][a-z0-9._-]*|\(|\)|&|\|)")


def requirement(spec: dict[str, Any], template: str, method: str) -> str | None:
    """The ``JWT-Claims`` expression of an operation (None: no requirement)."""
    operation = spec.get("paths", {}).get(template, {}).get(method.lower())
    if not isinstance(operation, dict):
        return None
    for item in operation.get("security") or []:
        claims = item.get("JWT-Claims") if isinstance(item, dict) else None
        if claims:
            return " & ".join(f"({c})" for c in claims)
    return None


def allowed(expression: str | None, scopes: Collection[str] | None) -> bool:
    """Whether ``scopes`` satisfy ``expression`` (``a | b``, ``a & b``, parentheses)."""
    if expression is None or scopes is None:
        return True
    tokens = []
    pos = 0
    while pos < len(expression):
        match = _TOKEN.match(expression, pos)
        if match is None:
            raise ValueError(f"cannot read scope expression {expression!r}")
        pos = match.end()
        token = match.group(1)
        tokens.append({"&": " and ", "|": " or ", "(": "(", ")": ")"}.get(token, str(token in scopes)))
    return bool(eval("".join(tokens), {"__builtins__": {}}, {}))  # noqa: S307 - only True/False/and/or
