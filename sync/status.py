"""The zaak's status for the dossier's trajectory.

"gesprek gestart" first, "verslag ondertekend" when the dossier is final -- an ordinary
status: the zaak stays open through the evaluations. The eindstatus
(``statustype_afgesloten``) is set only at closure, after a resultaat
(``ZGWClient.close_zaak``). A status Open Zaak refuses as a duplicate (400 ``unique``:
same zaak, same moment) was set already.
"""

from __future__ import annotations

import datetime as dt

from forms.models import Dossier

from .client import RemoteStatus
from .context import DossierPush, Part
from .errors import RequestRejected

__all__ = ["Status"]


class Status(Part):
    """The statuses (and at closure the resultaat) of one dossier's zaak."""

    def _current(self, push: DossierPush) -> RemoteStatus | None:
        if push.zaak_fresh or (push.zaak is not None and push.zaak.status is None):
            return None
        assert push.state.zaak_url is not None
        statussen = self.client.list_statussen(push.state.zaak_url)
        if not statussen:
            return None
        flagged = [s for s in statussen if s.laatst_gezet]
        if flagged:
            return flagged[-1]
        return max(statussen, key=lambda s: _parse_time(s.datum))

    def ensure(self, push: DossierPush, local: Dossier) -> None:
        s = self.settings
        desired = s.statustype_ondertekend if local.definitief is not None else s.statustype_gestart
        if push.state.statustype == desired:
            return
        zaak_url = push.state.zaak_url
        assert zaak_url is not None
        current = self._current(push)
        last = _parse_time(current.datum) if current is not None else None
        current_type = current.statustype if current is not None else None
        if current is None:
            when = min(_aware(local.aangemaakt), self.ctx.now())
            if push.state.vorige_zaken:  # a follow-up zaak starts now, not when the dossier began
                when = self.ctx.now() - dt.timedelta(seconds=2)
            if desired != s.statustype_gestart:
                when = min(when, _at(local) - dt.timedelta(seconds=1))
            last = self._post(zaak_url, s.statustype_gestart, _after(when, last))
            current_type = s.statustype_gestart
        if current_type != desired:
            when = _at(local) if local.definitief is not None else self.ctx.now()
            self._post(zaak_url, desired, _after(min(when, self.ctx.now()), last))
        self.ctx.save_state(push, statustype=desired)

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

def _at(local: Dossier) -> dt.datetime:
    assert local.definitief is not None
    return _aware(local.definitief.op)

def _after(when: dt.datetime, last: dt.datetime | None) -> dt.datetime:
    """``when``, moved to just after ``last`` so statuses stay in order."""
    when = _aware(when)
    if last is not None and when <= last:
        return last + dt.timedelta(seconds=1)
    return when
