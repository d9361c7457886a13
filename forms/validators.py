"""Small, pure checks shared by the models: elfproef, postcode, bounded text.

Input that means the same is stored the same:

- digit fields (BSN, RSIN, postcode, huisnummer, telefoon) go through :func:`ascii_digits`:
  Unicode NFKC (full-width "１２３" becomes "123", a no-break space a space), then every
  other decimal digit (Arabic-Indic "١٢٣", Persian, Devanagari, …) becomes its ASCII
  digit. A BSN or RSIN that still holds anything but 0-9 (after spaces and dots are
  taken out) is refused with a message that says so; ``\\d`` in a Python or Rust regex
  matches every script's digits, so the checks here spell out ``[0-9]``;
- all other text (names, free text) is stored in Unicode NFC (:func:`nfc`), so "ë" typed
  as one code point (Windows) or as "e" + combining diaeresis (macOS) is the same name.
  NFKC is not used for names: it would change what was written (ligatures, superscripts).

Every failed check raises :class:`pydantic_core.PydanticCustomError` with a stable
error *type* (the precise code for programs and tests) and a Dutch message (for the
wijkcoach). :func:`dutch_messages` turns a ``ValidationError`` into those messages.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

__all__ = [
    "ascii_digits",
    "nfc",
    "PhoneText",
    "ShortText",
    "MediumText",
    "LongText",
    "elfproef",
    "check_bsn",
    "check_rsin",
    "normalise_postcode",
    "dutch_messages",
]

def nfc(value: Any) -> Any:
    """Text in Unicode NFC (lists of text item by item); anything else unchanged."""
    if isinstance(value, str):
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if isinstance(value, list) and any(isinstance(v, str) and not v.isascii() for v in value):
        return [nfc(v) for v in value]
    return value


def ascii_digits(value: Any) -> Any:
    """NFKC, then every Unicode decimal digit as its ASCII digit; non-text unchanged."""
    if not isinstance(value, str) or value.isascii():
        return value
    text = unicodedata.normalize("NFKC", value)
    return "".join(
        c if c.isascii() or unicodedata.decimal(c, None) is None else str(unicodedata.decimal(c))
        for c in text
    )


# Text bounds: names fit on a form line, free text fits a conversation but not a novel.
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
MediumText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
# A phone number is free text ("06 12345678, na 17 uur"), but its digits are ASCII.
PhoneText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), BeforeValidator(ascii_digits)]


def elfproef(number: str) -> bool:
    """The Dutch 'eleven test' for a 9-digit BSN or RSIN.

    Weights 9..2 for the first eight digits and -1 for the last; the sum must be a
    multiple of 11. All zeros is rejected: it passes arithmetically but is no number.
    """
    if not re.fullmatch(r"[0-9]{9}", number) or number == "000000000":
        return False
    digits = [int(c) for c in number]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1))) - digits[8]
    return total % 11 == 0


def _nine_digits(value: str, kind: str) -> str:
    cleaned = re.sub(r"[\s.]", "", ascii_digits(value))
    if re.search(r"[^0-9]", cleaned):
        raise PydanticCustomError(
            f"{kind}_tekens",
            f"Een {kind.upper()} bestaat uit 9 cijfers (0 tot en met 9); hier staat ook een "
            "ander teken in.",
        )
    if not re.fullmatch(r"[0-9]{8,9}", cleaned):
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


_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")


def normalise_postcode(value: str) -> str:
    match = _POSTCODE.match(ascii_digits(value).strip())
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
