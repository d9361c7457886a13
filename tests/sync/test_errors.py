"""The sync's exception tree: every httpx exception and status code maps, in one place."""

from __future__ import annotations

import ssl

import httpx
import pytest

import sync
import sync.cleanup as sync_cleanup
import sync.client as sync_client
import sync.conflicts as sync_conflicts
import sync.context as sync_context
import sync.documents as sync_documents
import sync.engine as sync_engine
import sync.errors as sync_errors
import sync.keys as sync_keys
import sync.local as sync_local
import sync.pull as sync_pull
import sync.push as sync_push
import sync.report as sync_report
import sync.settings as sync_settings
import sync.status as sync_status
import sync.versions as sync_versions
from sync.errors import (
    AuthRejected,
    Conflict,
    HeadersRejected,
    NotFound,
    NotPermitted,
    ProtocolError,
    Rejected,
    RequestRejected,
    SettingsError,
    SyncError,
    Unavailable,
    error_for_response,
    translate_errors,
)

#: Every exception class httpx defines under HTTPError, and what it must become.
EXPECTED: dict[type[Exception], type[SyncError]] = {
    httpx.HTTPError: ProtocolError,
    httpx.RequestError: ProtocolError,
    httpx.TransportError: Unavailable,
    httpx.TimeoutException: Unavailable,
    httpx.ConnectTimeout: Unavailable,
    httpx.ReadTimeout: Unavailable,
    httpx.WriteTimeout: Unavailable,
    httpx.PoolTimeout: Unavailable,
    httpx.NetworkError: Unavailable,
    httpx.ReadError: Unavailable,
    httpx.WriteError: Unavailable,
    httpx.ConnectError: Unavailable,
    httpx.CloseError: Unavailable,
    httpx.ProxyError: Unavailable,
    httpx.UnsupportedProtocol: SettingsError,
    httpx.ProtocolError: Unavailable,  # the base of Local/Remote: treated as passing
    httpx.LocalProtocolError: ProtocolError,
    httpx.RemoteProtocolError: Unavailable,  # e.g. the connection dropped mid-response
    httpx.DecodingError: ProtocolError,
    httpx.TooManyRedirects: ProtocolError,
    httpx.HTTPStatusError: Unavailable,  # built below with a 503 response
}


def _all_subclasses(cls: type) -> set[type]:
    found = {cls}
    for sub in cls.__subclasses__():
        found |= _all_subclasses(sub)
    return found


def _instance(cls: type[Exception]) -> Exception:
    request = httpx.Request("GET", "https://zaken.example.nl/zaken/api/v1/zaken")
    if cls is httpx.HTTPStatusError:
        response = httpx.Response(503, request=request)
        return cls("503", request=request, response=response)
    if issubclass(cls, httpx.RequestError):
        return cls("boom", request=request)
    return cls("boom")


def test_every_httpx_exception_is_mapped() -> None:
    httpx_classes = {c for c in _all_subclasses(httpx.HTTPError) if c.__module__.startswith("httpx")}
    # A new httpx exception class fails here until it is given a deliberate mapping.
    assert httpx_classes == set(EXPECTED), sorted(c.__name__ for c in httpx_classes ^ set(EXPECTED))
    for cls, expected in EXPECTED.items():
        original = _instance(cls)
        with pytest.raises(SyncError) as info, translate_errors("test operation"):
            raise original
        assert type(info.value) is expected, (cls.__name__, type(info.value).__name__)
        assert info.value.__cause__ is original  # chained, never swallowed
        assert info.value.melding and "test operation" in str(info.value)


def test_other_httpx_misuse_errors_are_not_sync_errors() -> None:
    # StreamError and friends are programming errors (RuntimeError): they must surface.
    with pytest.raises(httpx.StreamConsumed), translate_errors("test"):
        raise httpx.StreamConsumed()


def test_invalid_url_is_a_settings_problem() -> None:
    with pytest.raises(SettingsError) as info, translate_errors("test"):
        raise httpx.InvalidURL("bad")
    assert "instellingen" in info.value.melding


def test_certificate_failure_points_at_the_settings() -> None:
    request = httpx.Request("GET", "https://zaken.example.nl/")
    cause = ssl.SSLCertVerificationError("certificate verify failed")
    exc = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]", request=request)
    exc.__cause__ = cause
    with pytest.raises(AuthRejected) as info, translate_errors("test"):
        raise exc
    assert "certificaat" in info.value.melding and "instellingen" in info.value.melding


