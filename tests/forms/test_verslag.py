"""The gesprek-adviesverslag, read back from real PDFs with pypdf.

The test family is fictional. Its names are chosen to break naive PDF text handling:
Vietnamese (ễ, ị: precomposed letters with two diacritics), Turkish (ş, ğ, ı, Ç), the
Dutch IJ ligature (Ĳ, one code point) and ë/ï. pypdf gives these back exactly (the
ToUnicode maps of reportlab's embedded TrueType subsets map each glyph to its code
point), so the checks compare exact strings after NFC on both sides; NFC only matters
for input typed as decomposed letters, which the verslag composes before printing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import struct
import subprocess
import sys
import time
import unicodedata
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from forms.models import (
    Action,
    Address,
    Consent,
    ContactRecord,
    ContactStatus,
    DefinitionRef,
    DomainEntry,
    Dossier,
    Familiegroepsplan,
    Finalisation,
    Gesprek,
    Goal,
    Household,
    Hulpvraag,
    ItemAnswer,
    Member,
    NetworkPerson,
    Partner,
    Plan,
    Regisseur,
    RiskLater,
    Role,
    SafetyAssessment,
    SafetyNow,
    Signature,
    Voice,
)
from forms.verslag import SECTION_HEADINGS, VerslagSettings, build_pdf, page_count

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2025, 3, 12)
DOMAINS = DefinitionRef(id="leefgebieden-basis", version=1)
INSTRUMENT = DefinitionRef(id="kt-veiligheid", version=1)
SETTINGS = VerslagSettings(gemeente="Gemeente Voorbeeldrecht", team="Sociaal Wijkteam Oost")


# --- helpers --------------------------------------------------------------------------


def png(width: int = 40, height: int = 12) -> bytes:
    """A small RGB PNG made by hand (zlib + struct): a dark stroke on white."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b""
    for y in range(height):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(width):
            ink = abs(y - (height // 2 + (x % 6) - 3)) <= 1
            row += b"\x14\x28\x5a" if ink else b"\xff\xff\xff"
        rows += bytes(row)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [unicodedata.normalize("NFC", p.extract_text()) for p in reader(pdf).pages]


def flat(pdf: bytes) -> str:
    """All text, whitespace collapsed (a sentence may wrap across lines)."""
    return " ".join(" ".join(page_texts(pdf)).split())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def expected_hash(dossier: Dossier) -> str:
    if dossier.definitief is not None:
        return dossier.definitief.sha256
    from forms.finalise import content_hash

    return content_hash(dossier)


def family(*, signed: bool = False, long_text: str = "") -> Dossier:
    ayse = Member(voornaam="Ayşe", achternaam="Çelik-Doğan", geboortedatum=dt.date(1988, 6, 2), rol=Role.OUDER)
    ijsbrand = Member(voornaam="IJsbrand", achternaam="Ĳzerman", geboortedatum=dt.date(1984, 1, 19), rol=Role.OUDER)
    minh = Member(voornaam="Minh", achternaam="Nguyễn", geboortedatum=dt.date(2012, 9, 30), rol=Role.KIND)
    noor = Member(voornaam="Noor", achternaam="Ĳzerman", geboortedatum=dt.date(2016, 4, 11), rol=Role.KIND)
    lois = Member(voornaam="Loïs", achternaam="Ĳzerman", geboortedatum=dt.date(2022, 11, 5), rol=Role.KIND)
    members = [ayse, ijsbrand, minh, noor, lois]

    def entry(domein: str, member: Member | None, **kw: object) -> DomainEntry:
        return DomainEntry(domein=domein, member_id=member.id if member else None, definitie=DOMAINS, **kw)

    consent = Consent(
        contact_toegestaan=True,
        delen_toegestaan=False,
        reikwijdte="",
        datum=DAY,
        gegeven_door=[ayse.id, ijsbrand.id],
    )
    goals = [
        Goal(
            prioriteit=2,
            omschrijving="Er is een betalingsregeling voor de huurachterstand van € 1.250.",
            eigenaar="IJsbrand",
            streefdatum=DAY + dt.timedelta(weeks=8),
            acties=[Action(omschrijving="Afspraak bij de woningcorporatie", wie="IJsbrand", wanneer=DAY + dt.timedelta(days=5))],
        ),
        Goal(
            prioriteit=1,
            omschrijving="Minh gaat elke dag naar school en heeft één vaste mentor.",
            resultaat="Geen ongeoorloofd verzuim in zes weken.",
            eigenaar="Ayşe",
            streefdatum=DAY + dt.timedelta(weeks=6),
        ),
    ]
    signatures = []
    if signed:
        signatures = [
            Signature(member_id=ayse.id, naam=ayse.naam, plaats="Voorbeeldrecht", datum=DAY, afbeelding_png=png()),
            Signature(member_id=ijsbrand.id, naam=ijsbrand.naam, plaats="Voorbeeldrecht", datum=DAY,
                      weigering_reden="Wil het verslag eerst met zijn zus lezen."),
        ]
    return Dossier(
        aangemaakt=dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC),
        huishouden=Household(
            adres=Address(straat="Laan van de Proef", huisnummer="7", postcode="9999 ZZ", plaats="Voorbeeldrecht"),
            leden=members,
        ),
        gesprek=Gesprek(
            datum=DAY,
            plaats="Thuis",
            aanwezig=[ayse.id, ijsbrand.id, noor.id, lois.id],
            overige_aanwezigen="Tolk Vietnamees (telefonisch)",
            contacten=[
                ContactRecord(member_id=ayse.id, status=ContactStatus.GESPROKEN),
                ContactRecord(member_id=ijsbrand.id, status=ContactStatus.GESPROKEN),
                ContactRecord(member_id=minh.id, status=ContactStatus.NIET, reden="Was op schoolkamp; belafspraak volgende week."),
                ContactRecord(member_id=noor.id, status=ContactStatus.GESPROKEN),
                ContactRecord(member_id=lois.id, status=ContactStatus.GEZIEN),
            ],
        ),
        leefgebieden_set=DOMAINS,
        leefgebieden=[
            entry("wonen", None, besproken=True, zorgen="Huurachterstand van € 1.250." + long_text, krachten="Fijne buurt.", zrm=2),
            entry("werk_inkomen", ayse, besproken=True, zorgen="Tijdelijk contract.", zrm=3),
            entry("werk_inkomen", ijsbrand, besproken=True, krachten="Vaste baan.", zrm=4),
            entry("onderwijs", minh, besproken=True, zorgen="Verzuimt.", hulpvraag="Een vaste mentor."),
        ],
        netwerk=[NetworkPerson(naam="Tante Hải", relatie="tante", toestemming=consent)],
        partners=[Partner(organisatie="Basisschool De Proefboom", rol="intern begeleider", toestemming=consent)],
        veiligheid=[
            SafetyAssessment(
                child_id=noor.id,
                instrument=INSTRUMENT,
                datum=DAY,
                antwoorden={"signaal_letsel": ItemAnswer(aanwezig=False, toelichting="Geen letsel gezien.")},
                veiligheid_nu=SafetyNow.VEILIG,
                risico=RiskLater.VERHOOGD,
                onderbouwing="Spanning over geld; oma is beschermend.",
                afgerond=True,
            ),
        ],
        hulpvraag=Hulpvraag(tekst="Rust over geld en dat Minh weer naar school gaat.", stem=Voice.BEIDE),
        plan=Plan(
            probleemanalyse="Geldzorgen sinds de verhuizing; Minh trekt zich terug.",
            perspectief="Een gezin met rust over geld.",
            doelen=goals,
            regisseur=Regisseur(soort="wijkcoach", naam="Fatma Öztürk", bereikbaar="06-00000000, ma t/m do"),
        ),
        familiegroepsplan=Familiegroepsplan(aangeboden=True, datum=DAY, uitkomst="in_voorbereiding"),
        handtekeningen=signatures,
    )


@pytest.fixture(scope="module")
def dossier() -> Dossier:
    return family(signed=True)


@pytest.fixture(scope="module")
def pdf(dossier: Dossier) -> bytes:
    return build_pdf(dossier, settings=SETTINGS)


# --- content --------------------------------------------------------------------------


def test_every_section_heading_is_printed(pdf: bytes) -> None:
    text = flat(pdf)
    missing = [h for h in SECTION_HEADINGS if h not in text]
    assert not missing


def test_every_member_name_reads_back_exactly(pdf: bytes, dossier: Dossier) -> None:
    text = flat(pdf)
    for member in dossier.huishouden.leden:
        assert nfc(member.naam) in text, member.naam
    for special in ("Nguyễn", "Ayşe Çelik-Doğan", "IJsbrand Ĳzerman", "Loïs", "€ 1.250", "Öztürk", "Hải"):
        assert special in text, special


def test_decomposed_input_prints_composed(dossier: Dossier) -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert decomposed != "Nguyễn"
    members = [m.model_copy(update={"achternaam": decomposed}) if m.voornaam == "Minh" else m
               for m in dossier.huishouden.leden]
    changed = dossier.model_copy(update={"huishouden": dossier.huishouden.model_copy(update={"leden": members})})
    text = " ".join(reader(build_pdf(changed, settings=SETTINGS)).pages[0].extract_text().split())
    assert "Minh Nguyễn" in text  # composed: one glyph per letter, not e + two loose marks


def test_goals_actions_and_plan(pdf: bytes, dossier: Dossier) -> None:
    text = flat(pdf)
    for goal in dossier.plan.doelen:
        assert nfc(goal.omschrijving) in text
        for action in goal.acties:
            assert nfc(action.omschrijving) in text
    # priority order: goal 1 is printed before goal 2 whatever the stored order
    assert text.index("Minh gaat elke dag") < text.index("Er is een betalingsregeling")
    assert "Fatma Öztürk" in text and "06-00000000, ma t/m do" in text
    assert dossier.plan.probleemanalyse in text and dossier.plan.perspectief in text


def test_header_attendance_and_voice(pdf: bytes) -> None:
    text = flat(pdf)
    assert "Gemeente Voorbeeldrecht" in text and "Sociaal Wijkteam Oost" in text
    assert "12 maart 2025" in text
    assert "Niet gesproken: Was op schoolkamp" in text
    assert "Gezien" in text
    assert "Tolk Vietnamees (telefonisch)" in text
    assert "Dit is de vraag van de ouders en de kinderen samen." in text


def test_domains_use_the_names_of_the_definitions(pdf: bytes) -> None:
    from forms.definitions import default_definitions

    domain_set = default_definitions().domain_set(DOMAINS)
    text = flat(pdf)
    for domain_id in ("wonen", "werk_inkomen", "onderwijs"):
        assert nfc(domain_set.domein(domain_id).naam) in text


def test_zrm_chart_labels_each_bar(pdf: bytes) -> None:
    from forms.definitions import default_definitions

    zrm = default_definitions().zrm()
    text = flat(pdf)
    for score in (2, 3, 4):
        assert f"{score} · {zrm.label(score)}" in text


def test_child_safety_in_words_and_item_detail_only_on_request(pdf: bytes, dossier: Dossier) -> None:
    text = flat(pdf)
    assert (
        "Wij schatten in dat Noor thuis nu veilig is. "
        "Het risico later schatten wij in als verhoogd." in text
    )
    assert "Voor Minh hebben wij de veiligheid nog niet ingeschat." in text
    assert "Voor Loïs hebben wij de veiligheid nog niet ingeschat." in text
    assert "Geen letsel gezien." not in text  # the instrument's detail stays in the dossier
    detailed = flat(build_pdf(dossier, settings=VerslagSettings(gemeente="G", team="T", toon_instrument_details=True)))
    assert "Geen letsel gezien." in detailed


def test_consent_as_statements(pdf: bytes) -> None:
    text = flat(pdf)
    assert "Wij mogen contact opnemen met Basisschool De Proefboom." in text
    assert "Wij delen geen informatie met Basisschool De Proefboom." in text
    assert "Afgesproken op 12 maart 2025 door Ayşe Çelik-Doğan en IJsbrand Ĳzerman." in text


def test_signatures_image_and_refusal(pdf: bytes) -> None:
    text = flat(pdf)
    assert "Wil niet tekenen: Wil het verslag eerst met zijn zus lezen." in text
    assert "Voorbeeldrecht, 12 maart 2025" in text
    images = []
    for page in reader(pdf).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                images.append(obj)
    assert len(images) == 1
    assert (images[0]["/Width"], images[0]["/Height"]) == (40, 12)


def test_unsigned_concept_prints_empty_signature_lines() -> None:
    text = flat(build_pdf(family(), settings=SETTINGS))
    assert "CONCEPT" in text
    assert text.count("Plaats: ") >= 3  # both parents and the wijkcoach sign on paper


def test_unreadable_signature_does_not_stop_the_verslag(dossier: Dossier) -> None:
    broken = dossier.handtekeningen[0].model_copy(update={"afbeelding_png": b"not a png"})
    text = flat(build_pdf(dossier.model_copy(update={"handtekeningen": [broken]}), settings=SETTINGS))
    assert "De handtekening kon niet worden getoond." in text


# --- the hash, the footer and the pages ----------------------------------------------------


def test_full_hash_reads_back_and_matches_the_content_hash(pdf: bytes, dossier: Dossier) -> None:
    text = flat(pdf)
    printed = re.findall(r"SHA-256: ([0-9a-f]{64})", text)
    assert printed == [expected_hash(dossier)]
    # the short form in every footer
    for page in page_texts(pdf):
        assert f"code {printed[0][:12]}" in page
        assert f"dossier {dossier.id.hex[:8].upper()}" in page
        assert f"versie {dossier.versie}" in page


def test_finalised_dossier_prints_its_frozen_hash_and_date(dossier: Dossier) -> None:
    frozen = hashlib.sha256(b"any frozen content").hexdigest()
    op = dt.datetime(2025, 3, 12, 15, 42, tzinfo=dt.UTC)
    final = dossier.model_copy(update={"definitief": Finalisation(sha256=frozen, op=op), "versie": 2})
    pdf = build_pdf(final, settings=SETTINGS)
    text = flat(pdf)
    assert re.findall(r"SHA-256: ([0-9a-f]{64})", text) == [frozen]
    assert "CONCEPT" not in text
    assert "Definitief vastgelegd op 12 maart 2025" in text
    assert reader(pdf).metadata["/CreationDate"].startswith("D:20250312154200")


def test_finalised_time_is_printed_in_local_time(dossier: Dossier, monkeypatch: pytest.MonkeyPatch) -> None:
    """The finalisation moment is stored in UTC; parents read the wijkcoach's clock (as the desktop shows it)."""
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    try:
        op = dt.datetime(2025, 3, 12, 23, 30, tzinfo=dt.UTC)
        final = dossier.model_copy(update={"definitief": Finalisation(sha256="0" * 64, op=op)})
        text = flat(build_pdf(final, settings=SETTINGS))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "Definitief vastgelegd op 13 maart 2025 om 00:30 uur." in text


def test_page_x_of_y_on_every_page() -> None:
    long_text = " " + " ".join(["Een lange toelichting over de woonsituatie en de buren."] * 300)
    pdf = build_pdf(family(signed=True, long_text=long_text), settings=SETTINGS)
    pages = page_texts(pdf)
    total = len(pages)
    assert total >= 5 and page_count(pdf) == total
    for number, text in enumerate(pages, start=1):
        assert f"pagina {number} van {total}" in text
        assert sum(f"pagina {n} van" in text for n in range(1, total + 1)) == 1


def test_fonts_embedded_and_no_helvetica(pdf: bytes) -> None:
    fonts = {}
    for page in reader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert "DejaVuSans" in name, name
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), name
    assert b"Helvetica" not in pdf


