"""The verslag prints names and texts in every script a Dutch family may write.

A fictional household whose members write Latin with diacritics, Turkish, Vietnamese,
Polish, Arabic, Tigrinya (Ge'ez script) and Chinese; their names appear in the member
table, the hulpvraag (printed in italic), the goals (bold), the consent table and the
signature blocks. Checked on the real PDF:

- pypdf gives every name back. Latin, Turkish, Vietnamese, Polish, Ge'ez and Chinese
  come back exactly (after NFC). Arabic is printed shaped: the PDF holds the joined
  glyphs, whose ToUnicode entries are Arabic *presentation forms* (U+FExx), and pypdf
  returns a right-to-left run as it reads it. So an Arabic name is compared after NFKC
  (presentation forms back to the base letters) in logical order; what pypdf cannot
  give back is the exact code points of a ligature glyph without a presentation form
  (none in these names).
- No glyph in the PDF is .notdef (glyph 0, the empty box): every string shown with an
  embedded TrueType subset is looked up in that subset's own cmap.
- The ZRM chart names the adults in their scripts too (drawn outside Paragraphs).
- The Arabic words are drawn right to left (read back with PDFium in drawing order):
  the second word of the name is drawn left of the first.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import unicodedata

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from forms.models import (
    Action,
    Address,
    Consent,
    DefinitionRef,
    DomainEntry,
    Dossier,
    Gesprek,
    Goal,
    Household,
    Hulpvraag,
    Member,
    NetworkPerson,
    Plan,
    Regisseur,
    Role,
    Signature,
    Voice,
)
from forms.verslag import VerslagSettings, build_pdf
from forms.verslag.fonts import FONT, register_fonts, unprintable

DAY = dt.date(2025, 3, 12)
DOMAINS = DefinitionRef(id="leefgebieden-basis", version=1)
SETTINGS = VerslagSettings(gemeente="Gemeente Voorbeeldrecht", team="Sociaal Wijkteam Oost")

# fictional names, one or two per script
ARABIC_FIRST, ARABIC_LAST = "يوسف", "الحداد"
ARABIC_CHILD = "مريم"
ARABIC_LIGATURE_CHILD = "عبدالله"  # "الله" is one ligature glyph with no code point of its own
GEEZ_FIRST, GEEZ_LAST = "ተስፋይ", "ገብረሚካኤል"
CHINESE_FIRST, CHINESE_LAST = "小明", "王"
LATIN = [("Zoë", "Ĳzerman"), ("François", "Müller")]
TURKISH = ("Ilgın", "Işık-Doğan")
VIETNAMESE = ("Ánh", "Nguyễn Thị")
POLISH = ("Łucja", "Wróbel-Żak")

HULPVRAAG = (
    "نريد الهدوء في البيت. 我们希望孩子每天上学。 ሰላም ኣብ ገዛ። "
    "Ilgın wil dat Łucja en Ánh weer rustig slapen."
)


def multiscript_family() -> Dossier:
    yusuf = Member(voornaam=ARABIC_FIRST, achternaam=ARABIC_LAST, geboortedatum=dt.date(1985, 5, 1), rol=Role.OUDER)
    tesfay = Member(voornaam=GEEZ_FIRST, achternaam=GEEZ_LAST, geboortedatum=dt.date(1987, 8, 9), rol=Role.OUDER)
    maryam = Member(voornaam=ARABIC_CHILD, achternaam=ARABIC_LAST, geboortedatum=dt.date(2014, 2, 3), rol=Role.KIND)
    abdullah = Member(voornaam=ARABIC_LIGATURE_CHILD, achternaam=ARABIC_LAST, geboortedatum=dt.date(2016, 6, 6),
                      rol=Role.KIND)
    xiaoming = Member(voornaam=CHINESE_FIRST, achternaam=CHINESE_LAST, geboortedatum=dt.date(2015, 3, 4), rol=Role.KIND)
    others = [
        Member(voornaam=v, achternaam=a, geboortedatum=dt.date(2010 + i, 1, 1), rol=Role.KIND)
        for i, (v, a) in enumerate([*LATIN, TURKISH, VIETNAMESE, POLISH])
    ]
    members = [yusuf, tesfay, maryam, abdullah, xiaoming, *others]
    consent = Consent(contact_toegestaan=True, delen_toegestaan=True, reikwijdte="school", datum=DAY,
                      gegeven_door=[yusuf.id, tesfay.id])
    goals = [
        Goal(
            prioriteit=1,
            omschrijving=f"{ARABIC_CHILD} en {CHINESE_LAST}{CHINESE_FIRST} gaan elke dag naar school.",
            resultaat=f"{GEEZ_FIRST} brengt ze; {ARABIC_FIRST} haalt ze op.",
            eigenaar=f"{ARABIC_FIRST} {ARABIC_LAST}",
            streefdatum=DAY + dt.timedelta(weeks=6),
            acties=[Action(omschrijving=f"Weekplanning met {GEEZ_FIRST} {GEEZ_LAST}", wie=f"{GEEZ_FIRST}")],
        )
    ]
    sigs = [
        Signature(member_id=yusuf.id, naam=yusuf.naam, plaats="Voorbeeldrecht", datum=DAY,
                  weigering_reden=f"{ARABIC_FIRST} wil het eerst met {ARABIC_LAST} lezen."),
    ]
    return Dossier(
        aangemaakt=dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC),
        huishouden=Household(
            adres=Address(straat="Laan van de Proef", huisnummer="7", postcode="9999 ZZ", plaats="Voorbeeldrecht"),
            leden=members,
        ),
        gesprek=Gesprek(datum=DAY, plaats="Thuis", aanwezig=[yusuf.id, tesfay.id],
                        overige_aanwezigen=f"Tolk Tigrinya ({GEEZ_FIRST})"),
        netwerk=[NetworkPerson(naam=f"{CHINESE_LAST}阿姨", relatie="tante", toestemming=consent)],
        hulpvraag=Hulpvraag(tekst=HULPVRAAG, stem=Voice.BEIDE),
        plan=Plan(
            probleemanalyse=f"{ARABIC_FIRST} en {GEEZ_FIRST} zoeken rust. " * 3,
            doelen=goals,
            regisseur=Regisseur(soort="gezinslid", naam=f"{ARABIC_FIRST} {ARABIC_LAST}", bereikbaar="06-00000000"),
        ),
        leefgebieden_set=DOMAINS,
        leefgebieden=[  # ZRM scores: the chart names the adults
            DomainEntry(domein="werk_inkomen", member_id=yusuf.id, definitie=DOMAINS, besproken=True, zrm=3,
                        zorgen=f"{ARABIC_FIRST} zoekt werk."),
            DomainEntry(domein="werk_inkomen", member_id=tesfay.id, definitie=DOMAINS, besproken=True, zrm=4),
        ],
        handtekeningen=sigs,
    )


@pytest.fixture(scope="module")
def dossier() -> Dossier:
    return multiscript_family()


@pytest.fixture(scope="module")
def pdf(dossier: Dossier) -> bytes:
    return build_pdf(dossier, settings=SETTINGS)


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def flat(pdf: bytes, form: str = "NFC") -> str:
    text = " ".join(p.extract_text() for p in reader(pdf).pages)
    return " ".join(unicodedata.normalize(form, text).split())


# --- glyph coverage -----------------------------------------------------------------------


def _subset_cmap(font_file: bytes) -> dict[int, int]:
    """code -> glyph id of an embedded TrueType subset (reportlab writes a (1, 0)
    format 6 cmap: firstCode, entryCount, glyphIdArray)."""
    num_tables = struct.unpack(">H", font_file[4:6])[0]
    for i in range(num_tables):
        tag, _, offset, _ = struct.unpack(">4sLLL", font_file[12 + 16 * i : 28 + 16 * i])
        if tag == b"cmap":
            break
    else:
        raise AssertionError("subset without cmap")
    count = struct.unpack(">H", font_file[offset + 2 : offset + 4])[0]
    for i in range(count):
        _platform, _encoding, sub = struct.unpack(">HHL", font_file[offset + 4 + 8 * i : offset + 12 + 8 * i])
        start = offset + sub
        fmt = struct.unpack(">H", font_file[start : start + 2])[0]
        if fmt == 6:
            first, entries = struct.unpack(">HH", font_file[start + 6 : start + 10])
            glyphs = struct.unpack(f">{entries}H", font_file[start + 10 : start + 10 + 2 * entries])
            return {first + k: g for k, g in enumerate(glyphs)}
    raise AssertionError("subset cmap is not format 6")


def notdef_uses(pdf: bytes) -> list[tuple[str, int]]:
    """(font, code) for every character shown with glyph 0 (.notdef) on any page."""
    found = []
    doc = reader(pdf)
    for page in doc.pages:
        fonts = {}
        for name, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                continue
            data = descriptor.get_object()["/FontFile2"].get_object().get_data()
            fonts[name] = (str(font["/BaseFont"]), _subset_cmap(data))
        current = None
        for operands, operator in ContentStream(page.get_contents(), doc).operations:
            if operator == b"Tf":
                current = fonts.get(operands[0])
            elif operator in (b"Tj", b"'", b'"', b"TJ") and current is not None:
                strings = operands[0] if operator == b"TJ" else operands[-1:]
                for s in strings:
                    if isinstance(s, (int, float)):
                        continue
                    raw = s.original_bytes if hasattr(s, "original_bytes") else bytes(s, "latin-1")
                    found += [(current[0], c) for c in raw if current[1].get(c, 0) == 0]
    return found


def test_the_coverage_check_finds_an_empty_box() -> None:
    """The check itself: a Chinese character drawn in DejaVu (which lacks it) is found."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    buf = io.BytesIO()
    canvas = Canvas(buf, initialFontName=FONT)
    canvas.setFont(FONT, 12)
    canvas.drawString(50, 700, f"Naam: {CHINESE_LAST}")
    canvas.save()
    assert len(notdef_uses(buf.getvalue())) == 1


