"""The zaak follows the household's trajectory: a status per finalised gesprek, and at
the afsluiting its resultaat and the eindstatus.

The gesprekken of the current zaak are the dossier's finalised versions whose verslag is
linked to that zaak (a follow-up zaak after a closure does not count the gesprekken of the
zaak before it), in order. They ask for:

- ``statustype_gestart`` first (when the zaak begins);
- the first finalised intake: ``statustype_ondertekend`` ("intake ondertekend", an
  ordinary status: the zaak stays open);
- each finalised evaluatie: ``statustype_evaluatie``, one status each;
- a finalised afsluiting: a resultaat of ``resultaattypen[afsluiting.resultaat]``, then
  ``statustype_afgesloten``, the eindstatus, which closes the zaak (``einddatum``). Open
  Zaak refuses the eindstatus before a resultaat (400 ``resultaat-does-not-exist``).
  Gesprekken after an afsluiting belong to a new zaak (see :mod:`sync.push`).

Each status is set at the gesprek's finalisation time (never in the future, each after
the one before). Idempotent on retries and across laptops: what the zaak has is counted
per statustype (its statussen, one request, only when this vault has not yet confirmed
the same trajectory: ``SyncState.statustype`` holds a token of it), and only the missing
ones are set. A status Open Zaak refuses as a duplicate (400 ``unique``: same zaak, same
moment) or a second resultaat (400 ``unique``) was set already by a lost or duplicated
request.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from forms.models import Dossier, GesprekSoort

from .context import DossierPush, Part, RunContext
from .documents import Documents
from .errors import RequestRejected

__all__ = ["Status", "Gesprek", "trajectory"]


@dataclass(frozen=True)
class Gesprek:
    """A finalised gesprek as the zaak sees it."""

    versie: int
    soort: GesprekSoort
    op: dt.datetime  # when it was finalised
    resultaat: str | None = None  # an afsluiting's resultaat key (a key of resultaattypen)


@dataclass(frozen=True)
class _Wanted:
    statustypen: tuple[tuple[str, dt.datetime], ...]  # in order, gestart first
    resultaattype: str | None  # set: close the zaak (resultaat, then the eindstatus)
    resultaat_key: str | None

    def token(self) -> str:
        """What ``SyncState.statustype`` remembers once this is confirmed."""
        last = self.statustypen[-1][0]
        return f"{last}#{len(self.statustypen)}" + ("#afgesloten" if self.resultaattype else "")


def trajectory(gesprekken: list[Gesprek]) -> list[Gesprek]:
    """The gesprekken that make statuses, in order: up to and including the first
    afsluiting (what comes after it belongs to a new zaak)."""
    out: list[Gesprek] = []
    for gesprek in sorted(gesprekken, key=lambda g: g.versie):
        out.append(gesprek)
        if gesprek.soort == GesprekSoort.AFSLUITING:
            break
    return out


class Status(Part):
    """The statuses, resultaat and eindstatus of one dossier's zaak."""

    def __init__(self, ctx: RunContext, documents: Documents) -> None:
        super().__init__(ctx)
        self.documents = documents

    # --- what the zaak should have ------------------------------------------------------

    def _gesprekken(self, push: DossierPush, local: Dossier) -> list[Gesprek]:
        """The dossier's finalised gesprekken whose verslag is linked to the current zaak
        (the local final dossier too when it has no verslag)."""
        found: dict[int, Gesprek] = {
            ref.versie: Gesprek(ref.versie, ref.soort, _aware(ref.op)) for ref in local.vorige_versies
        }
        if local.definitief is not None:
            afsluiting = local.gesprek.afsluiting
            found[local.versie] = Gesprek(
                local.versie,
                local.gesprek.soort,
                _aware(local.definitief.op),
                afsluiting.resultaat if afsluiting is not None else None,
            )
        uploads = push.state.verslagen
        unlinked = [v for v in found if v in uploads]
        if unlinked:
            linked = self.documents.linked(push)
            for versie in unlinked:
                if uploads[versie].url not in linked:
                    del found[versie]  # linked to an earlier zaak of this dossier
        out = trajectory(list(found.values()))
        if out and out[-1].soort == GesprekSoort.AFSLUITING and out[-1].resultaat is None:
            out[-1] = Gesprek(out[-1].versie, out[-1].soort, out[-1].op, self._resultaat_of(push, out[-1].versie))
        return out

    def _resultaat_of(self, push: DossierPush, versie: int) -> str | None:
        """The resultaat key of an afsluiting the dossier has moved past (its stored version)."""
        final = self.vault.load_version(push.dossier_id, versie).dossier()
        if final is None:
            return None
        return final.gesprek.afsluiting.resultaat if final.gesprek.afsluiting is not None else None

    def _wanted(self, push: DossierPush, local: Dossier) -> _Wanted:
        s = self.settings
        now = self.ctx.now()
        gesprekken = self._gesprekken(push, local)
        steps: list[tuple[str, dt.datetime]] = []
        intake = False
        resultaattype: str | None = None
        resultaat_key: str | None = None
        for g in gesprekken:
            if g.soort == GesprekSoort.INTAKE and not intake:
                steps.append((s.statustype_ondertekend, g.op))
                intake = True
            elif g.soort == GesprekSoort.EVALUATIE:
                steps.append((s.statustype_evaluatie, g.op))
            elif g.soort == GesprekSoort.AFSLUITING:
                resultaat_key = g.resultaat
                resultaattype = s.resultaattypen.get(g.resultaat or "")
                if resultaattype is None:
                    raise RequestRejected(
                        f"afsluiting with resultaat {g.resultaat!r}: not among the settings' resultaattypen",
                        melding=(
                            "Het gesprek is afgesloten met een resultaat dat niet in de instellingen van de "
                            "gemeente staat. Vraag de functioneel beheerder om een instellingenbestand met dat "
                            "resultaattype; de zaak blijft tot dan open."
                        ),
                    )
                steps.append((s.statustype_afgesloten, g.op))
        start = min(_aware(local.aangemaakt), now)
        if push.state.vorige_zaken:  # a follow-up zaak starts now, not when the dossier began
            start = now - dt.timedelta(seconds=2 + len(steps))
        if steps:
            start = min(start, steps[0][1] - dt.timedelta(seconds=1))
        return _Wanted(((s.statustype_gestart, start), *steps), resultaattype, resultaat_key)

    # --- making it so ---------------------------------------------------------------------

    def ensure(self, push: DossierPush, local: Dossier) -> None:
        wanted = self._wanted(push, local)
        token = wanted.token()
        if push.state.statustype == token:
            return
        zaak_url = push.state.zaak_url
        assert zaak_url is not None
        existing = [] if push.zaak_fresh or (push.zaak is not None and push.zaak.status is None) else (
            self.client.list_statussen(zaak_url)
        )
        have = Counter(st.statustype for st in existing)
        last = max((_parse_time(st.datum) for st in existing), default=None)
        seen: Counter[str] = Counter()
        eind = self.settings.statustype_afgesloten
        for statustype, when in wanted.statustypen:
            seen[statustype] += 1
            if seen[statustype] <= have[statustype]:
                continue  # set already (by this vault earlier, or another laptop)
            if statustype == eind:
                self._resultaat(push, zaak_url, wanted)
            last = self._post(zaak_url, statustype, _after(min(when, self.ctx.now()), last))
            if statustype == eind:
                self.report.zaken_closed += 1
                self.ctx.event("sync_zaak_afgesloten", push.dossier_id, f"resultaat={wanted.resultaat_key}")
        if have[eind] or seen[eind]:
            self.ctx.save_state(push, statustype=token, zaak_closed=True)
        else:
            self.ctx.save_state(push, statustype=token)

    def _resultaat(self, push: DossierPush, zaak_url: str, wanted: _Wanted) -> None:
        """The zaak's resultaat before its eindstatus; one per zaak (400 ``unique``: set
        already by a request whose answer was lost, or by another laptop)."""
        assert wanted.resultaattype is not None
        try:
            self.client.create_resultaat(zaak_url, wanted.resultaattype)
        except RequestRejected as exc:
            if not exc.has_code("unique"):
                raise
            return
        self.report.resultaten_set += 1

    def _post(self, zaak_url: str, statustype: str, when: dt.datetime) -> dt.datetime:
        """Set a status; returns its time. Open Zaak refuses a second status of a zaak
        at the same moment (400 ``unique``): that is this very status, set by a request
        whose answer was lost or that was processed twice."""
        try:
            created = self.client.create_status(zaak_url, statustype, when)
        except RequestRejected as exc:
            if not exc.has_code("unique"):
                raise
            return when
        self.report.statuses_set += 1
        return _parse_time(created.datum)


def _aware(value: dt.datetime) -> dt.datetime:
    """A time without zone (the model accepts one, e.g. from another system) read as UTC,
    so it compares with the aware ones."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _parse_time(text: str) -> dt.datetime:
    return _aware(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))


def _after(when: dt.datetime, last: dt.datetime | None) -> dt.datetime:
    """``when``, moved to just after ``last`` so statuses stay in order."""
    when = _aware(when)
    if last is not None and when <= last:
        return last + dt.timedelta(seconds=1)
    return when
