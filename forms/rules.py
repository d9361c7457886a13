"""PLACEHOLDER until the rules land (issue 3): the real module replaces this file whole."""

from __future__ import annotations

from typing import Any

__all__ = ["gaps"]


def gaps(dossier: Any) -> list[Any]:
    return []