def test_no_glyph_is_an_empty_box(pdf: bytes) -> None:
    assert notdef_uses(pdf) == []


def test_fallback_fonts_are_embedded(pdf: bytes) -> None:
    names = set()
    for page in reader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert {"NotoNaskhArabic", "NotoNaskhArabic-Bold", "NotoSansEthiopic", "DroidSansFallback"} <= {
        n.replace("-Regular", "") for n in names
    }, names
    assert not any("Helvetica" in n for n in names)


# --- text read back ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [f"{v} {a}" for v, a in [*LATIN, TURKISH, VIETNAMESE, POLISH]]
    + [f"{GEEZ_FIRST} {GEEZ_LAST}", f"{CHINESE_FIRST} {CHINESE_LAST}", f"{CHINESE_LAST}阿姨"],
)
def test_ltr_names_read_back_exactly(pdf: bytes, name: str) -> None:
    assert unicodedata.normalize("NFC", name) in flat(pdf)


def test_arabic_names_read_back_after_nfkc(pdf: bytes) -> None:
    text = flat(pdf, "NFKC")
    for name in (f"{ARABIC_FIRST} {ARABIC_LAST}", f"{ARABIC_CHILD} {ARABIC_LAST}"):
        assert unicodedata.normalize("NFKC", name) in text, name