def test_same_input_gives_identical_bytes(dossier: Dossier, pdf: bytes) -> None:
    build_pdf(family(), settings=SETTINGS)  # another document in between shares the fonts
    assert build_pdf(dossier, settings=SETTINGS) == pdf
    assert reader(pdf).metadata["/CreationDate"].startswith("D:20250312")


def test_identical_bytes_in_a_fresh_process_from_stored_json(dossier: Dossier, pdf: bytes) -> None:
    # what the vault keeps is JSON: a later re-render from it must give the same PDF
    script = (
        "import sys, hashlib\n"
        "from forms.models import Dossier\n"
        "from forms.verslag import VerslagSettings, build_pdf\n"
        "d = Dossier.model_validate_json(sys.stdin.buffer.read())\n"
        "s = VerslagSettings(gemeente='Gemeente Voorbeeldrecht', team='Sociaal Wijkteam Oost')\n"
        "print(hashlib.sha256(build_pdf(d, settings=s)).hexdigest())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        input=dossier.model_dump_json().encode(),
        capture_output=True,
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    assert out.stdout.decode().strip() == hashlib.sha256(pdf).hexdigest()


def test_empty_dossier_still_prints_every_section() -> None:
    bare = Dossier(
        huishouden=Household(
            adres=Address(huisnummer="1", postcode="1234 AB", plaats="Ergens"),
            leden=[Member(voornaam="Sam", achternaam="Alleen", geboortedatum=dt.date(1970, 1, 1), rol=Role.OUDER)],
        ),
        gesprek=Gesprek(datum=DAY),
    )
    text = flat(build_pdf(bare))
    assert all(h in text for h in SECTION_HEADINGS)
    assert "Er wonen geen kinderen onder de 18 jaar in het gezin." in text
