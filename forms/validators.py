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
from pydantic_core import ErrorDetails, PydanticCustomError

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
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=False)) - digits[8]
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


# The Dutch name of a field (by its model field name), used in the messages below. A
# field inside a list or sub-object gets the name of its owner too ("de omschrijving van
# het doel"): the owner is the nearest named part of the error's location, or the model
# that was validated (ValidationError.title) when the location is the field alone.
FIELD_LABELS: dict[str, str] = {
    "voornaam": "de voornaam",
    "achternaam": "de achternaam",
    "geboortedatum": "de geboortedatum",
    "rol": "de rol",
    "bsn": "het BSN",
    "straat": "de straat",
    "huisnummer": "het huisnummer",
    "postcode": "de postcode",
    "plaats": "de plaats",
    "adres": "het adres",
    "leden": "de gezinsleden",
    "huishouden": "het huishouden",
    "gesprek": "het gesprek",
    "datum": "de datum",
    "aanwezig": "wie er aanwezig waren",
    "overige_aanwezigen": "de overige aanwezigen",
    "contacten": "het contact met de gezinsleden",
    "member_id": "het gezinslid",
    "status": "de contactstatus",
    "reden": "de reden",
    "domein": "het leefgebied",
    "domeinen": "de leefgebieden",
    "definitie": "de definitie",
    "besproken": "besproken",
    "niet_van_toepassing": "niet van toepassing",
    "nvt_reden": "de reden voor niet van toepassing",
    "zorgen": "de zorgen",
    "krachten": "de krachten",
    "hulpvraag": "de hulpvraag",
    "zrm": "de ZRM-score",
    "contact_toegestaan": "toestemming voor contact",
    "delen_toegestaan": "toestemming om te delen",
    "reikwijdte": "wat gedeeld mag worden",
    "gegeven_door": "wie de toestemming gaf",
    "naam": "de naam",
    "relatie": "de relatie",
    "telefoon": "het telefoonnummer",
    "email": "het e-mailadres",
    "toestemming": "de toestemming",
    "organisatie": "de organisatie",
    "contactpersoon": "de contactpersoon",
    "child_id": "het kind",
    "instrument": "het instrument",
    "antwoorden": "de antwoorden",
    "veiligheid_nu": "het oordeel over de veiligheid nu",
    "risico": "het oordeel over het risico",
    "onderbouwing": "de onderbouwing",
    "consultatie": "het overleg",
    "met": "met wie er overlegd is",
    "uitkomst": "de uitkomst",
    "afgerond": "afgerond",
    "referentie": "het kenmerk",
    "melding": "de melding bij Veilig Thuis",
    "toelichting": "de toelichting",
    "tekst": "de tekst",
    "stem": "van wie de hulpvraag is",
    "omschrijving": "de omschrijving",
    "wie": "wie het doet",
    "wanneer": "wanneer",
    "prioriteit": "de prioriteit",
    "resultaat": "het resultaat",
    "eigenaar": "de eigenaar",
    "streefdatum": "de streefdatum",
    "acties": "de acties",
    "doelen": "de doelen",
    "soort": "de soort",
    "ref": "de verwijzing",
    "bereikbaar": "hoe de regisseur bereikbaar is",
    "taken": "de taken en het mandaat",
    "regisseur": "de regisseur",
    "probleemanalyse": "de probleemanalyse",
    "perspectief": "het perspectief",
    "aangeboden": "of een familiegroepsplan is aangeboden",
    "afbeelding_png": "de getekende handtekening",
    "weigering_reden": "de reden om niet te tekenen",
    "handtekeningen": "de handtekeningen",
    "bevinding": "de bevinding",
    "goal_id": "het doel",
    "naar": "naar wie is opgeschaald",
    "versie": "de versie",
    "leefgebieden_set": "de set leefgebieden",
    "leefgebieden": "de leefgebieden",
    "netwerk": "het netwerk",
    "partners": "de netwerkpartners",
    "veiligheid": "de veiligheidsbeoordelingen",
    "meldcode": "de Meldcode",
    "plan": "het plan",
    "familiegroepsplan": "het familiegroepsplan",
}

# The owner of a field: a list field or sub-object in the location, or the model class.
OWNER_LABELS: dict[str, str] = {
    "leden": "het gezinslid",
    "Member": "het gezinslid",
    "adres": "het adres",
    "Address": "het adres",
    "contacten": "het contact",
    "ContactRecord": "het contact",
    "gesprek": "het gesprek",
    "Gesprek": "het gesprek",
    "leefgebieden": "het leefgebied",
    "DomainEntry": "het leefgebied",
    "netwerk": "de persoon uit het netwerk",
    "NetworkPerson": "de persoon uit het netwerk",
    "partners": "de netwerkpartner",
    "Partner": "de netwerkpartner",
    "toestemming": "de toestemming",
    "Consent": "de toestemming",
    "veiligheid": "de veiligheidsbeoordeling",
    "SafetyAssessment": "de veiligheidsbeoordeling",
    "consultatie": "het overleg",
    "Consultation": "het overleg",
    "melding": "de melding bij Veilig Thuis",
    "VeiligThuisMelding": "de melding bij Veilig Thuis",
    "meldcode": "de Meldcode",
    "MeldcodeRecord": "de Meldcode",
    "hulpvraag": "de hulpvraag",
    "Hulpvraag": "de hulpvraag",
    "doelen": "het doel",
    "Goal": "het doel",
    "acties": "de actie",
    "Action": "de actie",
    "regisseur": "de regisseur",
    "Regisseur": "de regisseur",
    "familiegroepsplan": "het familiegroepsplan",
    "Familiegroepsplan": "het familiegroepsplan",
    "handtekeningen": "de handtekening",
    "Signature": "de handtekening",
    "evaluaties": "de evaluatie",
    "Evaluation": "de evaluatie",
    "opschalingen": "de opschaling",
    "Opschaling": "de opschaling",
    "kernbeslissingen": "de kernbeslissing",
    "Kernbeslissing": "de kernbeslissing",
}

