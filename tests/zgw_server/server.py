"""The ZGW test server: real HTTP on 127.0.0.1, state in SQLite, faults on demand.

Typical use in a test::

    with ZGWServer() as server:
        token = server.make_token()               # or let the client mint one
        r = httpx.post(f"{server.base_url}/zaken/api/v1/zaken", ...)
        assert server.contract_violations == []

Request pipeline (mirrors the order in which Open Zaak answers):

1. fault injection (see :mod:`.faults`) may drop, stall or replace the answer;
2. contract validation of the request against ``tests/contracts`` (violations
   are always recorded in :attr:`ZGWServer.contract_violations`);
3. unknown path -> 404, unknown method -> 405;
4. JWT check -> 403 (``permission_denied``, ``jwt-expired``, ...), then the client's
   scopes against the operation's ``security`` requirement -> 403 (:mod:`.scopes`);
5. CRS headers on ``/zaken``, ``/zaken/{uuid}``, ``/zaken/_zoek`` -> 412/406;
6. a contract-invalid request -> 400 (or 415) with ``invalidParams``;
7. the handler (one SQLite transaction under the store lock);
8. contract validation of the response the server produced.
"""

from __future__ import annotations

import base64
import http.server
import json
import re
import shutil
import socket
import tempfile
import threading
import time
import traceback
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

import jwt

from .api import ApiRequest, ApiResponse, NotImplementedByTestServer, ZGWApi
from .auth import check_bearer_token
from .catalog import Catalog, CatalogURLs
from .contracts import Contracts, load_contracts
from .faults import Fault, FaultInjector, FaultKind
from .problems import ApiError, problem_body
from .scopes import DOCUMENTED_SCOPES, FORCE_UNLOCK, allowed, requirement
from .store import Store

PROBLEM_JSON = "application/problem+json"
_CRS = "EPSG:4326"
_CRS_PATHS = re.compile(
    r"/zaken(/_zoek|/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?/?"
)


@dataclass
class ServerConfig:
    """Settings of a :class:`ZGWServer` (all have test-friendly defaults)."""

    #: client_id -> HS256 secret, like Open Zaak's "Applicaties".
    clients: dict[str, str] = field(default_factory=lambda: {"keukentafel": "keukentafel-test-secret-0123456789abcdef"})
    #: A token counts as expired when ``now - iat >= jwt_expiry_seconds``.
    jwt_expiry_seconds: float = 3600.0
    #: client_id -> its scopes, like an Applicatie's autorisaties (Open Zaak checks
    #: them per operation, see :mod:`.scopes`). A client not listed, or listed with
    #: None, has ``heeftAlleAutorisaties``. The sync's client gets exactly the scopes
    #: ``sync/README.md`` documents.
    scopes: dict[str, frozenset[str] | None] = field(default_factory=lambda: {"keukentafel": DOCUMENTED_SCOPES})
    #: Adds the ``documenten.geforceerd-unlock`` scope to every client: unlock with a
    #: wrong (or no) lock succeeds.
    force_unlock: bool = False
    #: SQLite file; default: a fresh file in a temporary directory.
    db_path: Path | str | None = None
    host: str = "127.0.0.1"
    #: 0 = a free port chosen by the OS (kept across stop()/start()).
    port: int = 0
    #: Default page size of paged lists (Open Zaak: 100).
    page_size: int = 100
    validate_requests: bool = True
    validate_responses: bool = True
    #: Upper bound for any stall, so tests cannot hang.
    max_stall_seconds: float = 30.0
    #: Artificial latency added to every request (for realistic benches).
    latency_seconds: float = 0.0


@dataclass
class RequestRecord:
    """One entry of :attr:`ZGWServer.request_log`."""

    method: str
    path: str
    query: str
    #: Status the server produced; None when no answer was produced at all
    #: (connection dropped before processing).
    status: int | None
    #: False when the answer never (completely) reached the client.
    answered: bool
    fault: str | None
    duration: float


@dataclass(frozen=True)
class ContractViolation:
    """A request or response that does not conform to the OpenAPI contract."""

    direction: Literal["request", "response"]
    method: str
    path: str
    status: int | None
    message: str

    def __str__(self) -> str:
        return f"[{self.direction}] {self.message}"


