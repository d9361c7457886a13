"""How fast is the gesprek-adviesverslag? Against a bare reportlab baseline, measured in the same run.

    .venv/bin/python bench/verslag.py [--repeat N]

Builds (in memory, nothing written):
- the demo household's verslag (forms.demo: two parents, three children);
- a large household: two adults and eight children, every life domain filled in for
  everyone it applies to, a safety assessment per child, six goals, partners, signatures
  (fictional, built below);
- the demo household with its members' names in Arabic, Tigrinya (Ge'ez), Chinese,
  Polish and Vietnamese and an Arabic/Chinese hulpvraag: the cost of fallback fonts,
  shaping and right-to-left order (printed, not in the last line);
- the baseline: a bare reportlab document with plain text paragraphs and the same
  number of pages as the demo verslag, in the same embedded font (so the ratio shows
  the cost of the verslag's own layout, not of TrueType embedding).

Times are medians of N runs after one warm-up; the first (cold) build, which also
registers the fonts once per process, is printed separately. Target: demo ≤ 0.2 s.
The LAST line is machine-readable:
    demo_s=… large_s=… pages_demo=… ratio_vs_bare=…
where ratio_vs_bare = demo_s / bare_s, bare_s being the bare document of pages_demo pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import struct
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forms.demo import DOMAIN_SET, child_assessment, demo_dossier
from forms.models import (
    Action,
    Address,
    Consent,
    ContactRecord,
    ContactStatus,
    DomainEntry,
    Dossier,
    Familiegroepsplan,
    Gesprek,
    Goal,
    Household,
    Hulpvraag,
    Member,
    Partner,
    Plan,
    Regisseur,
    RiskLater,
    Role,
    Signature,
    Voice,
)
from forms.verslag import VerslagSettings, build_pdf, page_count

DAY = dt.date(2025, 3, 12)
SETTINGS = VerslagSettings(gemeente="Gemeente Voorbeeldrecht", team="Sociaal Wijkteam Noord", wijkcoach="Wijkcoach (bench)")


def _png(width: int = 300, height: int = 90) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(b"\x10\x20\x50" if abs(y - 45 - ((x // 7) % 9 - 4) * 4) < 3 else b"\xff\xff\xff" for x in range(width))
        for y in range(height)
    )
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def large_household() -> Dossier:
    """Two adults and eight children (fictional), complete enough to fill every section."""
    from forms.definitions import default_definitions

    mother = Member(voornaam="Ayşe", achternaam="Çelik", geboortedatum=dt.date(1983, 2, 14), rol=Role.OUDER)
    father = Member(voornaam="Johannes", achternaam="de Vries", geboortedatum=dt.date(1980, 7, 3), rol=Role.OUDER)
    names = ["Daan", "Noor", "Liëke", "Mehmet", "Zoë", "Thijs", "Elif", "Loïs"]
    kids = [
        Member(voornaam=n, achternaam="de Vries", geboortedatum=dt.date(2008 + i * 2, 3 + i, 1), rol=Role.KIND)
        for i, n in enumerate(names)
    ]
    members = [mother, father, *kids]
    dossier = Dossier(
        huishouden=Household(adres=Address(straat="Proeflaan", huisnummer="88", postcode="9999 AA", plaats="Voorbeeldrecht"), leden=members),
        gesprek=Gesprek(datum=DAY, plaats="Thuis", aanwezig=[m.id for m in members[:6]],
                        contacten=[ContactRecord(member_id=m.id, status=ContactStatus.GESPROKEN if i < 8 else ContactStatus.GEZIEN) for i, m in enumerate(members)]),
        leefgebieden_set=DOMAIN_SET,
    )
    domain_set = default_definitions().domain_set(DOMAIN_SET)
    adults = {mother.id, father.id}
    entries = []
    for n, (domain_id, member_id) in enumerate(domain_set.required_cells(dossier)):
        zrm = (n % 4) + 2 if (member_id is None or member_id in adults) else None
        entries.append(
            DomainEntry(
                domein=domain_id, member_id=member_id, definitie=DOMAIN_SET, besproken=True,
                zorgen=f"Zorg {n}: er is spanning thuis en de planning van de week loopt vaak vast." if n % 3 else "",
                krachten=f"Kracht {n}: er is steun van familie en de kinderen gaan graag naar de sport.",
                zrm=zrm,
            )
        )
    consent = Consent(contact_toegestaan=True, delen_toegestaan=True, reikwijdte="Verzuim en welzijn", datum=DAY, gegeven_door=[mother.id, father.id])
    partners = [
        Partner(organisatie=org, rol=rol, toestemming=consent)
        for org, rol in [("Basisschool De Proef", "intern begeleider"), ("Fictief College", "mentor"),
                         ("Huisartsenpraktijk Oost", "huisarts"), ("Schuldhulp (gemeente)", "consulent")]
    ]
    assessments = [
        child_assessment(
            k, DAY, risk=[RiskLater.LAAG, RiskLater.VERHOOGD][i % 2],
            onderbouwing="Geen signalen van onveiligheid; ouders zoeken zelf hulp en het netwerk is betrokken.",
        )
        for i, k in enumerate(kids)
    ]
    goals = [
        Goal(
            prioriteit=p, omschrijving=f"Doel {p}: de kinderen hebben een vast ritme door de week.",
            resultaat="Elke ochtend op tijd op school, zes weken lang.", eigenaar="Ayşe en Johannes",
            streefdatum=DAY + dt.timedelta(weeks=6 + p),
            acties=[Action(omschrijving=f"Actie {p}.{a}: weekplanning maken met de wijkcoach", wie="wijkcoach", wanneer=DAY + dt.timedelta(days=7 * a)) for a in (1, 2)],
        )
        for p in range(1, 7)
    ]
    sigs = [
        Signature(member_id=mother.id, naam=mother.naam, plaats="Voorbeeldrecht", datum=DAY, afbeelding_png=_png()),
        Signature(member_id=father.id, naam=father.naam, plaats="Voorbeeldrecht", datum=DAY, afbeelding_png=_png(280, 80)),
        Signature(member_id=None, naam="Wijkcoach (bench)", plaats="Voorbeeldrecht", datum=DAY, afbeelding_png=_png(260, 70)),
    ]
    return dossier.model_copy(
        update={
            "leefgebieden": entries,
            "partners": partners,
            "veiligheid": assessments,
            "hulpvraag": Hulpvraag(tekst="Rust in huis en een vast ritme voor alle kinderen.", stem=Voice.BEIDE),
            "plan": Plan(probleemanalyse="Veel kinderen, weinig ritme, geldzorgen. " * 6, perspectief="Een gezin met rust en ritme. " * 3,
                         doelen=goals, regisseur=Regisseur(soort="wijkcoach", naam="Wijkcoach (bench)", bereikbaar="0223-000000")),
            "familiegroepsplan": Familiegroepsplan(aangeboden=True, datum=DAY, uitkomst="geaccepteerd"),
            "handtekeningen": sigs,
        }
    )


def multiscript(demo: Dossier) -> Dossier:
    """The demo household writing five scripts (fictional names)."""
    names = [("يوسف", "الحداد"), ("ተስፋይ", "ገብረሚካኤል"), ("小明", "王"), ("Łucja", "Wróbel"), ("Ánh", "Nguyễn")]
    leden = [m.model_copy(update={"voornaam": v, "achternaam": a}) for m, (v, a) in zip(demo.huishouden.leden, names, strict=False)]
    return demo.model_copy(
        update={
            "huishouden": demo.huishouden.model_copy(update={"leden": leden}),
            "hulpvraag": Hulpvraag(tekst="نريد الهدوء في البيت وأن يذهب الأطفال إلى المدرسة. 我们希望孩子每天上学。", stem=Voice.BEIDE),
        }
    )


def bare_document(pages: int) -> bytes:
    """Plain paragraphs, one page's worth per page, in the verslag's embedded font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from forms.verslag.fonts import FONT, register_fonts

    register_fonts()
    style = ParagraphStyle("bare", fontName=FONT, fontSize=9.5, leading=13.5, spaceAfter=6)
    text = (
        "Wij hebben met het gezin besproken hoe het gaat met wonen, werk en inkomen, opvoeding, "
        "gezondheid, school en het sociale netwerk. Per leefgebied staat wat zorgen geeft en wat "
        "goed gaat, en welke afspraken we samen hebben gemaakt voor de komende weken."
    )
    story = []
    for page in range(pages):
        story += [Paragraph(f"{text} ({page + 1}.{i + 1})", style) for i in range(13)]
        if page < pages - 1:
            story.append(PageBreak())
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=30 * mm,
                      bottomMargin=22 * mm, invariant=1).build(story)
    return buf.getvalue()


