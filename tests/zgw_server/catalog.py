"""The Catalogi API content the server is seeded with.

One catalogus with one published zaaktype "Keukentafelgesprek", two
informatieobjecttypen ("Gespreksdossier" for the JSON dossier and
"Gesprek-adviesverslag" for the PDF), four statustypen ("Gesprek gestart" 1,
"Verslag ondertekend" 2, "Evaluatie" 3, "Afgesloten" 4 = the eindstatus: the
highest volgnummer, as Open Zaak decides it), three resultaattypen ("Zelfstandig
verder", "Overgedragen", "Opgeschaald"; archiefnominatie vernietigen after 5 years,
counted from the closure, as the real test catalogue has them) and a roltype with
omschrijvingGeneriek ``behandelaar``. A second published zaaktype ("Ander
zaaktype", the rest of the municipality) has one resultaattype of its own.

UUIDs are fixed (uuid5), so URLs are stable across restarts when the server
is started again on the same port with the same database file.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

_NS = uuid.UUID("6b1c3f0e-4c1b-4f5e-9a53-0d7a2a3f5c11")

CATALOGUS_UUID = str(uuid.uuid5(_NS, "catalogus"))
ZAAKTYPE_UUID = str(uuid.uuid5(_NS, "zaaktype/keukentafelgesprek"))
IOT_DOSSIER_UUID = str(uuid.uuid5(_NS, "informatieobjecttype/gespreksdossier"))
IOT_VERSLAG_UUID = str(uuid.uuid5(_NS, "informatieobjecttype/gesprek-adviesverslag"))
STATUSTYPE_GESTART_UUID = str(uuid.uuid5(_NS, "statustype/gesprek-gestart"))
STATUSTYPE_ONDERTEKEND_UUID = str(uuid.uuid5(_NS, "statustype/verslag-ondertekend"))
STATUSTYPE_EVALUATIE_UUID = str(uuid.uuid5(_NS, "statustype/evaluatie"))
STATUSTYPE_AFGESLOTEN_UUID = str(uuid.uuid5(_NS, "statustype/afgesloten"))
RESULTAATTYPE_ZELFSTANDIG_UUID = str(uuid.uuid5(_NS, "resultaattype/zelfstandig-verder"))
RESULTAATTYPE_OVERGEDRAGEN_UUID = str(uuid.uuid5(_NS, "resultaattype/overgedragen"))
RESULTAATTYPE_OPGESCHAALD_UUID = str(uuid.uuid5(_NS, "resultaattype/opgeschaald"))
ANDER_ZAAKTYPE_UUID = str(uuid.uuid5(_NS, "zaaktype/ander"))
RESULTAATTYPE_ANDER_UUID = str(uuid.uuid5(_NS, "resultaattype/ander-zaaktype"))
ROLTYPE_BEHANDELAAR_UUID = str(uuid.uuid5(_NS, "roltype/behandelaar"))

#: RSIN of the seeded catalogus (passes the elfproef).
CATALOGUS_RSIN = "517439943"
_BEGIN = "2024-01-01"


@dataclass(frozen=True)
class CatalogURLs:
    """URLs of the seeded Catalogi resources (``server.catalog``)."""

    catalogus: str
    zaaktype: str
    informatieobjecttype_dossier: str
    informatieobjecttype_verslag: str
    statustype_gestart: str
    statustype_ondertekend: str
    statustype_evaluatie: str
    statustype_afgesloten: str
    resultaattype_zelfstandig_verder: str
    resultaattype_overgedragen: str
    resultaattype_opgeschaald: str
    roltype_behandelaar: str
    #: another zaaktype of the municipality, with a resultaattype of its own (not the sync's)
    ander_zaaktype: str
    resultaattype_ander_zaaktype: str

    @property
    def informatieobjecttypen(self) -> tuple[str, str]:
        return (self.informatieobjecttype_dossier, self.informatieobjecttype_verslag)

    @property
    def statustypen(self) -> tuple[str, str, str, str]:
        return (
            self.statustype_gestart,
            self.statustype_ondertekend,
            self.statustype_evaluatie,
            self.statustype_afgesloten,
        )

    @property
    def resultaattypen(self) -> dict[str, str]:
        """As the settings name them (``SyncSettings.resultaattypen``)."""
        return {
            "zelfstandig_verder": self.resultaattype_zelfstandig_verder,
            "overgedragen": self.resultaattype_overgedragen,
            "opgeschaald": self.resultaattype_opgeschaald,
        }


class Catalog:
    """Read-only, in-memory Catalogi content for one server base URL."""

    def __init__(self, base_url: str) -> None:
        root = f"{base_url}/catalogi/api/v1"
        self.root = root
        self.urls = CatalogURLs(
            catalogus=f"{root}/catalogussen/{CATALOGUS_UUID}",
            zaaktype=f"{root}/zaaktypen/{ZAAKTYPE_UUID}",
            informatieobjecttype_dossier=f"{root}/informatieobjecttypen/{IOT_DOSSIER_UUID}",
            informatieobjecttype_verslag=f"{root}/informatieobjecttypen/{IOT_VERSLAG_UUID}",
            statustype_gestart=f"{root}/statustypen/{STATUSTYPE_GESTART_UUID}",
            statustype_ondertekend=f"{root}/statustypen/{STATUSTYPE_ONDERTEKEND_UUID}",
            statustype_evaluatie=f"{root}/statustypen/{STATUSTYPE_EVALUATIE_UUID}",
            statustype_afgesloten=f"{root}/statustypen/{STATUSTYPE_AFGESLOTEN_UUID}",
            resultaattype_zelfstandig_verder=f"{root}/resultaattypen/{RESULTAATTYPE_ZELFSTANDIG_UUID}",
            resultaattype_overgedragen=f"{root}/resultaattypen/{RESULTAATTYPE_OVERGEDRAGEN_UUID}",
            resultaattype_opgeschaald=f"{root}/resultaattypen/{RESULTAATTYPE_OPGESCHAALD_UUID}",
            roltype_behandelaar=f"{root}/roltypen/{ROLTYPE_BEHANDELAAR_UUID}",
            ander_zaaktype=f"{root}/zaaktypen/{ANDER_ZAAKTYPE_UUID}",
            resultaattype_ander_zaaktype=f"{root}/resultaattypen/{RESULTAATTYPE_ANDER_UUID}",
        )
        u = self.urls
        self.resources: dict[str, dict[str, dict[str, Any]]] = {
            "catalogussen": {CATALOGUS_UUID: self._catalogus()},
            "zaaktypen": {ZAAKTYPE_UUID: self._zaaktype(), ANDER_ZAAKTYPE_UUID: self._ander_zaaktype()},
            "informatieobjecttypen": {
                IOT_DOSSIER_UUID: self._iot(u.informatieobjecttype_dossier, "Gespreksdossier"),
                IOT_VERSLAG_UUID: self._iot(u.informatieobjecttype_verslag, "Gesprek-adviesverslag"),
            },
            "statustypen": {
                STATUSTYPE_GESTART_UUID: self._statustype(u.statustype_gestart, "Gesprek gestart", 1, False),
                STATUSTYPE_ONDERTEKEND_UUID: self._statustype(
                    u.statustype_ondertekend, "Verslag ondertekend", 2, False
                ),
                STATUSTYPE_EVALUATIE_UUID: self._statustype(u.statustype_evaluatie, "Evaluatie", 3, False),
                STATUSTYPE_AFGESLOTEN_UUID: self._statustype(u.statustype_afgesloten, "Afgesloten", 4, True),
            },
            "resultaattypen": {
                RESULTAATTYPE_ZELFSTANDIG_UUID: self._resultaattype(
                    u.resultaattype_zelfstandig_verder, "Zelfstandig verder"
                ),
                RESULTAATTYPE_OVERGEDRAGEN_UUID: self._resultaattype(u.resultaattype_overgedragen, "Overgedragen"),
                RESULTAATTYPE_OPGESCHAALD_UUID: self._resultaattype(u.resultaattype_opgeschaald, "Opgeschaald"),
                RESULTAATTYPE_ANDER_UUID: self._resultaattype(
                    self.urls.resultaattype_ander_zaaktype, "Ander resultaat", zaaktype=self.urls.ander_zaaktype
                ),
            },
            "roltypen": {ROLTYPE_BEHANDELAAR_UUID: self._roltype()},
        }
        self._by_url = {
            data["url"]: (kind, data) for kind, items in self.resources.items() for data in items.values()
        }

    def get(self, kind: str, resource_uuid: str) -> dict[str, Any] | None:
        return self.resources.get(kind, {}).get(resource_uuid)

    def by_url(self, url: str, kind: str) -> dict[str, Any] | None:
        """The resource of the given kind behind ``url`` (None if unknown)."""
        found = self._by_url.get(url)
        if found is None or found[0] != kind:
            return None
        return found[1]

    def list(self, kind: str) -> list[dict[str, Any]]:
        return list(self.resources.get(kind, {}).values())

    # -- builders ----------------------------------------------------------------

    def _catalogus(self) -> dict[str, Any]:
        u = self.urls
        return {
            "url": u.catalogus,
            "domein": "SOCWD",
            "rsin": CATALOGUS_RSIN,
            "contactpersoonBeheerNaam": "Functioneel beheer Sociaal Domein",
            "contactpersoonBeheerTelefoonnummer": "",
            "zaaktypen": [u.zaaktype, self.urls.ander_zaaktype],
            "besluittypen": [],
            "informatieobjecttypen": list(u.informatieobjecttypen),
            "naam": "Sociaal Domein",
            "versie": "1",
            "begindatumVersie": _BEGIN,
        }

    def _zaaktype(self) -> dict[str, Any]:
        u = self.urls
        return {
            "url": u.zaaktype,
            "identificatie": "KEUKENTAFELGESPREK",
            "omschrijving": "Keukentafelgesprek",
            "omschrijvingGeneriek": "Keukentafelgesprek Wmo/Jeugd",
            "vertrouwelijkheidaanduiding": "zaakvertrouwelijk",
            "doel": "Ondersteuningsbehoefte van een huishouden in kaart brengen.",
            "aanleiding": "Melding of hulpvraag van een inwoner.",
            "toelichting": "",
            "indicatieInternOfExtern": "extern",
            "handelingInitiator": "Melden",
            "onderwerp": "Keukentafelgesprek",
            "handelingBehandelaar": "Voeren",
            "doorlooptijd": "P56D",
            "servicenorm": None,
            "opschortingEnAanhoudingMogelijk": False,
            "verlengingMogelijk": False,
            "verlengingstermijn": None,
            "trefwoorden": [],
            "publicatieIndicatie": False,
            "publicatietekst": "",
            "verantwoordingsrelatie": [],
            "productenOfDiensten": [],
            "referentieproces": {"naam": "Keukentafelgesprek"},
            "concept": False,
            "verantwoordelijke": "Gemeente, team Wijkcoaches",
            "beginGeldigheid": _BEGIN,
            "eindeGeldigheid": None,
            "versiedatum": _BEGIN,
            "beginObject": _BEGIN,
            "eindeObject": _BEGIN,
            "catalogus": u.catalogus,
            "statustypen": list(u.statustypen),
            "resultaattypen": list(u.resultaattypen.values()),
            "eigenschappen": [],
            "informatieobjecttypen": list(u.informatieobjecttypen),
            "roltypen": [u.roltype_behandelaar],
            "besluittypen": [],
            "deelzaaktypen": [],
            "gerelateerdeZaaktypen": [],
            "zaakobjecttypen": [],
        }

    def _iot(self, url: str, omschrijving: str) -> dict[str, Any]:
        return {
            "url": url,
            "catalogus": self.urls.catalogus,
            "omschrijving": omschrijving,
            "vertrouwelijkheidaanduiding": "zaakvertrouwelijk",
            "beginGeldigheid": _BEGIN,
            "eindeGeldigheid": None,
            "concept": False,
            "besluittypen": [],
            "informatieobjectcategorie": "Verslag",
            "trefwoord": [],
            "zaaktypen": [self.urls.zaaktype],
            "beginObject": _BEGIN,
            "eindeObject": _BEGIN,
        }

    def _statustype(self, url: str, omschrijving: str, volgnummer: int, eind: bool) -> dict[str, Any]:
        return {
            "url": url,
            "omschrijving": omschrijving,
            "omschrijvingGeneriek": "",
            "statustekst": "",
            "zaaktype": self.urls.zaaktype,
            "zaaktypeIdentificatie": "KEUKENTAFELGESPREK",
            "volgnummer": volgnummer,
            "isEindstatus": eind,
            "informeren": False,
            "doorlooptijd": None,
            "toelichting": None,
            "checklistitemStatustype": [],
            "catalogus": self.urls.catalogus,
            "eigenschappen": [],
            "zaakobjecttypen": [],
            "beginGeldigheid": None,
            "eindeGeldigheid": None,
            "beginObject": _BEGIN,
            "eindeObject": _BEGIN,
        }

    def _ander_zaaktype(self) -> dict[str, Any]:
        return {
            **self._zaaktype(),
            "url": self.urls.ander_zaaktype,
            "identificatie": "ANDER",
            "omschrijving": "Ander zaaktype",
            "omschrijvingGeneriek": "",
            "onderwerp": "Ander zaaktype",
            "referentieproces": {"naam": "Ander"},
            "statustypen": [],
            "resultaattypen": [self.urls.resultaattype_ander_zaaktype],
            "informatieobjecttypen": [],
            "roltypen": [],
        }

    def _resultaattype(self, url: str, omschrijving: str, *, zaaktype: str | None = None) -> dict[str, Any]:
        zaaktype = zaaktype or self.urls.zaaktype
        return {
            "url": url,
            "zaaktype": zaaktype,
            "zaaktypeIdentificatie": "KEUKENTAFELGESPREK" if zaaktype == self.urls.zaaktype else "ANDER",
            "omschrijving": omschrijving,
            "resultaattypeomschrijving": "",
            "omschrijvingGeneriek": "",
            "selectielijstklasse": "",
            "toelichting": "",
            "archiefnominatie": "vernietigen",
            "archiefactietermijn": "P5Y",
            "brondatumArchiefprocedure": {
                "afleidingswijze": "afgehandeld",
                "datumkenmerk": "",
                "einddatumBekend": False,
                "objecttype": "",
                "registratie": "",
                "procestermijn": None,
            },
            "procestermijn": None,
            "catalogus": self.urls.catalogus,
            "besluittypen": [],
            "besluittypeOmschrijving": [],
            "informatieobjecttypen": [],
            "informatieobjecttypeOmschrijving": [],
            "beginGeldigheid": None,
            "eindeGeldigheid": None,
            "beginObject": _BEGIN,
            "eindeObject": _BEGIN,
        }

    def _roltype(self) -> dict[str, Any]:
        return {
            "url": self.urls.roltype_behandelaar,
            "zaaktype": self.urls.zaaktype,
            "zaaktypeIdentificatie": "KEUKENTAFELGESPREK",
            "omschrijving": "Behandelend wijkcoach",
            "omschrijvingGeneriek": "behandelaar",
            "catalogus": self.urls.catalogus,
            "beginGeldigheid": None,
            "eindeGeldigheid": None,
            "beginObject": _BEGIN,
            "eindeObject": _BEGIN,
        }