# A list that holds at most so many: "Er kunnen hooguit {n} {what}."
_LIST_LIMITS = {"leden": "gezinsleden in een huishouden"}
_ONE_OF = {"regisseur": "Er is precies één regisseur: kies één persoon als regisseur."}


def _label(loc: tuple[int | str, ...], title: str) -> tuple[str, str]:
    """(the field's Dutch name, with its owner where that helps)."""
    names = [part for part in loc if isinstance(part, str)]
    field = names[-1] if names else ""
    label = FIELD_LABELS.get(field, "dit veld") if field else ""
    owner_key = next((n for n in reversed(names[:-1]) if n in OWNER_LABELS), None)
    if owner_key is None and len(names) <= 1:
        owner_key = title if title in OWNER_LABELS else None
    owner = OWNER_LABELS.get(owner_key, "") if owner_key else ""
    if not field:
        return (owner or "deze invoer"), (owner or "deze invoer")
    if owner and OWNER_LABELS.get(field) != owner:
        return label, f"{label} van {owner}"
    return label, label


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _message(item: ErrorDetails, title: str) -> str:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    loc = tuple(item.get("loc") or ())
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    _, full = _label(loc, title)
    if kind.startswith(("bsn_", "rsin_", "postcode_", "datum_", "dossier_")):
        return item["msg"]
    if kind == "string_too_long":
        return f"Deze tekst is te lang (hooguit {ctx.get('max_length')} tekens)."
    if kind == "string_too_short":
        if field == "omschrijving" and full.endswith("het doel"):
            return "Vul in wat het doel is: een doel zonder omschrijving kan niet."
        if field == "omschrijving" and full.endswith("de actie"):
            return "Vul in wat de actie is: een actie zonder omschrijving kan niet."
        return f"Vul {full} in: dit mag niet leeg zijn."
    if kind == "missing":
        return f"{_cap(full)} ontbreekt nog."
    if kind == "string_pattern_mismatch":
        if field == "huisnummer":
            return "Vul een huisnummer in, zoals 12 of 12a."
        return f"{_cap(full)} heeft niet de goede vorm."
    if kind == "too_long":
        if field in _LIST_LIMITS:
            return f"Er kunnen hooguit {ctx.get('max_length')} {_LIST_LIMITS[field]}."
        return f"Bij {full} kunnen hooguit {ctx.get('max_length')} onderdelen."
    if kind == "too_short":
        return f"Bij {full} hoort minstens {ctx.get('min_length')} onderdeel."
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"{_cap(full)} moet {'minstens' if kind == 'greater_than_equal' else 'groter dan'} {bound} zijn."
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"{_cap(full)} mag {'hooguit' if kind == 'less_than_equal' else 'kleiner dan'} {bound} zijn."
    if kind.startswith("int_") or kind.startswith("float_"):
        return f"{_cap(full)} moet een heel getal zijn."
    if kind.startswith(("date_", "datetime_")):
        return f"{_cap(full)} is geen geldige datum; vul een datum in zoals 31-12-2024."
    if kind.startswith("bool_"):
        return f"Kies ja of nee bij {full}."
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected") or "").replace(" or ", " of ")
        return f"Kies bij {full} een van de mogelijkheden" + (f": {expected}." if expected else ".")
    if kind.startswith("uuid_"):
        return f"{_cap(full)} verwijst niet naar iets wat in het dossier staat."
    if kind in ("model_type", "model_attributes_type", "dict_type", "is_instance_of"):
        if field in _ONE_OF:
            return _ONE_OF[field]
        return f"{_cap(full)} is niet goed ingevuld."
    if kind == "list_type":
        return f"{_cap(full)} moet een lijst zijn."
    if kind == "extra_forbidden":
        return f"Het veld '{field}' hoort niet bij {OWNER_LABELS.get(title, 'dit onderdeel')}."
    if kind.startswith(("bytes_", "base64_")):
        return f"{_cap(full)} kon niet worden gelezen."
    if kind.startswith("string_"):
        return f"{_cap(full)} moet tekst zijn."
    if kind == "unique_members":  # never reached; see dossier_dubbel_lid
        return item["msg"]
    return f"{_cap(full)} is niet goed ingevuld."


def dutch_messages(error: ValidationError) -> list[str]:
    """The Dutch messages of a validation error, one per problem, without jargon.

    Every message names what is wrong and where ("Vul de omschrijving van het doel in");
    none is a bare "not valid". The codes stay in ``error.errors()[i]["type"]``.
    """
    title = getattr(error, "title", "") or ""
    return [_message(item, title) for item in error.errors()]
