"""Small, pure checks shared by the models: elfproef, postcode, bounded text.

Every failed check raises :class:`pydantic_core.PydanticCustomError` with a stable
error *type* (the precise code for programs and tests) and a Dutch message (for the
wijkcoach). :func:`dutch_messages` turns a ``ValidationError`` into those messages.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

__all__ = [
    "ShortText",
    "MediumText",
    "LongText",
    "elfproef",
    "check_bsn",
    "check_rsin",
    "normalise_postcode",
    "dutch_messages",
]

# Text bounds: names fit on a form line, free text fits a conversation but not a novel.
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
MediumText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]


def elfproef(number: str) -> bool:
    """The Dutch 'eleven test' for a 9-digit BSN or RSIN.

    Weights 9..2 for the first eight digits and -1 for the last; the sum must be a
    multiple of 11. All zeros is rejected: it passes arithmetically but is no number.
    """
    if not re.fullmatch(r"\d{9}", number) or number == "000000000":
        return False
    digits = [int(c) for c in number]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1))) - digits[8]
    return total % 11 == 0


def _nine_digits(value: str, kind: str) -> str:
    cleaned = re.sub(r"[\s.]", "", value)
    if not re.fullmatch(r"\d{8,9}", cleaned):
        raise PydanticCustomError(
            f"{kind}_format", f"Een {kind.upper()} bestaat uit 9 cijfers."
        )
    return cleaned.zfill(9)  # an 8-digit BSN is written with a leading zero


def check_bsn(value: str) -> str:
    number = _nine_digits(value, "bsn")
    if not elfproef(number):
        raise PydanticCustomError(
            "bsn_elfproef",
            "Dit BSN klopt niet (de elfproef faalt). Controleer het nummer op een typefout.",
        )
    return number


def check_rsin(value: str) -> str:
    number = _nine_digits(value, "rsin")
    if not elfproef(number):
        raise PydanticCustomError(
            "rsin_elfproef", "Dit RSIN klopt niet (de elfproef faalt)."
        )
    return number


_POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})$")


def normalise_postcode(value: str) -> str:
    match = _POSTCODE.match(value.strip())
    letters = match.group(2).upper() if match else ""
    if not match or letters in {"SA", "SD", "SS"}:
        raise PydanticCustomError(
            "postcode_format", "Vul een Nederlandse postcode in, zoals 1234 AB."
        )
    return f"{match.group(1)} {letters}"


def dutch_messages(error: ValidationError) -> list[str]:
    """The Dutch messages of a validation error, one per problem, without jargon."""
    messages: list[str] = []
    for item in error.errors():
        if item["type"].startswith(("bsn_", "rsin_", "postcode_", "datum_", "dossier_")):
            messages.append(item["msg"])
        elif item["type"] == "string_too_long":
            limit = (item.get("ctx") or {}).get("max_length")
            messages.append(f"Deze tekst is te lang (hooguit {limit} tekens).")
        elif item["type"] == "missing":
            messages.append(f"Dit veld is verplicht: {'.'.join(map(str, item['loc']))}.")
        else:
            messages.append("Deze invoer is niet geldig.")
    return messages
