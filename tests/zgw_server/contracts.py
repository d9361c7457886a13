"""Contract validation of ZGW traffic against the official OpenAPI files.

The three specs in ``tests/contracts`` (copied byte for byte from Open Zaak
1.30.0) are parsed once per process (:func:`load_contracts` is cached) and
turned into ``openapi_core.OpenAPI`` objects. Every request that reaches the
test server and every response it produces is checked with them.

The files on disk are never changed. A few *in-memory* adjustments are made
after parsing, each of them documented in ``tests/contracts/README.md`` or in
the OpenAPI standard itself:

1. ``zaak`` query filter typed ``integer``. Open Zaak's spec types the
   ``zaak`` filter of ``/rollen``, ``/statussen`` and
   ``/zaakinformatieobjecten`` as an integer (a schema-generation quirk); the
   real server and the VNG standard take the zaak **URL**. The parameter's
   schema is replaced by ``{type: string, format: uri}``.
2. Header parameters named ``Content-Type``, ``Accept`` or ``Authorization``
   are dropped. OpenAPI 3.0.3 (section "Parameter Object", field ``name``)
   says such parameter definitions "SHALL be ignored"; the content type is
   still checked against the request body's media types, and authorization is
   the server's own business (it answers 403 like Open Zaak).
3. Two ``$ref`` values point to the VNG catalogi-api 1.2.0 file on GitHub
   (used only in the ``_expand`` part of zaak/document responses). They are
   pointed at the local ``catalogi-openapi.yaml`` instead, as there is no
   network in the test environment.
4. ``nullable: true`` next to ``allOf``/``oneOf`` without a ``type`` (how
   drf-spectacular writes optional nested objects such as ``zaakgeometrie``,
   ``verlenging``, ``processobject``, ``ondertekening``, ``contactpersoonRol``)
   is read as "null is allowed". That is what Open Zaak means, accepts and
   returns; a strict OAS 3.0.3 reading ("nullable only adds null to an
   explicit ``type``") would make the real server's own responses invalid.
   Such a schema becomes ``anyOf: [<the original without nullable>, {enum: [null]}]``.

Formats: ``uri`` is checked (absolute URL with scheme and host; the empty
string is accepted because Open Zaak uses ``""`` for "no URL" on optional URL
fields). ``application/problem+json`` bodies are parsed as JSON.

Security requirements (``JWT-Claims``) are not judged by the contract layer:
the server checks tokens itself, exactly like Open Zaak (403 problems). To
keep the rest of a token-less request validated, a placeholder bearer header
is given to the validator when the client sent none.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft4Validator
from openapi_core import Config, OpenAPI
from openapi_core.casting.schemas.exceptions import CastError
from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.exceptions import DeserializeError
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.request.exceptions import (
    MissingRequestBody,
    MissingRequiredParameter,
    MissingRequiredRequestBody,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from werkzeug.datastructures import Headers, ImmutableMultiDict

try:  # the C loader parses the 800 KB zaken spec ~5x faster
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _YamlLoader

CONTRACTS_DIR = Path(__file__).resolve().parent.parent / "contracts"

#: API name -> (spec file, URL root on the server)
APIS: dict[str, tuple[str, str]] = {
    "zaken": ("zaken-openapi.yaml", "/zaken/api/v1"),
    "documenten": ("documenten-openapi.yaml", "/documenten/api/v1"),
    "catalogi": ("catalogi-openapi.yaml", "/catalogi/api/v1"),
}

_REMOTE_CATALOGI_REF = "https://raw.githubusercontent.com/vng-Realisatie/catalogi-api/"
_IGNORED_HEADER_PARAMS = {"content-type", "accept", "authorization"}
_PLACEHOLDER_AUTH = "Bearer contract-validation-placeholder"


@dataclass(frozen=True)
class InvalidParam:
    """One entry of a ZGW ``invalidParams`` list."""

    name: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code, "reason": self.reason}


@dataclass
class RequestCheck:
    """Outcome of validating one request against its spec."""

    api: str | None
    #: HTTP status the server should answer with when the request is invalid
    #: (400, 404, 405 or 415); ``None`` when the request is valid.
    status: int | None = None
    code: str = "invalid"
    detail: str = ""
    params: list[InvalidParam] = field(default_factory=list)
    #: Human-readable messages, for ``server.contract_violations``.
    messages: list[str] = field(default_factory=list)
    #: Query parameter names the operation declares (None: unknown operation).
    declared_query: frozenset[str] | None = None

    @property
    def ok(self) -> bool:
        return self.status is None


@dataclass
class _Request:
    """An ``openapi_core`` request built from the raw HTTP request."""

    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters


@dataclass
class _Response:
    """An ``openapi_core`` response built from what the server sends."""

    status_code: int
    content_type: str
    headers: Headers
    data: bytes | None


class Contracts:
    """The three parsed specs plus helpers to validate traffic against them."""

    def __init__(self, directory: Path = CONTRACTS_DIR) -> None:
        self.directory = directory
        self.specs: dict[str, dict[str, Any]] = {}
        self.openapi: dict[str, OpenAPI] = {}
        for api, (filename, _root) in APIS.items():
            with open(directory / filename, "rb") as fh:
                spec = yaml.load(fh, Loader=_YamlLoader)
            _adjust_spec(spec, directory)
            self.specs[api] = spec
            # The upstream files are trusted; a full meta-validation of the
            # three specs would add ~1.5 s per process for no benefit.
            self.openapi[api] = OpenAPI.from_dict(
                spec,
                base_uri=(directory / filename).as_uri(),
                config=Config(
                    spec_validator_cls=None,
                    extra_format_validators={"uri": _is_uri},
                    extra_media_type_deserializers={"application/problem+json": _json_bytes},
                ),
            )
        self._declared_query_cache: dict[tuple[str, str, str], frozenset[str]] = {}

    # -- helpers -------------------------------------------------------------

    @staticmethod
    def api_for_path(path: str) -> tuple[str, str] | None:
        """Return ``(api, path below the API root)`` for a server path."""
        for api, (_filename, root) in APIS.items():
            if path == root or path.startswith(root + "/"):
                return api, path[len(root):] or "/"
        return None

    def declared_query_params(self, api: str, template: str, method: str) -> frozenset[str]:
        """Names of the query parameters an operation declares."""
        key = (api, template, method)
        cached = self._declared_query_cache.get(key)
        if cached is not None:
            return cached
        path_item = self.specs[api]["paths"].get(template, {})
        operation = path_item.get(method, {})
        names = {
            p["name"]
            for p in [*path_item.get("parameters", []), *operation.get("parameters", [])]
            if p.get("in") == "query"
        }
        result = frozenset(names)
        self._declared_query_cache[key] = result
        return result

    def operation_template(self, api: str, subpath: str) -> str | None:
        """The spec path template (``/zaken/{uuid}``) that matches ``subpath``."""
        parts = subpath.strip("/").split("/")
        best: str | None = None
        for template in self.specs[api]["paths"]:
            tparts = template.strip("/").split("/")
            if len(tparts) != len(parts):
                continue
            if all(t == p or (t.startswith("{") and t.endswith("}")) for t, p in zip(tparts, parts, strict=True)):
                # Prefer literal segments (``/zaken/_zoek`` over ``/zaken/{uuid}``).
                if best is None or best.count("{") > template.count("{"):
                    best = template
        return best

    # -- requests -------------------------------------------------------------

    def check_request(
        self,
        *,
        host_url: str,
        method: str,
        path: str,
        query: Mapping[str, list[str]],
        headers: Mapping[str, str],
        body: bytes | None,
    ) -> RequestCheck:
        """Validate a request; returns what is wrong with it (if anything)."""
        found = self.api_for_path(path)
        if found is None:
            return RequestCheck(
                api=None,
                status=404,
                code="not_found",
                detail="Niet gevonden.",
                messages=[f"{method} {path}: path is not part of any ZGW API"],
            )
        api, subpath = found
        template = self.operation_template(api, subpath)
        hdrs = Headers(list(headers.items()))
        if not hdrs.get("Authorization"):
            hdrs["Authorization"] = _PLACEHOLDER_AUTH
        content_type = hdrs.get("Content-Type", "")
        request = _Request(
            host_url=host_url,
            path=path,
            method=method.lower(),
            body=body if body else None,
            content_type=content_type.lower(),
            parameters=RequestParameters(
                query=ImmutableMultiDict([(k, v) for k, vs in query.items() for v in vs]),
                header=hdrs,
            ),
        )
        # iter_*_errors validates without unmarshalling: ~20x faster on big lists.
        errors = list(self.openapi[api].iter_request_errors(request))
        check = RequestCheck(api=api)
        if template is not None:
            check.declared_query = self.declared_query_params(api, template, method.lower())
        for error in errors:
            self._classify_request_error(error, method, path, check)
        # Open Zaak rejects query parameters the operation does not know.
        if check.declared_query is not None and check.status in (None, 400):
            unknown = sorted(set(query) - check.declared_query)
            if unknown:
                _escalate(check, 400)
                check.params.append(
                    InvalidParam(
                        "nonFieldErrors",
                        "unknown-parameters",
                        "Onbekende query parameters: " + ", ".join(unknown),
                    )
                )
                check.messages.append(f"{method} {path}: unknown query parameters {unknown}")
        return check

    def _classify_request_error(
        self, error: Exception, method: str, path: str, check: RequestCheck
    ) -> None:
        where = f"{method} {path}"
        if isinstance(error, SecurityValidationError):
            return  # the server checks tokens itself (see module docstring)
        if isinstance(error, OperationNotFound):
            _escalate(check, 405)
            check.code = "method_not_allowed"
            check.detail = f'Methode "{method}" niet toegestaan.'
            check.messages.append(f"{where}: method not in the spec")
            return
        if isinstance(error, PathNotFound):
            _escalate(check, 404)
            check.code = "not_found"
            check.detail = "Niet gevonden."
            check.messages.append(f"{where}: path not in the spec")
            return
        cause = error.__cause__
        if isinstance(cause, MediaTypeNotFound) or isinstance(error, MediaTypeNotFound):
            _escalate(check, 415)
            check.code = "unsupported_media_type"
            check.detail = "Ongeldige media type in verzoek."
            check.messages.append(f"{where}: unsupported request media type")
            return
        if isinstance(error, ParameterValidationError) and error.location == "path":
            # Django answers a malformed path (e.g. a bad UUID) with 404.
            _escalate(check, 404)
            check.code = "not_found"
            check.detail = "Niet gevonden."
            check.messages.append(f"{where}: invalid path parameter {error.name}")
            return
        _escalate(check, 400)
        if isinstance(error, MissingRequiredParameter):
            check.params.append(InvalidParam(error.name, "required", "Dit veld is vereist."))
            check.messages.append(f"{where}: missing required {error.location} parameter {error.name}")
        elif isinstance(error, ParameterValidationError):
            if isinstance(cause, InvalidSchemaValue):
                for se in cause.schema_errors:
                    check.params.append(_schema_error_param(se, prefix=error.name))
            else:
                check.params.append(InvalidParam(error.name, "invalid", "Ongeldige waarde."))
            check.messages.append(f"{where}: invalid {error.location} parameter {error.name}: {cause or error}")
        elif isinstance(error, (MissingRequestBody, MissingRequiredRequestBody)):
            check.params.append(InvalidParam("nonFieldErrors", "required", "Verzoek zonder inhoud."))
            check.messages.append(f"{where}: missing request body")
        elif isinstance(error, RequestBodyValidationError):
            if isinstance(cause, InvalidSchemaValue):
                for se in cause.schema_errors:
                    check.params.append(_schema_error_param(se))
                detail = "; ".join(_describe_schema_error(se) for se in cause.schema_errors)
                check.messages.append(f"{where}: request body violates schema: {detail}")
            elif isinstance(cause, (DeserializeError, CastError)):
                check.code = "parse_error"
                check.detail = "JSON parse error."
                check.messages.append(f"{where}: request body cannot be parsed: {cause}")
            else:
                check.params.append(InvalidParam("nonFieldErrors", "invalid", str(error)))
                check.messages.append(f"{where}: {error!r} {cause!r}")
        else:
            check.params.append(InvalidParam("nonFieldErrors", "invalid", str(error)))
            check.messages.append(f"{where}: {error!r} caused by {cause!r}")

    # -- responses -----------------------------------------------------------

    def check_response(
        self,
        *,
        host_url: str,
        method: str,
        path: str,
        query: Mapping[str, list[str]],
        request_headers: Mapping[str, str],
        request_body: bytes | None,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
    ) -> list[str]:
        """Validate a response the server produced; returns violation messages.

        A status code that the spec does not list for the operation (Open
        Zaak's spec omits e.g. 404 on ``/download``) is tolerated when it is an
        error status, but then the body must still be a ZGW ``Fout`` object.
        """
        found = self.api_for_path(path)
        if found is None:
            return []
        api, _subpath = found
        req_headers = Headers(list(request_headers.items()))
        if not req_headers.get("Authorization"):
            req_headers["Authorization"] = _PLACEHOLDER_AUTH
        request = _Request(
            host_url=host_url,
            path=path,
            method=method.lower(),
            body=request_body if request_body else None,
            content_type=req_headers.get("Content-Type", "").lower(),
            parameters=RequestParameters(
                query=ImmutableMultiDict([(k, v) for k, vs in query.items() for v in vs]),
                header=req_headers,
            ),
        )
        resp_headers = Headers(list(headers.items()))
        response = _Response(
            status_code=status,
            content_type=resp_headers.get("Content-Type", "").lower(),
            headers=resp_headers,
            data=body if body else None,
        )
        messages: list[str] = []
        for error in self.openapi[api].iter_response_errors(request, response):
            if isinstance(error, ResponseNotFound) and status >= 400:
                messages.extend(self._check_problem(api, method, path, status, response))
                continue
            cause = error.__cause__
            if isinstance(cause, InvalidSchemaValue):
                detail = "; ".join(_describe_schema_error(se) for se in cause.schema_errors)
                messages.append(f"{method} {path} -> {status}: response violates schema: {detail}")
            else:
                messages.append(f"{method} {path} -> {status}: {error!r} caused by {cause!r}")
        return messages

    def _check_problem(
        self, api: str, method: str, path: str, status: int, response: _Response
    ) -> list[str]:
        where = f"{method} {path} -> {status}"
        if response.content_type.split(";")[0].strip() != "application/problem+json":
            return [f"{where}: undocumented status without a problem+json body"]
        schema = self.specs[api]["components"]["schemas"]["Fout"]
        try:
            data = json.loads(response.data or b"")
        except ValueError:
            return [f"{where}: problem body is not JSON"]
        errors = [e.message for e in Draft4Validator(schema).iter_errors(data)]
        return [f"{where}: problem body violates Fout: {e}" for e in errors]


_STATUS_PRIORITY = {400: 1, 415: 2, 404: 3, 405: 4}


def _escalate(check: RequestCheck, status: int) -> None:
    """Keep the most fundamental failure: 405 > 404 > 415 > 400."""
    if check.status is None or _STATUS_PRIORITY[status] > _STATUS_PRIORITY[check.status]:
        check.status = status


# -- schema error translation ---------------------------------------------------

_DATE_REASON = "Datum heeft het verkeerde formaat, gebruik 1 van deze formaten: YYYY-MM-DD."
_DATETIME_REASON = (
    "Datetime heeft een ongeldig formaat, gebruik 1 van de volgende formaten: "
    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
)


def _field_name(path: Iterable[Any], prefix: str | None = None) -> str:
    parts = [str(p) for p in path]
    if prefix:
        parts.insert(0, prefix)
    return ".".join(parts) if parts else "nonFieldErrors"


def _schema_error_param(se: Any, prefix: str | None = None) -> InvalidParam:
    """Translate a jsonschema error into a DRF-style (Dutch) invalidParam."""
    validator = se.validator
    path = list(se.absolute_path)
    if validator == "required":
        missing = [p for p in se.validator_value if isinstance(se.instance, dict) and p not in se.instance]
        name = _field_name([*path, missing[0]] if missing else path, prefix)
        return InvalidParam(name, "required", "Dit veld is vereist.")
    name = _field_name(path, prefix)
    if validator == "maxLength":
        return InvalidParam(
            name, "max_length", f"Zorg ervoor dat dit veld niet meer dan {se.validator_value} karakters bevat."
        )
    if validator == "minLength":
        if se.instance == "":
            return InvalidParam(name, "blank", "Dit veld mag niet leeg zijn.")
        return InvalidParam(
            name, "min_length", f"Zorg ervoor dat dit veld minimaal {se.validator_value} karakters bevat."
        )
    if validator == "enum":
        return InvalidParam(name, "invalid_choice", f'"{se.instance}" is een ongeldige keuze.')
    if validator == "format":
        fmt = se.validator_value
        if fmt == "date":
            return InvalidParam(name, "invalid", _DATE_REASON)
        if fmt == "date-time":
            return InvalidParam(name, "invalid", _DATETIME_REASON)
        if fmt == "uri":
            return InvalidParam(name, "invalid", "Voer een geldige URL in.")
        if fmt == "uuid":
            return InvalidParam(name, "invalid", "Vul een geldige UUID in.")
        if fmt == "byte":
            return InvalidParam(name, "invalid", "Het verstuurde bestand is geen geldige base64-inhoud.")
        return InvalidParam(name, "invalid", f"Ongeldig formaat ({fmt}).")
    if validator == "type":
        if se.instance is None:
            return InvalidParam(name, "null", "Dit veld mag niet leeg zijn.")
        return InvalidParam(name, "invalid", f"Ongeldig type: {se.validator_value} verwacht.")
    if validator == "minimum":
        return InvalidParam(name, "min_value", f"Zorg ervoor dat deze waarde groter of gelijk is aan {se.validator_value}.")
    if validator == "maximum":
        return InvalidParam(name, "max_value", f"Zorg ervoor dat deze waarde kleiner of gelijk is aan {se.validator_value}.")
    return InvalidParam(name, "invalid", f"Ongeldige waarde ({validator}).")


def _describe_schema_error(se: Any) -> str:
    where = "/".join(str(p) for p in se.absolute_path) or "<root>"
    return f"{where}: {se.message[:200]}"


# -- spec adjustments ----------------------------------------------------------


def _is_uri(value: object) -> bool:
    """The ``uri`` format: an absolute URL, or ``""`` (no URL)."""
    if not isinstance(value, str):
        return True
    if value == "":
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and not any(c.isspace() for c in value)


def _json_bytes(data: bytes | str) -> Any:
    return json.loads(data)


def _adjust_spec(spec: dict[str, Any], directory: Path) -> None:
    """Apply the in-memory adjustments documented in the module docstring."""
    local_catalogi = (directory / APIS["catalogi"][0]).as_uri()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REMOTE_CATALOGI_REF):
                node["$ref"] = local_catalogi + "#" + ref.split("#", 1)[1]
            if node.get("nullable") is True and "type" not in node:
                combinator = next((k for k in ("allOf", "oneOf", "anyOf") if k in node), None)
                if combinator is not None:
                    original = {combinator: node.pop(combinator)}
                    del node["nullable"]
                    node["anyOf"] = [original, {"enum": [None]}]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)

    for path_item in spec.get("paths", {}).values():
        for key, operation in list(path_item.items()):
            if key == "parameters":
                params = operation
            elif isinstance(operation, dict) and "parameters" in operation:
                params = operation["parameters"]
            else:
                continue
            kept = []
            for param in params:
                if param.get("in") == "header" and param.get("name", "").lower() in _IGNORED_HEADER_PARAMS:
                    continue
                if (
                    param.get("in") == "query"
                    and param.get("name") == "zaak"
                    and param.get("schema", {}).get("type") == "integer"
                ):
                    param = copy.deepcopy(param)
                    param["schema"] = {"type": "string", "format": "uri"}
                kept.append(param)
            params[:] = kept


_lock = threading.Lock()
_cached: Contracts | None = None


def load_contracts() -> Contracts:
    """The process-wide :class:`Contracts` (parsed on first use, ~0.5 s)."""
    global _cached
    with _lock:
        if _cached is None:
            _cached = Contracts()
        return _cached