def _status(status: int, body: object = None, headers: dict[str, str] | None = None) -> SyncError:
    request = httpx.Request("POST", "https://zaken.example.nl/zaken/api/v1/zaken")
    response = httpx.Response(status, json=body, headers=headers, request=request)
    with pytest.raises(SyncError) as info, translate_errors("create zaak"):
        response.raise_for_status()
    return info.value


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, RequestRejected),
        (401, AuthRejected),
        (403, NotPermitted),
        (404, NotFound),
        (405, RequestRejected),
        (406, HeadersRejected),
        (408, Unavailable),
        (409, Conflict),
        (410, NotFound),
        (412, HeadersRejected),
        (413, RequestRejected),
        (415, RequestRejected),
        (422, RequestRejected),
        (429, Unavailable),
        (500, Unavailable),
        (501, Unavailable),
        (502, Unavailable),
        (503, Unavailable),
        (504, Unavailable),
        (301, ProtocolError),
        (302, ProtocolError),
    ],
)
def test_status_codes(status: int, kind: type[SyncError]) -> None:
    error = _status(status)
    assert type(error) is kind
    assert error.status == status
    assert str(error).startswith("create zaak: HTTP")


def test_auth_meldingen_point_at_the_settings() -> None:
    for code in ("jwt-expired", "invalid-jwt-signature", "invalid-client-identifier"):
        error = _status(403, {"code": code, "title": "x", "status": 403, "detail": "x", "instance": "x", "type": "x"})
        assert isinstance(error, AuthRejected) and error.code == code
        assert "instellingen" in error.melding, code


def test_a_missing_scope_names_the_scope_not_the_client_id() -> None:
    """Open Zaak 1.30.0: a second status with only zaken.aanmaken; the detail names scopes."""
    body = {
        "type": "https://oz.example/ref/fouten/PermissionDenied/",
        "code": "permission_denied",
        "title": "U heeft geen toestemming om deze actie uit te voeren.",
        "status": 403,
        "detail": "Met de 'zaken.aanmaken' scope mag je slechts 1 status zetten",
        "instance": "urn:uuid:1",
    }
    request = httpx.Request("POST", "https://oz.example/zaken/api/v1/statussen")
    error = error_for_response(httpx.Response(403, json=body, request=request), "create status")
    assert isinstance(error, NotPermitted) and not isinstance(error, AuthRejected)
    assert "zaken.statussen.toevoegen" in error.melding or "zaken.aanmaken" in error.melding
    assert "client-id" not in error.melding and "geheim" not in error.melding
    # no scope in the detail: the scope the operation needs, from the spec
    plain = {**body, "detail": "U heeft geen toestemming om deze actie uit te voeren."}
    error = error_for_response(httpx.Response(403, json=plain, request=request), "create status")
    assert "‘zaken.statussen.toevoegen’" in error.melding
    closed = {**body, "type": "https://oz.example/ref/fouten/ZaakClosed/", "detail": "Je mag geen gegevens aanpassen van een gesloten zaak."}
    error = error_for_response(httpx.Response(403, json=closed, request=request), "link document")
    assert isinstance(error, NotPermitted) and error.zaak_closed and "afgesloten" in error.melding


def test_validation_error_names_fields_but_never_quotes_input() -> None:
    body = {
        "code": "invalid",
        "invalidParams": [
            {"name": "bronorganisatie", "code": "invalid", "reason": "Jansen, Pieter 123456782 is onjuist"},
            {"name": "nonFieldErrors", "code": "unique", "reason": "..."},
        ],
    }
    error = _status(400, body)
    assert isinstance(error, RequestRejected)
    assert error.invalid_params == (("bronorganisatie", "invalid"), ("nonFieldErrors", "unique"))
    assert error.has_code("unique") and error.has_code("invalid") and not error.has_code("x")
    assert "bronorganisatie" in error.melding
    assert "Jansen" not in error.melding and "Jansen" not in str(error)


def test_429_carries_retry_after() -> None:
    error = _status(429, headers={"Retry-After": "7"})
    assert isinstance(error, Unavailable) and error.retry_after == 7.0


def test_tree_shape_and_public_surface() -> None:
    for cls in (AuthRejected, HeadersRejected, RequestRejected, NotFound, SettingsError):
        assert issubclass(cls, Rejected)
    for cls in (Unavailable, Rejected, ProtocolError, Conflict):
        assert issubclass(cls, SyncError)
        assert cls.melding and cls.melding != SyncError.melding
    for name in sync.__all__:
        assert hasattr(sync, name), name
    for module in (
        sync_client, sync_engine, sync_errors, sync_settings, sync_keys, sync_conflicts,
        sync_cleanup, sync_context, sync_documents, sync_local, sync_pull, sync_push, sync_report,
        sync_status, sync_versions,
    ):
        assert module.__doc__, module.__name__
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)
