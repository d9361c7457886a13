"""Finalised versions (a signed gesprek: its dossier JSON and its verslag PDF), both ways.

OUT (:class:`VersionsOut`, on push): every finalised version this vault holds goes into the
dossier document's history before the dossier moves past it (a version finalised and then
continued before a sync is written as its own document version first), and each verslag
PDF is its own document ``KTV-…`` (application/pdf, status definitief, ``integriteit``
SHA-256), linked to the zaak, never changed.

IN (:class:`VersionsIn`, on pull): a dossier that comes in (pull or merge) may name
finalised versions (``vorige_versies``, or itself when final) that the vault does not hold.
They are noted (``sync_meta``) before the dossier is stored, then fetched: the zaak's
links, one document search, the verslag ``KTV-…`` (checked against its ``integriteit``),
and the dossier JSON of that version from the dossier document's history (binary search
on the dossier's ``versie``; it must verify under its hash). When the central system has
the PDF but never had the signed dossier, the PDF is stored with a marker JSON
(:func:`sync.keys.pdf_only_json`). What is still missing is tried again only when the
zaak's links change (a verslag uploaded later is a new link).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from dataclasses import replace
from uuid import UUID

from pydantic import ValidationError

import forms
from forms.models import Dossier, GesprekSoort
from storage.errors import ImmutableVersion, VaultError
from storage.syncstate import SyncState, VerslagUpload

from . import keys
from .client import RemoteDocument, RemoteZaak, ZGWClient
from .context import DossierPush, Part, RunContext
from .documents import Documents
from .errors import ProtocolError, RequestRejected, SyncError

__all__ = ["VersionsIn", "VersionsOut", "predecessors", "verslag_titel"]

log = logging.getLogger("keukentafel.sync")

#: sync_meta: dossier id -> the zaak's links at the last try to fetch its missing versions.
_VERSIONS_WANTED = "pull_versions_wanted"


#: The verslag document's title per kind of gesprek (no personal data: kind and date only).
_TITELS = {
    GesprekSoort.INTAKE: "Gespreksverslag intake",
    GesprekSoort.EVALUATIE: "Evaluatieverslag",
    GesprekSoort.AFSLUITING: "Afsluitverslag",
}


def _signed(dossier_json: str | None) -> Dossier | None:
    try:
        return Dossier.model_validate_json(dossier_json or "")
    except ValueError:  # e.g. a version pulled as PDF only
        return None


def verslag_titel(dossier_json: str | None, versie: int) -> str:
    """``Gespreksverslag intake 02-03-2026``, ``Evaluatieverslag …``, ``Afsluitverslag …``
    (the gesprek's date); for a version whose dossier is not known, the old title."""
    final = _signed(dossier_json)
    if final is None:
        return f"Gesprek-adviesverslag versie {versie}"
    return f"{_TITELS[final.gesprek.soort]} {final.gesprek.datum:%d-%m-%Y}"


def _file_stem(dossier_json: str | None) -> str:
    final = _signed(dossier_json)
    if final is None:
        return "gesprek-adviesverslag"
    return _TITELS[final.gesprek.soort].lower().replace(" ", "-")


class VersionsOut(Part):
    """Push side: the signed dossiers into the document history, the verslagen uploaded."""

    def __init__(self, ctx: RunContext, documents: Documents) -> None:
        super().__init__(ctx)
        self.documents = documents

    def ensure_final_versions_sent(self, push: DossierPush, local: Dossier) -> None:
        """Every finalised version this vault holds goes into the dossier document's
        history before the dossier moves past it, so another vault can store that
        version's dossier JSON next to its verslag.

        Normally the final dossier is pushed as it is. When a new version was started
        before the sync ran (offline), the final one is written first, as one version of
        the document, when the central document is still where we left it; never over
        someone else's newer write, never backwards (a central dossier already past that
        version is left alone). A version whose verslag is already uploaded was sent.
        """
        for version in self.vault.list_versions(push.dossier_id):
            if version.versie >= local.versie or not version.has_pdf or version.versie in push.state.verslagen:
                continue
            final = self.vault.load_version(push.dossier_id, version.versie).dossier()
            if final is None:  # e.g. a verslag pulled without its JSON
                continue
            if final.versie != version.versie or not forms.verify(final):
                continue
            content = keys.canonical_bytes(final)
            base = push.state.base_json
            if base is not None:
                if base.encode("utf-8") == content:
                    continue
                try:
                    base_versie = json.loads(base).get("versie")
                except (ValueError, AttributeError):
                    base_versie = None
                if isinstance(base_versie, int) and base_versie > final.versie:
                    continue
            self._write_final_version(push, content)

    def _write_final_version(self, push: DossierPush, content: bytes) -> None:
        if self.documents.ensure_document(push, content):
            return
        url = push.state.document_url
        assert url is not None
        lock = self.documents.acquire_lock(push)
        try:
            doc = self.client.get_document(url)
            if doc.versie != push.state.remote_versie or push.state.base_json is None:
                # Moved since our base (someone else, or a lost write of ours): the
                # dossier's own write sorts that out (adopts ours, or merges).
                self.documents.release_lock(push, lock)
                return
            self.documents.patch_locked(push, lock, content)
        except (SyncError, VaultError):
            self.documents.release_quietly(push, lock)
            raise

    def ensure_verslagen(self, push: DossierPush) -> None:
        for version in self.vault.list_versions(push.dossier_id):
            if not version.has_pdf:
                continue
            upload = push.state.verslagen.get(version.versie)
            if upload is None:
                upload = self._upload_verslag(push, version.versie)
                push.state = push.state.with_verslag(version.versie, upload)
                self.vault.set_sync_state(push.state)
            if not upload.linked:
                self.documents.ensure_linked(push, upload.url)
                push.state = push.state.with_verslag(version.versie, replace(upload, linked=True))
                self.vault.set_sync_state(push.state)

    def _upload_verslag(self, push: DossierPush, versie: int) -> VerslagUpload:
        stored = self.vault.load_version(push.dossier_id, versie)
        pdf = stored.pdf
        assert pdf is not None
        sha = keys.sha256_hex(pdf)
        ident = keys.verslag_identificatie(push.dossier_id, versie)
        doc = self.client.find_document(ident)
        if doc is None:
            try:
                doc = self.client.create_document(
                    identificatie=ident,
                    informatieobjecttype=self.settings.informatieobjecttype_verslag,
                    titel=verslag_titel(stored.dossier_json, versie),
                    bestandsnaam=f"{_file_stem(stored.dossier_json)}-{push.dossier_id.hex[:8]}-v{versie}.pdf",
                    formaat="application/pdf",
                    inhoud=pdf,
                    status="definitief",
                    integriteit=True,
                    ondertekend_op=stored.created.date(),
                )
                self.report.verslagen_uploaded += 1
            except RequestRejected as exc:
                if not exc.has_code("identificatie-niet-uniek"):
                    raise
                doc = self.client.find_document(ident)
                if doc is None:
                    raise ProtocolError("verslag identificatie taken but not found") from exc
        if doc.integriteit_sha256 is not None and doc.integriteit_sha256 != sha:
            # A verslag is never changed: keep theirs, say so in the log (no content).
            log.warning("sync: central verslag %s differs from the stored PDF", versie)
            self.ctx.event("sync_verslag_differs", push.dossier_id, f"versie={versie}")
        return VerslagUpload(doc.url, sha, False)


class VersionsIn(Part):
    """Pull side: the finalised versions a local dossier lacks, fetched once."""

    def __init__(self, ctx: RunContext) -> None:
        super().__init__(ctx)
        self._wanted_cache: dict[str, list[str] | None] | None = None

    def wanted(self, states: dict[UUID, SyncState] | None = None) -> dict[str, list[str] | None]:
        """Dossiers whose local copy lacks finalised versions, with the zaak's links at the
        last attempt (None: not tried yet); read once per run. Made from the vault once,
        for a vault that pulled before versions were pulled."""
        if self._wanted_cache is not None:
            return self._wanted_cache
        wanted = self.vault.get_sync_meta(_VERSIONS_WANTED)
        if wanted is None:
            wanted = {}
            for dossier_id, state in (states if states is not None else self.vault.sync_states()).items():
                if not state.document_url or state.base_json is None:
                    continue
                try:  # what was last pulled or pushed names the versions (no dossier read)
                    synced = keys.parse_remote(state.base_json.encode("utf-8"))
                except (ValueError, UnicodeDecodeError, ValidationError, forms.UnsupportedSchema):
                    continue
                if synced.id == dossier_id and self.missing(synced):
                    wanted[str(dossier_id)] = None
            self.vault.set_sync_meta(_VERSIONS_WANTED, wanted)
        self._wanted_cache = dict(wanted)
        return self._wanted_cache

    def missing(self, dossier: Dossier) -> dict[int, str]:
        """The finalised versions the dossier names (``vorige_versies``, itself when final)
        that the vault does not hold: versie -> content hash."""
        named = {ref.versie: ref.sha256 for ref in dossier.vorige_versies}
        if dossier.definitief is not None:
            named[dossier.versie] = dossier.definitief.sha256
        if not named:
            return {}
        held = {v.versie for v in self.vault.list_versions(dossier.id)}
        return {versie: sha for versie, sha in named.items() if versie not in held}

    def want(self, dossier: Dossier) -> None:
        """Before a central dossier replaces the local copy: remember that its versions are
        to be fetched (so a crash in between cannot forget them)."""
        if not self.missing(dossier):
            return
        wanted = self.wanted()
        if wanted.get(str(dossier.id), "") is not None:
            wanted[str(dossier.id)] = None
            self.vault.set_sync_meta(_VERSIONS_WANTED, wanted)

    def pull(
        self,
        zaak: RemoteZaak,
        state: SyncState | None,
        documents: dict[str, RemoteDocument],
        earlier: Collection[RemoteZaak] = (),
    ) -> None:
        """Fetch the finalised versions a local dossier lacks: its verslagen (``KTV-…``)
        through the zaak's links, the dossier JSON of each from the dossier document's
        history. Tried when first needed, then again only when the zaak's links change
        (a verslag uploaded later is a new link), so an idle run costs nothing here."""
        if state is None:
            return
        key = str(state.dossier_id)
        wanted = self.wanted()
        links_now = sorted(zaak.zaakinformatieobjecten)
        if key not in wanted or wanted[key] == links_now:
            return
        state = self.vault.get_sync_state(state.dossier_id)  # as the pull just left it
        try:
            dossier = self.vault.load(state.dossier_id)
        except VaultError:  # gone or unreadable here: nothing to complete
            wanted.pop(key, None)
            self.vault.set_sync_meta(_VERSIONS_WANTED, wanted)
            return
        missing = self.missing(dossier)
        if missing:
            uploads = self._fetch_versions(zaak, state, dossier, missing, documents, earlier)
            if uploads:
                state = replace(state, verslagen={**state.verslagen, **uploads})
                self.vault.set_sync_state(state)
            missing = self.missing(dossier)
        if missing:
            wanted[key] = links_now  # the rest waits for a new link (e.g. a verslag uploaded later)
        else:
            wanted.pop(key, None)
        self.vault.set_sync_meta(_VERSIONS_WANTED, wanted)

    def _fetch_versions(
        self,
        zaak: RemoteZaak,
        state: SyncState,
        dossier: Dossier,
        missing: dict[int, str],
        documents: dict[str, RemoteDocument],
        earlier: Collection[RemoteZaak] = (),
    ) -> dict[int, VerslagUpload]:
        s = self.settings
        links = self.client.list_zio(zaak.url)
        for previous in earlier:  # verslagen signed before the zaak was closed stay there
            if previous.zaakinformatieobjecten:
                links += self.client.list_zio(previous.url)
        linked = self.client.search_documents(link.informatieobject for link in links)
        verslagen = {
            d.identificatie: d
            for d in linked.values()
            if d.informatieobjecttype == s.informatieobjecttype_verslag and d.formaat == "application/pdf"
        }
        current = documents.get(state.document_url or "") or (
            linked.get(state.document_url) if state.document_url else None
        )
        history = _History(self.client, current, state) if current is not None else None
        uploads: dict[int, VerslagUpload] = {}
        for versie, sha in sorted(missing.items()):
            verslag = verslagen.get(keys.verslag_identificatie(dossier.id, versie))
            if verslag is None:
                continue  # not uploaded (yet)
            pdf = self.client.download(verslag.url)
            pdf_sha = keys.sha256_hex(pdf)
            if verslag.integriteit_sha256 is not None and verslag.integriteit_sha256 != pdf_sha:
                log.warning("sync: central verslag %s does not match its integriteit; not stored", versie)
                self.ctx.event("sync_verslag_differs", dossier.id, f"versie={versie}")
                continue
            text = _final_json(dossier, versie, sha, history)
            source = "dossier" if text is not None else "alleen-pdf"
            if text is None:
                text = keys.pdf_only_json(dossier.id, versie, sha, pdf_sha)
            try:
                self.vault.store_version(dossier.id, versie, sha, text, pdf=pdf)
            except ImmutableVersion:
                continue  # stored meanwhile with other content (finalised here): keep ours
            uploads[versie] = VerslagUpload(verslag.url, pdf_sha, True)
            self.report.versions_pulled += 1
            self.ctx.event("sync_version_pulled", dossier.id, f"versie={versie} bron={source}")
        return uploads


class _History:
    """The dossier document's versions, downloaded on demand (each at most once)."""

    def __init__(self, client: ZGWClient, doc: RemoteDocument, state: SyncState) -> None:
        self._client = client
        self.url = doc.url
        self.latest = doc.versie
        self._dossiers: dict[int, Dossier | None] = {}
        self._known: dict[int, bytes] = {}
        if state.remote_versie == doc.versie and state.base_json is not None:
            self._known[doc.versie] = state.base_json.encode("utf-8")

    def dossier(self, versie: int) -> Dossier | None:
        """The dossier as version ``versie`` of the document holds it (None: unreadable)."""
        if versie not in self._dossiers:
            content = self._known.get(versie)
            if content is None:
                content = self._client.download(self.url, versie)
            try:
                self._dossiers[versie] = keys.parse_remote(content)
            except (ValueError, UnicodeDecodeError, ValidationError, forms.UnsupportedSchema):
                self._dossiers[versie] = None
        return self._dossiers[versie]

def _final_json(dossier: Dossier, versie: int, sha: str, history: _History | None) -> str | None:
    """The dossier JSON of finalised version ``versie`` (content hash ``sha``), as the
    vault that finalised it stored it (``model_dump_json`` of the final dossier), or
    None when the central system does not hold it.

    The dossier itself when it is that version; else the dossier document's history:
    a dossier's ``versie`` only grows from one document version to the next, and a final
    version is frozen until the next one starts, so the *last* document version with
    ``versie`` is the final one if it was ever sent. Binary search: log2(versions)
    downloads. Whatever is found must verify (``forms.verify``, same hash).
    """

    def final(candidate: Dossier | None) -> bool:
        return (
            candidate is not None
            and candidate.versie == versie
            and candidate.definitief is not None
            and candidate.definitief.sha256 == sha
            and forms.verify(candidate)
        )

    if final(dossier):
        return dossier.model_dump_json()
    if history is None:
        return None
    low, high, best = 1, history.latest, None
    while low <= high:
        middle = (low + high) // 2
        probe = history.dossier(middle)
        if probe is None:
            return None  # not a readable dossier: the order cannot be relied on
        if probe.versie <= versie:
            best, low = probe, middle + 1
        else:
            high = middle - 1
    return best.model_dump_json() if best is not None and final(best) else None

def predecessors(zaak: RemoteZaak, listed: dict[str, RemoteZaak]) -> list[RemoteZaak]:
    """The zaken this one follows, transitively (``relevanteAndereZaken``), among ours."""
    out: list[RemoteZaak] = []
    seen = {zaak.url}
    todo = list(zaak.relevante_andere_zaken)
    while todo and len(out) < 50:
        url = todo.pop(0)
        if url in seen or url not in listed:
            continue
        seen.add(url)
        out.append(listed[url])
        todo.extend(listed[url].relevante_andere_zaken)
    return out