def test_italic_hulpvraag_reads_back(pdf: bytes) -> None:
    text = flat(pdf, "NFKC")
    assert "我们希望孩子每天上学。" in text
    assert "ሰላም ኣብ ገዛ።" in text
    assert "نريد الهدوء في البيت" in text
    assert "Ilgın wil dat Łucja en Ánh weer rustig slapen." in text


def test_arabic_is_joined_not_isolated_letters(pdf: bytes) -> None:
    """Joined Arabic is drawn with contextual glyphs, which read back as presentation
    forms: "يوسف" is yeh initial (U+FEF3), waw final (U+FEEE), seen initial (U+FEB3)
    and feh final (U+FED2).
    Unshaped, the name would read back as its base letters."""
    text = flat(pdf)
    assert "\ufef3\ufeee\ufeb3\ufed2" in text
    for name in (ARABIC_FIRST, ARABIC_CHILD):
        assert name not in text and name[::-1] not in text


def test_arabic_words_are_drawn_right_to_left(pdf: bytes) -> None:
    """PDFium returns a page's words in drawing order, left to right, each Arabic word
    with its letters in logical order: the family name (second word) is drawn to the
    left of the first name, as a right-to-left reader expects."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        text = unicodedata.normalize("NFKC", document[0].get_textpage().get_text_range())
    finally:
        document.close()
    assert f"{ARABIC_LAST} {ARABIC_FIRST}" in text
    assert f"{ARABIC_LAST} {ARABIC_CHILD}" in text
    assert f"{ARABIC_FIRST} {ARABIC_LAST}" not in text


def test_chart_names_read_back(pdf: bytes) -> None:
    pages = [unicodedata.normalize("NFKC", p.extract_text()) for p in reader(pdf).pages]
    chart_page = next(p for p in pages if "Zelfredzaamheid" in p and "3 ·" in p)
    assert unicodedata.normalize("NFKC", ARABIC_FIRST) in chart_page
    assert GEEZ_FIRST in chart_page


def test_a_ligature_without_code_point_reads_back_as_private_use(pdf: bytes) -> None:
    """What pypdf cannot give back: the "الله" ligature has no presentation form, so
    its glyph carries a private-use code point (printed right, read back as U+E000–F8FF)."""
    text = flat(pdf, "NFKC")
    assert "عبد" in text
    assert any("\ue000" <= ch <= "\uf8ff" for ch in text)
    assert notdef_uses(pdf) == []


def test_same_bytes_whatever_was_printed_before(dossier: Dossier) -> None:
    """Shaped glyphs without a code point get private-use codes: assigned once, in glyph
    order, when the fonts load. So a verslag re-rendered from the vault's JSON in a fresh
    process is byte for byte the one rendered after other verslagen (whose ligatures
    would otherwise have taken the first codes)."""
    import subprocess
    import sys
    from pathlib import Path

    other = dossier.model_copy(update={"hulpvraag": Hulpvraag(tekst="لأ لإ لآ مُحَمَّد", stem=Voice.BEIDE)})
    script = (
        "import sys, hashlib\n"
        "from forms.models import Dossier\n"
        "from forms.verslag import VerslagSettings, build_pdf\n"
        "s = VerslagSettings(gemeente='Gemeente Voorbeeldrecht', team='Sociaal Wijkteam Oost')\n"
        "*before, d = [Dossier.model_validate_json(line) for line in sys.stdin.buffer.read().splitlines()]\n"
        "for b in before:\n"
        "    build_pdf(b, settings=s)\n"
        "print(hashlib.sha256(build_pdf(d, settings=s)).hexdigest())\n"
    )

    def digest(*dossiers: Dossier) -> str:
        out = subprocess.run(
            [sys.executable, "-c", script], input="\n".join(d.model_dump_json() for d in dossiers).encode(),
            capture_output=True, cwd=Path(__file__).resolve().parents[2], check=True, timeout=120,
        )
        return out.stdout.decode().strip()

    assert digest(dossier) == digest(other, dossier)


def test_no_personal_data_in_metadata(pdf: bytes, dossier: Dossier) -> None:
    meta = " ".join(str(v) for v in reader(pdf).metadata.values())
    for m in dossier.huishouden.leden:
        assert m.voornaam not in meta and m.achternaam not in meta


# --- what cannot be printed -------------------------------------------------------------------


def test_unprintable_is_empty_for_every_supported_script() -> None:
    names = [ARABIC_FIRST, ARABIC_LAST, GEEZ_FIRST, GEEZ_LAST, CHINESE_FIRST, CHINESE_LAST, HULPVRAAG]
    names += [f"{v} {a}" for v, a in [*LATIN, TURKISH, VIETNAMESE, POLISH]]
    names += ["Μαρία Παπαδοπούλου", "Олена Коваленко", "דוד לוי", "فاطمه‌زهرا"]  # Greek, Cyrillic, Hebrew, Persian (ZWNJ)
    for name in names:
        assert unprintable(name) == set(), name


def test_unprintable_names_the_characters_no_font_has() -> None:
    assert unprintable("Anjali देवी") == set("देवी")  # Devanagari: no bundled font
    assert unprintable("김민준") == set("김민준")  # nor Korean Hangul
    assert unprintable("𓀀 Jan") == {"𓀀"}
    assert unprintable("Jan\u200b \u200e") == set()  # invisible format characters never count


def test_a_long_arabic_text_breaks_over_pages_in_order(dossier: Dossier) -> None:
    """Lines are broken in logical order and each drawn right to left: a text of many
    numbered Arabic sentences that runs over a page break reads back complete, every
    sentence once, on consecutive pages."""
    sentences = [f"{i} نحن نريد أن يذهب الأطفال إلى المدرسة كل يوم." for i in range(1, 251)]
    long = dossier.model_copy(update={"plan": dossier.plan.model_copy(update={"probleemanalyse": " ".join(sentences)})})
    pdf = build_pdf(long, settings=SETTINGS)
    assert notdef_uses(pdf) == []
    pages = [unicodedata.normalize("NFKC", p.extract_text()) for p in reader(pdf).pages]
    holding = [n for n, page in enumerate(pages) if "المدرسة" in page]
    assert len(holding) >= 2 and holding == list(range(holding[0], holding[-1] + 1))
    arabic_lines = [line for page in pages for line in page.splitlines() if "نحن" in line or "المدرسة" in line]
    numbers = [int(x) for line in arabic_lines for x in re.findall(r"\d+", line)]  # pypdf may glue digits to words
    assert sorted(numbers) == list(range(1, 251))
