"""One voice and one term per concept (issue 14): every text the screens, the Controle
messages and the verslag can show, read from the source (string literals, docstrings and
comments left out), is checked against the glossary in resources/glossary.json."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from forms.glossary import glossary, label, term

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "desktop").rglob("*.py")),
    ROOT / "forms" / "rules.py",
    ROOT / "forms" / "summary.py",
    *sorted((ROOT / "forms" / "verslag").glob("*.py")),
]


def _texts(path: Path) -> list[tuple[int, str]]:
    """The string literals of ``path`` (f-strings' literal parts joined), without docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
            found.append((node.lineno, "".join(str(p) for p in parts)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.append((node.lineno, node.value))
    return found


def _dutch_texts() -> list[tuple[str, str]]:
    texts = []
    for path in SOURCES:
        for line, text in _texts(path):
            if " " in text.strip() or text[:1].isupper():  # words for people, not keys or ids
                texts.append((f"{path.relative_to(ROOT)}:{line}", text))
    return texts


TEXTS = _dutch_texts()


def test_the_scan_sees_the_screens_texts() -> None:
    assert len(TEXTS) > 500
    assert any("Mijn huishoudens" in t for _, t in TEXTS)


def test_the_wijkcoach_is_addressed_with_u_everywhere() -> None:
    address = glossary()["aanspreekvorm"]
    assert address["gebruik"] == "u"
    pattern = re.compile(r"\b(" + "|".join(address["vermijd"]) + r")\b", re.IGNORECASE)
    wrong = [f"{where}: {text!r}" for where, text in TEXTS if pattern.search(text.replace("&", ""))]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("concept", sorted(glossary()["termen"]))
def test_one_term_per_concept(concept: str) -> None:
    entry = glossary()["termen"][concept]
    wrong = []
    for where, text in TEXTS:
        plain = text.replace("&", "")
        for avoid in entry.get("vermijd", []):
            if avoid.lower() in plain.lower():
                wrong.append(f"{where}: {text!r} says {avoid!r}, the glossary says {entry['term']!r}")
        for avoid in entry.get("vermijd_exact", []):
            if plain.strip() == avoid:
                wrong.append(f"{where}: {text!r}, the glossary says {entry['label']!r}")
    assert not wrong, "\n".join(wrong)


def test_window_titles_do_not_repeat_the_application_name() -> None:
    """Qt adds " — Keukentafel" (the application display name) to every window title."""
    wrong = [f"{where}: {text!r}" for where, text in TEXTS if "Keukentafel —" in text]
    assert not wrong, "\n".join(wrong)


def test_controle_the_form_and_the_verslag_use_the_same_word_for_the_later_risk() -> None:
    import io

    from pypdf import PdfReader

    from forms import gaps
    from forms.definitions import default_definitions
    from forms.demo import demo_dossier
    from forms.verslag import build_pdf

    dossier = demo_dossier()
    missing = dossier.model_copy(deep=True)
    missing.veiligheid[0].risico = None
    messages = [g.message for g in gaps(missing, default_definitions()) if getattr(g.location, "field", "") == "risico"]
    assert messages and all(term("risico_later") in m for m in messages), messages  # Controle
    pdf = build_pdf(dossier)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"Het {term('risico_later')} schatten wij in als" in text  # the verslag
    assert label("risico_later") == "Risico later"  # the form's label (desktop/steps/veiligheid.py)
