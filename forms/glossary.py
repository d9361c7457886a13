"""The glossary (``resources/glossary.json``): one term per concept and one form of address
("u") for the wijkcoach, used by the screens, the Controle messages and the verslag.

    >>> term("risico_later")
    'risico later'
    >>> label("risico_later")
    'Risico later'
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["glossary", "term", "label"]


@lru_cache(maxsize=1)
def glossary() -> dict[str, Any]:
    text = resources.files("resources").joinpath("glossary.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)  # Any: JSON values
    return data


def term(concept: str) -> str:
    """The word for ``concept`` inside a sentence (lower case)."""
    word: str = glossary()["termen"][concept]["term"]
    return word


def label(concept: str) -> str:
    """The word for ``concept`` as a label or heading (capitalised)."""
    word: str = glossary()["termen"][concept]["label"]
    return word