def timed(fn, repeat: int) -> tuple[float, bytes]:
    out = fn()  # warm-up
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), out


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the gesprek-adviesverslag PDF.")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    demo = demo_dossier(DAY)
    large = large_household()

    start = time.perf_counter()
    from forms.verslag.fonts import register_fonts

    register_fonts()
    fonts_s = time.perf_counter() - start
    start = time.perf_counter()
    build_pdf(demo, settings=SETTINGS)
    cold_s = time.perf_counter() - start

    demo_s, demo_pdf = timed(lambda: build_pdf(demo, settings=SETTINGS), args.repeat)
    large_s, large_pdf = timed(lambda: build_pdf(large, settings=SETTINGS), args.repeat)
    scripts = multiscript(demo)
    scripts_s, scripts_pdf = timed(lambda: build_pdf(scripts, settings=SETTINGS), args.repeat)
    pages_demo, pages_large = page_count(demo_pdf), page_count(large_pdf)
    bare_s, bare_pdf = timed(lambda: bare_document(pages_demo), args.repeat)
    if page_count(bare_pdf) != pages_demo:
        raise SystemExit(f"baseline has {page_count(bare_pdf)} pages, demo {pages_demo}: adjust bare_document")

    print(f"font registration (once per process): {fonts_s * 1000:.1f} ms")
    print(f"first demo build (cold, incl. definitions): {cold_s * 1000:.1f} ms")
    print(f"demo household   : {demo_s * 1000:7.1f} ms  {pages_demo:2d} pages  {len(demo_pdf) / 1024:6.1f} KiB")
    print(f"large (2+8)      : {large_s * 1000:7.1f} ms  {pages_large:2d} pages  {len(large_pdf) / 1024:6.1f} KiB")
    print(f"five scripts     : {scripts_s * 1000:7.1f} ms  {page_count(scripts_pdf):2d} pages  {len(scripts_pdf) / 1024:6.1f} KiB")
    print(f"bare reportlab   : {bare_s * 1000:7.1f} ms  {pages_demo:2d} pages  {len(bare_pdf) / 1024:6.1f} KiB")
    print(f"target demo <= 0.2 s: {'met' if demo_s <= 0.2 else 'MISSED'} (median of {args.repeat})")
    print(f"target PDFs < 1 MB: {'met' if max(map(len, (demo_pdf, large_pdf, scripts_pdf))) < 1_000_000 else 'MISSED'}")
    # ratio_vs_bare = demo_s / bare_s, with bare_s the bare document of pages_demo pages
    print(f"demo_s={demo_s:.4f} large_s={large_s:.4f} pages_demo={pages_demo} ratio_vs_bare={demo_s / bare_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
