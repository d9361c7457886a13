"""from_location for the trajectory's steps (issue 13): a gap's place in the evaluatie,
kernbeslissingen and afsluiting steps as a dossier path."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

from forms import Kernbeslissing, Opschaling
from forms.demo import complete_demo_dossier
from forms.paths import Item, from_location
from forms.rules import Location


def test_evaluatie_locations_name_the_goals_evaluation_or_the_gesprek_field() -> None:
    d = complete_demo_dossier()
    goal = d.plan.doelen[0].id
    assert from_location(Location(section="evaluatie", ref=goal, field="uitkomst"), d) == (
        "gesprek", "doel_evaluaties", Item(str(goal), "goal_id"), "uitkomst")
    assert from_location(Location(section="evaluatie", ref=goal), d) == ("gesprek", "doel_evaluaties", Item(str(goal), "goal_id"))
    assert from_location(Location(section="evaluatie", field="volgende_evaluatie"), d) == ("gesprek", "volgende_evaluatie")
    assert from_location(Location(section="meldcode", field="meldcode_stap5"), d) == ("gesprek", "meldcode_stap5")
    assert from_location(Location(section="evaluatie", field="nieuwe_melding"), d) == ("gesprek", "nieuwe_melding")


def test_kernbeslissingen_locations_find_the_list_the_ref_is_in() -> None:
    d = complete_demo_dossier()
    kb = Kernbeslissing(datum=dt.date(2026, 1, 5), beslissing="Opschalen")
    op = Opschaling(datum=dt.date(2026, 1, 5), naar="veilig_thuis", reden="Geen verbetering")
    d.kernbeslissingen.append(kb)
    d.opschalingen.append(op)
    assert from_location(Location(section="kernbeslissingen", ref=kb.id, field="raadplegingen"), d) == (
        "kernbeslissingen", Item(str(kb.id)), "raadplegingen")
    assert from_location(Location(section="kernbeslissingen", ref=op.id, field="reden"), d) == ("opschalingen", Item(str(op.id)), "reden")
    assert from_location(Location(section="kernbeslissingen"), d) == ("kernbeslissingen",)


def test_afsluiting_locations_name_the_afsluiting_or_a_partners_row() -> None:
    d = complete_demo_dossier()
    partner = uuid4()
    assert from_location(Location(section="afsluiting", field="resultaat"), d) == ("gesprek", "afsluiting", "resultaat")
    assert from_location(Location(section="afsluiting", ref=partner, field="hoe"), d) == (
        "gesprek", "afsluiting", "geinformeerd", Item(str(partner), "partner_id"), "hoe")
    assert from_location(Location(section="afsluiting"), d) == ("gesprek", "afsluiting")
