"""The invariants, proven by random use: a hypothesis state machine edits a fictional
household through the public API, saves into a real vault after every step, merges
with an edited central copy (forms.merge, as a pull/merge does) and tries to finalise.

STORAGE invariants (checked after every save; ``storage`` may refuse instead):

- every stored dossier loads again (``vault.load`` never fails on what ``save`` or
  ``apply_remote`` accepted);
- a stored final dossier still matches its frozen hash (``forms.verify``);
- a refused save (``storage.InvalidDossier``) changes nothing already stored, and says
  what is wrong in specific Dutch (never only "Deze invoer is niet geldig.").

FINAL invariants (checked on every dossier ``forms.finalise`` accepts, by this test's
own reading of the model, not by ``forms.rules``):

- the gesprek is not dated after the day it is made final;
- every adult parent/carer at the table signed (a drawing) or refused with a reason,
  and the wijkcoach signed (a drawing);
- no child's judgment contradicts the Meldcode afwegingskader: (acuut) onveilig means
  afweging 1 'ja'; acuut onveilig means afweging 2 'ja' and a recorded report to Veilig
  Thuis; onveilig never goes with afweging 5 'ja' ("help reaches the necessary safety
  results") on the path 1 ja, 2 nee, 3 ja, 4 ja;
- every judgment rests on answered factors: risk 'laag' on a protective factor answered
  present, 'verhoogd'/'hoog' on a risk factor or signal answered present;
- the final dossier is stored and loads again, verified.

And every validation error an edit meets reads as specific Dutch (``forms.dutch_messages``).

Written against the public API only, so the same file runs against an older checkout
(there it finds the defects of issue 11).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from pydantic import ValidationError

import forms
import storage
from forms import (
    Consultation,
    Goal,
    ItemAnswer,
    MeldcodeRecord,
    Member,
    Regisseur,
    RiskLater,
    Role,
    SafetyNow,
    Signature,
    VeiligThuisMelding,
)
from forms.definitions import shipped_definitions
from forms.demo import complete_demo_dossier
from forms.merge import merge_validated
from storage.syncstate import SyncState

PASSPHRASE = "keukentafel-test-wachtwoord"
DEFS = shipped_definitions()
TODAY = dt.date.today()
NOW = dt.datetime.combine(TODAY, dt.time(12, 0), tzinfo=dt.UTC)
MELDCODE = DEFS.current_refs().meldcode
QUESTIONS = [q.id for q in DEFS.meldcode().stappen]
ITEMS = [i.id for i in DEFS.instrument().items]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16  # the rules only ask whether a drawing is there
GENERIC = "Deze invoer is niet geldig."
#: storage's refusal; absent in older code (then nothing is caught and a bad save shows)
INVALID = getattr(storage, "InvalidDossier", ())

NAMES = ["Ayla", "Bram", "Chen", "Dewi", "Eefje", "Faruk"]


def specific(messages: list[str]) -> bool:
    return bool(messages) and all(m and m.strip() != GENERIC for m in messages)


def _present(assessment, soort: str) -> bool:
    inst = DEFS.instrument(assessment.instrument)
    return any(
        (a := assessment.antwoorden.get(i.id)) is not None and a.aanwezig is True
        for s in inst.secties
        if s.soort == soort
        for i in s.items
    )


def broken_final_invariants(d: forms.Dossier, on: dt.date) -> list[str]:
    """The final invariants this dossier breaks, read straight from the model."""
    out: list[str] = []
    if d.gesprek.datum > on:
        out.append("gesprek in de toekomst")
    present = set(d.gesprek.aanwezig)
    done = {s.member_id for s in d.handtekeningen if s.member_id is not None and (s.afbeelding_png or s.weigering_reden)}
    for m in d.huishouden.leden:
        if m.rol is Role.OUDER and m.id in present and not m.is_minor_on(d.gesprek.datum) and m.id not in done:
            out.append("ouder aan tafel niet ondertekend")
    if not any(s.member_id is None and s.afbeelding_png for s in d.handtekeningen):
        out.append("wijkcoach niet ondertekend")
    record = d.meldcode
    ans = record.antwoorden if record is not None else {}
    for child in d.children():
        a = d.latest_assessment(child.id)
        if a is None:
            out.append("kind zonder oordeel")
            continue
        if a.risico is RiskLater.LAAG and not _present(a, "beschermend"):
            out.append("risico laag zonder beschermende factor")
        if a.risico in (RiskLater.VERHOOGD, RiskLater.HOOG) and not (_present(a, "risico") or _present(a, "signalen")):
            out.append("risico verhoogd/hoog zonder risicofactor of signaal")
        if a.veiligheid_nu in (SafetyNow.ONVEILIG, SafetyNow.ACUUT_ONVEILIG) and ans.get("vermoeden") is not True:
            out.append("onveilig zonder vermoeden (afweging 1)")
        if a.veiligheid_nu is SafetyNow.ACUUT_ONVEILIG and (
            ans.get("acuut_structureel") is not True or record is None or record.melding is None
        ):
            out.append("acuut onveilig zonder afweging 2 'ja' en melding")
        if (
            a.veiligheid_nu is SafetyNow.ONVEILIG
            and [ans.get(q) for q in QUESTIONS] == [True, False, True, True, True]
        ):
            out.append("onveilig terwijl afweging 5 zegt dat de hulp de veiligheid bereikt")
    return out


class DossierMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="kt-inv-"))
        self.vault = storage.create_vault(self.folder / "kluis.db", PASSPHRASE, user="test-coach")
        self.d = complete_demo_dossier(TODAY)
        self.stored: str = ""  # sha256 of what the vault holds for the dossier
        self.save()

    def teardown(self) -> None:
        self.vault.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- helpers ---------------------------------------------------------------------

    def save(self) -> None:
        """Save; the vault either stores a dossier that loads again, or refuses and keeps
        what it had."""
        before = self.vault.stored_sha256(self.d.id)
        try:
            self.vault.save(self.d)
        except INVALID as exc:  # type: ignore[misc]
            assert specific(list(exc.meldingen)), exc.meldingen
            assert self.vault.stored_sha256(self.d.id) == before, "a refused save changed the vault"
            event("save refused")
            self.d = self.vault.load(self.d.id)  # go on from what is stored (as after an undo)
            return
        self.check_stored()

    def check_stored(self) -> None:
        loaded = self.vault.load(self.d.id)  # a stored dossier always loads again
        if loaded.definitief is not None:
            assert forms.verify(loaded), "a stored final dossier no longer matches its hash"
        self.stored = self.vault.stored_sha256(self.d.id)

    def edit(self, change) -> None:
        """Apply an edit through the model; a refused assignment must explain itself."""
        try:
            change()
        except ValidationError as exc:
            assert specific(forms.dutch_messages(exc)), forms.dutch_messages(exc)
        self.save()

    def children(self) -> list[Member]:
        return self.d.children()

    def working(self) -> None:
        if self.d.definitief is not None:  # a final version is never edited: start the next
            self.d = forms.new_version(self.d)

    # --- household -----------------------------------------------------------------------

    @rule(age=st.integers(0, 70), rol=st.sampled_from(list(Role)), name=st.sampled_from(NAMES))
    def add_member(self, age: int, rol: Role, name: str) -> None:
        self.working()
        born = TODAY - dt.timedelta(days=365 * age + 40)
        m = Member(voornaam=name, achternaam="Verzonnen", geboortedatum=born, rol=rol)
        self.edit(lambda: (self.d.huishouden.leden.append(m), self.d.gesprek.aanwezig.append(m.id)))

    @rule(i=st.integers(0, 10))
    def remove_member(self, i: int) -> None:
        self.working()
        leden = self.d.huishouden.leden
        if len(leden) > 1:
            self.edit(lambda: leden.pop(i % len(leden)))

    @rule(i=st.integers(0, 10))
    def append_duplicate_member(self, i: int) -> None:
        self.working()
        leden = self.d.huishouden.leden
        if leden:
            self.edit(lambda: leden.append(leden[i % len(leden)]))

    @rule(i=st.integers(0, 10))
    def toggle_presence(self, i: int) -> None:
        self.working()
        leden = self.d.huishouden.leden
        if leden:
            member_id = leden[i % len(leden)].id
            aanwezig = self.d.gesprek.aanwezig
            self.edit(lambda: aanwezig.remove(member_id) if member_id in aanwezig else aanwezig.append(member_id))

    @rule(days=st.one_of(st.integers(-60, 60), st.integers(-20 * 365, -365)))
    def set_gesprek_date(self, days: int) -> None:
        self.working()
        new = TODAY + dt.timedelta(days=days)
        self.edit(lambda: setattr(self.d.gesprek, "datum", new))

    # --- safety and the Meldcode -----------------------------------------------------------

    @rule(i=st.integers(0, 10), now=st.sampled_from(list(SafetyNow)), risk=st.sampled_from(list(RiskLater)))
    def judge(self, i: int, now: SafetyNow, risk: RiskLater) -> None:
        self.working()
        kids = self.children()
        if kids:
            a = self.d.latest_assessment(kids[i % len(kids)].id)
            if a is not None:
                self.edit(lambda: (setattr(a, "veiligheid_nu", now), setattr(a, "risico", risk)))

    @rule(i=st.integers(0, 10), item=st.sampled_from(ITEMS), value=st.sampled_from([True, False, None]))
    def answer_factor(self, i: int, item: str, value: bool | None) -> None:
        self.working()
        kids = self.children()
        if kids:
            a = self.d.latest_assessment(kids[i % len(kids)].id)
            if a is not None:
                self.edit(lambda: a.antwoorden.__setitem__(item, ItemAnswer(aanwezig=value)))

    @rule(i=st.integers(0, 10))
    def only_signals_answered(self, i: int) -> None:
        """Every factor answer dropped: the judgment now weighs nothing (balansmodel)."""
        self.working()
        kids = self.children()
        if kids:
            a = self.d.latest_assessment(kids[i % len(kids)].id)
            if a is not None:
                signals = set(DEFS.instrument(a.instrument).signal_ids())
                kept = {k: v for k, v in a.antwoorden.items() if k in signals}
                self.edit(lambda: setattr(a, "antwoorden", kept))

    @rule(i=st.integers(0, 10), uitkomst=st.sampled_from(["", "Oordeel besproken en onderschreven."]))
    def consult(self, i: int, uitkomst: str) -> None:
        """The second professional an unsafe or high-risk judgment needs."""
        self.working()
        kids = self.children()
        if kids:
            a = self.d.latest_assessment(kids[i % len(kids)].id)
            if a is not None:
                c = Consultation(met="gedragswetenschapper", naam="G. Wetenschapper", datum=TODAY, uitkomst=uitkomst)
                self.edit(lambda: setattr(a, "consultatie", c))

    @rule(q=st.sampled_from(QUESTIONS), value=st.sampled_from([True, False, None]))
    def afweging(self, q: str, value: bool | None) -> None:
        self.working()
        if self.d.meldcode is None:
            self.d.meldcode = MeldcodeRecord(definitie=MELDCODE)
        record = self.d.meldcode
        self.edit(lambda: record.antwoorden.__setitem__(q, value))

    @rule(recorded=st.booleans())
    def melding(self, recorded: bool) -> None:
        self.working()
        if self.d.meldcode is None:
            self.d.meldcode = MeldcodeRecord(definitie=MELDCODE)
        melding = VeiligThuisMelding(datum=TODAY, referentie="VT-0001") if recorded else None
        self.edit(lambda: setattr(self.d.meldcode, "melding", melding))

    # --- signatures ---------------------------------------------------------------------------

    @rule(i=st.integers(-1, 10), how=st.sampled_from(["getekend", "geweigerd", "leeg"]))
    def sign(self, i: int, how: str) -> None:
        self.working()
        leden = self.d.huishouden.leden
        member = None if i < 0 or not leden else leden[i % len(leden)]
        sig = Signature(
            member_id=member.id if member else None,
            naam=member.naam if member else "Wijkcoach Test",
            afbeelding_png=PNG if how == "getekend" else None,
            weigering_reden="Wil er eerst over nadenken." if how == "geweigerd" else "",
        )
        kept = [s for s in self.d.handtekeningen if s.member_id != sig.member_id]
        self.edit(lambda: setattr(self.d, "handtekeningen", [*kept, sig]))

    @rule()
    def clear_signatures(self) -> None:
        self.working()
        self.edit(lambda: self.d.handtekeningen.clear())

    # --- plan: goals and the regisseur ----------------------------------------------------------

    @rule(text=st.sampled_from(["", "   ", "Elke dag naar school."]))
    def goal_text(self, text: str) -> None:
        self.working()
        goals = self.d.plan.doelen
        if goals:
            self.edit(lambda: setattr(goals[0], "omschrijving", text))

    @rule(text=st.sampled_from(["", "Rust over geld."]))
    def add_goal(self, text: str) -> None:
        self.working()
        self.edit(
            lambda: self.d.plan.doelen.append(
                Goal(prioriteit=len(self.d.plan.doelen) + 1, omschrijving=text, resultaat="Minder zorgen.",
                     eigenaar="Ouders", streefdatum=TODAY + dt.timedelta(days=30), domeinen=["wonen"])
            )
        )

    @rule(two=st.booleans())
    def regisseur(self, two: bool) -> None:
        self.working()
        one = Regisseur(soort="wijkcoach", naam="Wijkcoach Test", taken="Houdt de regie.")
        other = Regisseur(soort="netwerk", naam="Tante", taken="Helpt mee.")
        self.edit(lambda: setattr(self.d.plan, "regisseur", [one, other] if two else one))

    # --- pull/merge -------------------------------------------------------------------------------

    @rule(
        days=st.integers(-30 * 365, 30),
        duplicate=st.booleans(),
        unsign=st.booleans(),
        acute=st.booleans(),
    )
    def merge_central_edit(self, days: int, duplicate: bool, unsign: bool, acute: bool) -> None:
        """The municipality edited the stored copy meanwhile; a three-way merge of that and
        the local edits is stored as a pull/merge does (``apply_remote``)."""
        if self.d.definitief is not None:
            return
        base = self.vault.load(self.d.id).model_dump(mode="json")
        remote = self.vault.load(self.d.id).model_dump(mode="json")  # the central document
        remote["gesprek"]["datum"] = (TODAY + dt.timedelta(days=days)).isoformat()
        leden = remote["huishouden"]["leden"]
        if duplicate and leden:
            leden.append({**leden[-1], "voornaam": "Kopie"})  # same id: a duplicate member
        if unsign:
            remote["handtekeningen"] = []
        if acute and remote["veiligheid"]:
            remote["veiligheid"][-1]["veiligheid_nu"] = SafetyNow.ACUUT_ONVEILIG.value
        local = self.d.model_dump(mode="json")

        def locations(exc: Exception):
            return [tuple(e["loc"]) for e in exc.errors()] if isinstance(exc, ValidationError) else None

        try:
            result = merge_validated(base, local, remote, forms.Dossier.model_validate, locations)
        except ValidationError:  # the local copy itself no longer validates: nothing to merge into
            return
        merged = result.document
        before = self.vault.stored_sha256(self.d.id)
        try:
            self.vault.apply_remote(merged, SyncState(merged.id))
        except INVALID:  # type: ignore[misc]
            assert self.vault.stored_sha256(self.d.id) == before
            event("merge refused")
            return
        event(f"merge stored, {len(result.conflicts)} conflicts")
        self.d = merged
        self.check_stored()

    # --- finalising -------------------------------------------------------------------------------

    @precondition(lambda self: self.d.definitief is None)
    @rule()
    def finalise(self) -> None:
        try:
            final = forms.finalise(self.d, now=NOW)
        except forms.IncompleteDossier as exc:
            assert all(g.message and g.message != GENERIC for g in exc.gaps)
            event("finalise refused")
            return
        event("finalise accepted")
        broken = broken_final_invariants(final, NOW.date())
        assert not broken, f"finalise accepted a dossier that breaks: {broken}"
        self.d = final
        self.save()
        assert self.vault.load(final.id).definitief == final.definitief, "the final dossier was not stored"

    @invariant()
    def what_is_stored_loads(self) -> None:
        if self.stored:
            self.vault.load(self.d.id)


DossierMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_invariants_hold_for_random_edits_saves_merges_and_finalising = DossierMachine.TestCase