class _Handler(http.server.BaseHTTPRequestHandler):
    """Raw HTTP/1.1 handling; all logic lives in :class:`ZGWServer`."""

    protocol_version = "HTTP/1.1"
    server_version = "ZGWTestServer/1.0"
    timeout = 60  # idle keep-alive connections end after this
    zgw: ZGWServer

    def setup(self) -> None:
        super().setup()
        self.zgw._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.zgw._track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def _dispatch(self) -> None:
        self.zgw._serve(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    zgw: ZGWServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Record unexpected errors instead of printing them (ignored while stopping)."""
        if not self.zgw._stop_event.is_set():
            with self.zgw._log_lock:
                self.zgw.server_errors.append(f"HTTP layer: {traceback.format_exc()}")


class ZGWServer:
    """A ZGW (Zaken/Documenten/Catalogi) API server for tests and benchmarks.

    Public attributes:

    * :attr:`config` -- the :class:`ServerConfig` (``clients`` may be edited live);
    * :attr:`faults` -- the :class:`~.faults.FaultInjector`;
    * :attr:`request_log` -- :class:`RequestRecord` per request, in order;
    * :attr:`contract_violations` -- :class:`ContractViolation` entries;
    * :attr:`server_errors` -- unexpected exceptions and requests for features
      the test server does not implement (answered 500/501).
    """

    def __init__(self, config: ServerConfig | None = None, **overrides: Any) -> None:
        self.config = replace(config or ServerConfig(), **overrides)
        self.faults = FaultInjector()
        self.request_log: list[RequestRecord] = []
        self.contract_violations: list[ContractViolation] = []
        self.server_errors: list[str] = []
        self.clock_offset = 0.0
        self._log_lock = threading.Lock()
        self._stop_event = threading.Event()
        self._connections: set[socket.socket] = set()
        self._serving = 0  # requests being handled now (a stalled one the client gave up on too)
        self._quiet = threading.Condition(threading.Lock())
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._store: Store | None = None
        self._api: ZGWApi | None = None
        self._catalog: Catalog | None = None
        self._contracts: Contracts | None = None
        self._port = self.config.port
        self._tmpdir: str | None = None
        self._finalizer: weakref.finalize[[str, bool], ZGWServer] | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> ZGWServer:
        """Bind, open the database and serve in a background thread."""
        if self._httpd is not None:
            raise RuntimeError("server already running")
        self._contracts = load_contracts()
        handler = type("ZGWHandler", (_Handler,), {"zgw": self})
        self._httpd = _HTTPServer((self.config.host, self._port), handler)
        self._httpd.zgw = self
        self._port = self._httpd.server_address[1]
        self._stop_event.clear()
        self._store = Store(self._db_path())
        self._catalog = Catalog(self.base_url)
        self._api = ZGWApi(
            self._store,
            self._catalog,
            self.base_url,
            self.now,
            page_size=self.config.page_size,
            force_unlock=self.config.force_unlock,
        )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="zgw-test-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; open connections are closed, the database is kept."""
        httpd = self._httpd
        if httpd is None:
            return
        self._stop_event.set()
        httpd.shutdown()
        with self._log_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._store is not None:
            self._store.close()
        self._httpd = self._thread = self._store = None

    def restart(self) -> None:
        """Stop and start again on the same port with the same database."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop and delete the temporary database directory (if one was made)."""
        self.stop()
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self) -> ZGWServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _db_path(self) -> Path:
        if self.config.db_path is not None:
            return Path(self.config.db_path)
        if self._tmpdir is None:
            self._tmpdir = tempfile.mkdtemp(prefix="zgw-test-server-")
            self._finalizer = weakref.finalize(self, shutil.rmtree, self._tmpdir, True)
        return Path(self._tmpdir) / "zgw.sqlite3"

    # -- public helpers ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        if not self._port:
            raise RuntimeError("server not started")
        return f"http://{self.config.host}:{self._port}"

    @property
    def zaken_url(self) -> str:
        return f"{self.base_url}/zaken/api/v1"

    @property
    def documenten_url(self) -> str:
        return f"{self.base_url}/documenten/api/v1"

    @property
    def catalogi_url(self) -> str:
        return f"{self.base_url}/catalogi/api/v1"

    @property
    def catalog(self) -> CatalogURLs:
        """URLs of the seeded zaaktype, informatieobjecttypen, statustypen, roltype."""
        if self._catalog is None:
            raise RuntimeError("server not started")
        return self._catalog.urls

    @property
    def clients(self) -> dict[str, str]:
        return self.config.clients

    @property
    def db_path(self) -> Path:
        return self._db_path()

    def now(self) -> float:
        """The server's clock (wall clock + :attr:`clock_offset`)."""
        return time.time() + self.clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Shift the server clock, e.g. by 3600 to let every token expire."""
        self.clock_offset += seconds

    def make_token(
        self,
        client_id: str = "keukentafel",
        *,
        secret: str | None = None,
        iat: float | None = None,
        include_iat: bool = True,
        **claims: Any,
    ) -> str:
        """An HS256 token as the client should make it (for tests)."""
        payload: dict[str, Any] = {"iss": client_id, "client_id": client_id, **claims}
        if include_iat:
            payload["iat"] = int(self.now() if iat is None else iat)
        key = secret if secret is not None else self.config.clients[client_id]
        return jwt.encode(payload, key, algorithm="HS256")

    def client_scopes(self, client_id: str) -> frozenset[str] | None:
        """The scopes of a client (None: all autorisaties)."""
        scopes = self.config.scopes.get(client_id)
        if scopes is not None and self.config.force_unlock:
            scopes = scopes | {FORCE_UNLOCK}
        return scopes

    def auth_headers(self, client_id: str = "keukentafel", **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.make_token(client_id, **kwargs)}"}

    def requests(self, method: str | None = None, path: str | None = None) -> list[RequestRecord]:
        """Logged requests, optionally filtered by method and path regex."""
        with self._log_lock:
            records = list(self.request_log)
        return [
            r
            for r in records
            if (method is None or r.method == method.upper()) and (path is None or re.search(path, r.path))
        ]

    def seed_documents(
        self,
        count: int,
        *,
        bronorganisatie: str = "517439943",
        informatieobjecttype: str | None = None,
        content: bytes = b"%PDF-1.4 ander document",
    ) -> list[str]:
        """Create ``count`` documents of "the rest of the municipality" without HTTP
        (the same create logic as ``POST /enkelvoudiginformatieobjecten``, not logged,
        no faults); returns their URLs. For tests and benches that need a large
        zaaksysteem around the wijkcoach's own documents."""
        api, store = self._api, self._store
        if api is None or store is None:
            raise RuntimeError("server not started")
        iot = informatieobjecttype or self.catalog.informatieobjecttype_verslag
        urls = []
        with store.lock:
            store.begin()
            try:
                for n in range(count):
                    body = {
                        "bronorganisatie": bronorganisatie,
                        "creatiedatum": "2026-01-05",
                        "titel": f"Ander document {n + 1}",
                        "auteur": "Gemeente",
                        "taal": "nld",
                        "informatieobjecttype": iot,
                        "inhoud": base64.b64encode(content).decode("ascii"),
                        "bestandsnaam": f"ander-{n + 1}.pdf",
                        "formaat": "application/pdf",
                        "vertrouwelijkheidaanduiding": "vertrouwelijk",
                    }
                    request = ApiRequest(
                        api="documenten",
                        method="POST",
                        path="/documenten/api/v1/enkelvoudiginformatieobjecten",
                        subpath="/enkelvoudiginformatieobjecten",
                        query={},
                        headers={},
                        body=json.dumps(body).encode("utf-8"),
                    )
                    response = api.eio_create(request)
                    urls.append(json.loads(response.body)["url"])
            except BaseException:
                store.rollback()
                raise
            store.commit()
        return urls

    def reset_logs(self) -> None:
        """Clear the request log, contract violations and server errors."""
        with self._log_lock:
            self.request_log.clear()
            self.contract_violations.clear()
            self.server_errors.clear()
            self.faults.history.clear()

    # -- connection bookkeeping ----------------------------------------------------------------------

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._log_lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _sleep(self, seconds: float) -> None:
        bounded = max(0.0, min(seconds, self.config.max_stall_seconds))
        if bounded:
            self._stop_event.wait(bounded)

    # -- request handling ------------------------------------------------------------------------------

    def wait_quiet(self, timeout: float = 10.0) -> bool:
        """Wait until no request is being handled: a request the client timed out on may
        still be stalled here and land later (a lock taken after the test's last run).
        True when quiet within ``timeout``."""
        with self._quiet:
            return self._quiet.wait_for(lambda: self._serving == 0, timeout)

    def _serve(self, handler: _Handler) -> None:
        with self._quiet:
            self._serving += 1
        try:
            self._serve_one(handler)
        finally:
            with self._quiet:
                self._serving -= 1
                self._quiet.notify_all()

    def _serve_one(self, handler: _Handler) -> None:
        started = time.monotonic()
        method = handler.command.upper()
        split = urlsplit(handler.path)
        path = split.path
        query = parse_qs(split.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        try:
            body = self._read_body(handler, headers)
        except (OSError, ValueError):
            handler.close_connection = True
            return
        fault = self.faults.pick(method, path)
        record = RequestRecord(
            method=method,
            path=path,
            query=split.query,
            status=None,
            answered=False,
            fault=fault.describe() if fault is not None else None,
            duration=0.0,
        )

        def log() -> None:
            # Logged before the answer is written, so a client that got its
            # answer always finds the request in the log.
            record.duration = time.monotonic() - started
            with self._log_lock:
                self.request_log.append(record)

        if fault is not None and fault.kind is FaultKind.DROP and fault.when == "before":
            log()
            self._abort(handler)
            return
        if fault is not None and fault.kind is FaultKind.STALL and fault.when == "before":
            self._sleep(fault.seconds)
        if self.config.latency_seconds:
            self._sleep(self.config.latency_seconds)
        if self._stop_event.is_set():
            log()
            self._abort(handler)
            return
        response = self._respond(method, path, query, headers, body, fault)
        if fault is not None and fault.kind is FaultKind.STALL and fault.when == "after":
            self._sleep(fault.seconds)
        record.status = response.status
        raw = self._serialize(response, head=method == "HEAD")
        dropped = fault is not None and fault.kind is FaultKind.DROP
        record.answered = not dropped
        log()
        try:
            if dropped:
                assert fault is not None
                handler.wfile.write(raw[: max(0, fault.after_bytes)])
                handler.wfile.flush()
                self._abort(handler)
                return
            handler.wfile.write(raw)
            handler.wfile.flush()
        except (TimeoutError, BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            record.answered = False
            handler.close_connection = True

    @staticmethod
    def _read_body(handler: _Handler, headers: dict[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size_line = handler.rfile.readline(65537)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while handler.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(handler.rfile.read(size))
                handler.rfile.readline(65537)
            return b"".join(chunks)
        length = int(headers.get("content-length") or 0)
        return handler.rfile.read(length) if length > 0 else b""

    @staticmethod
    def _abort(handler: _Handler) -> None:
        handler.close_connection = True
        try:
            handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _serialize(self, response: ApiResponse, head: bool) -> bytes:
        reason = http.server.BaseHTTPRequestHandler.responses.get(response.status, ("",))[0]
        lines = [f"HTTP/1.1 {response.status} {reason}"]
        headers = {
            "Server": _Handler.server_version,
            "Date": time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime()),
            **response.headers,
        }
        if response.content_type is not None:
            headers["Content-Type"] = response.content_type
        headers["Content-Length"] = str(len(response.body))
        lines.extend(f"{k}: {v}" for k, v in headers.items())
        head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return head_bytes if head else head_bytes + response.body

    def _problem(
        self,
        status: int,
        code: str,
        detail: str = "",
        params: Any = (),
        title: str | None = None,
        type_name: str | None = None,
    ) -> ApiResponse:
        body = problem_body(self.base_url, status, code, detail, params, title, type_name)
        return ApiResponse(status, json.dumps(body).encode("utf-8"), PROBLEM_JSON)

    def _respond(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
        fault: Fault | None,
    ) -> ApiResponse:
        if fault is not None and fault.kind is FaultKind.ERROR and fault.when == "before":
            return self._fault_response(fault)
        response, validate = self._process(method, path, query, headers, body, fault)
        if fault is not None and fault.kind is FaultKind.DUPLICATE:
            response, validate = self._process(method, path, query, headers, body, fault)
        if fault is not None and fault.kind is FaultKind.ERROR:
            return self._fault_response(fault)
        if validate:
            self._validate_response(method, path, query, headers, body, response)
        return response

    def _fault_response(self, fault: Fault) -> ApiResponse:
        code = "service_unavailable" if fault.status == 503 else "error"
        return self._problem(fault.status, code, f"Geïnjecteerde fout ({fault.describe()}).")

    def _process(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
        fault: Fault | None,
    ) -> tuple[ApiResponse, bool]:
        """Run the pipeline; returns the response and whether to validate it."""
        contracts, api_impl, store = self._contracts, self._api, self._store
        if contracts is None or api_impl is None or store is None or self._stop_event.is_set():
            return self._problem(503, "service_unavailable", "De server stopt."), False
        found = contracts.api_for_path(path)
        check = None
        if self.config.validate_requests:
            check = contracts.check_request(
                host_url=self.base_url,
                method=method,
                path=path,
                query=query,
                headers=headers,
                body=body,
            )
            if check.messages:
                with self._log_lock:
                    self.contract_violations.extend(
                        ContractViolation("request", method, path, check.status, m) for m in check.messages
                    )
        if found is None:
            return self._problem(404, "not_found", "Niet gevonden."), False
        api, subpath = found
        if check is not None and check.status in (404, 405):
            # No operation in the spec to validate this answer against.
            return self._problem(check.status, check.code, check.detail), False
        try:
            if fault is not None and fault.kind is FaultKind.EXPIRE_TOKEN:
                raise ApiError(403, "jwt-expired", "De JWT van dit verzoek is verlopen.")
            payload = check_bearer_token(
                headers.get("authorization"), self.config.clients, self.now(), self.config.jwt_expiry_seconds
            )
            scopes = self.client_scopes(str(payload.get("client_id")))
            template = contracts.operation_template(api, subpath)
            if template is not None and not allowed(
                requirement(contracts.specs[api], template, method), scopes
            ):
                raise ApiError(403, "permission_denied", "Je hebt geen toestemming om deze actie uit te voeren.")
            self._check_crs(api, subpath, method, headers)
            if check is not None and not check.ok:
                assert check.status is not None
                raise ApiError(check.status, check.code, check.detail, check.params)
            route = api_impl.find_route(api, method, subpath)
            if route is None:
                if contracts.operation_template(api, subpath) is not None:
                    raise NotImplementedByTestServer(f"{method} {path}")
                raise ApiError.not_found()
            handler, path_params = route
            request = ApiRequest(
                api=api,
                method=method,
                path=path,
                subpath=subpath,
                query=query,
                headers=headers,
                body=body,
                path_params=path_params,
                scopes=scopes,
            )
            with store.lock:
                store.begin()
                try:
                    response = handler(request)
                except BaseException:
                    store.rollback()
                    raise
                store.commit()
        except ApiError as exc:
            response = self._problem(exc.status, exc.code, exc.detail, exc.params, exc.title, exc.type_name)
        except NotImplementedByTestServer as exc:
            with self._log_lock:
                self.server_errors.append(f"not implemented by the test server: {exc}")
            return self._problem(501, "not_implemented", f"Niet ondersteund door de testserver: {exc}"), False
        except Exception:
            if not self._stop_event.is_set():  # a closed database while stopping is expected
                with self._log_lock:
                    self.server_errors.append(f"{method} {path}: {traceback.format_exc()}")
            return self._problem(500, "error", "Onverwachte fout in de testserver."), False
        response.headers.setdefault("API-version", contracts.specs[api]["info"]["version"])
        return response, True

    @staticmethod
    def _check_crs(api: str, subpath: str, method: str, headers: dict[str, str]) -> None:
        if api != "zaken" or method == "DELETE" or not _CRS_PATHS.fullmatch(subpath):
            return
        if method in ("POST", "PUT", "PATCH"):
            content_crs = headers.get("content-crs")
            if content_crs is None:
                raise ApiError(412, "precondition_failed", "'Content-Crs' header ontbreekt")
            if content_crs != _CRS:
                raise ApiError(406, "not_acceptable", f"CRS '{content_crs}' is niet ondersteund")
        accept_crs = headers.get("accept-crs")
        if accept_crs is None:
            raise ApiError(412, "precondition_failed", "'Accept-Crs' header ontbreekt")
        if accept_crs != _CRS:
            raise ApiError(406, "not_acceptable", f"CRS '{accept_crs}' is niet ondersteund")

    def _validate_response(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
        response: ApiResponse,
    ) -> None:
        if not self.config.validate_responses or self._contracts is None or method == "HEAD":
            return
        response_headers = dict(response.headers)
        if response.content_type is not None:
            response_headers["Content-Type"] = response.content_type
        messages = self._contracts.check_response(
            host_url=self.base_url,
            method=method,
            path=path,
            query=query,
            request_headers=headers,
            request_body=body,
            status=response.status,
            headers=response_headers,
            body=response.body,
        )
        if messages:
            with self._log_lock:
                self.contract_violations.extend(
                    ContractViolation("response", method, path, response.status, m) for m in messages
                )
