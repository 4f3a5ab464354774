"""A read-only SPARQL 1.1 Protocol endpoint over the built graph, plus the HTML page.

Oxigraph (pyoxigraph) is the query engine; this module only speaks the protocol (W3C SPARQL 1.1
Protocol, 2013): ``GET /query?query=…`` and ``POST /query`` with an ``application/sparql-query``
body or a form, results negotiated by ``Accept``.  Updates are refused (403): the graph is the
build's output.  ``/`` is the interactive page (``index.html`` beside the graph) and ``/sparql`` a
small query form (``templates/sparql.*``).  The contract's prefixes (``ptk:``, ``schema:``, …) are
known to every query, as in ``ptkg query``.

What a hostile client or web page cannot do (issue 16; tests in ``tests/test_serve_hardening.py``):

* Reach other hosts: SERVICE is refused unless ``--allow-service HOST`` names the host.
* Read it through DNS rebinding: a request whose ``Host`` is not a name this server answers to
  (``127.0.0.1:PORT``, ``localhost:PORT``, ``[::1]:PORT``, the bound address, ``--allow-host``)
  gets 421.  Queries from other sites (``Origin`` of another origin, ``Sec-Fetch-Site: cross-site``
  or ``same-site``) get 403, so a page elsewhere cannot make the endpoint run a query at all.
* Crash it: the query text is bounded before parsing (``graph/guard.py``), and evaluation runs in
  a pool of worker processes (``graph/pool.py``), each capped in memory and killed at the time
  limit, so ``--timeout`` and ``--max-memory`` hold whatever the query does.
* Hold it: one event loop reads requests, none holds a thread; a request must arrive whole
  (line, headers, body) within ``REQUEST_SECONDS``; ``Content-Length`` must be digits and at most
  ``MAX_BODY``; at most ``MAX_CONNECTIONS`` are open, and when that many are, the oldest one still
  sending its request is closed to make room; when every worker is busy and a query waits, the
  query running longer than ``--share-after`` is stopped.
* Frame or restyle the pages: every answer carries ``X-Frame-Options: DENY`` and a CSP with
  ``frame-ancestors 'none'``; ``/sparql`` runs under ``default-src 'none'`` with its script and
  style from this origin.

The store is the build's on-disk Oxigraph store when it matches ``graph.ttl``; otherwise
``graph.ttl`` is loaded once into a temporary store that the workers open read-only.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import io
import ipaddress
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ptkg.extractors.reasons import reason
from ptkg.graph import guard
from ptkg.graph.pool import Pool
from ptkg.graph.query import DEFAULT_PREFIXES
from ptkg.graph.sandbox import DEFAULT_MEMORY_MB, Source, source_for

MAX_BODY = 1 << 20
MAX_HEAD = 64 * 1024
MAX_ROWS = 100_000
MAX_TRIPLES = 500_000
MAX_CONNECTIONS = 256
REQUEST_SECONDS = 10.0
WRITE_SECONDS = 30.0
DEFAULT_TIMEOUT = 30.0

SPARQL_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
              "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PAGE_CSP = "frame-ancestors 'none'"  # index.html carries its own CSP in a <meta>; this adds framing
STATIC = {"/sparql": ("sparql.html", "text/html; charset=utf-8"),
          "/sparql.js": ("sparql.js", "text/javascript; charset=utf-8"),
          "/sparql.css": ("sparql.css", "text/css; charset=utf-8")}
_UPDATE_REFUSED = "this endpoint is read-only: SPARQL UPDATE is refused"


def _template(name: str) -> bytes:
    return resources.files("ptkg.graph").joinpath("templates", name).read_bytes()


@dataclass
class Request:
    method: str
    target: str
    headers: http.client.HTTPMessage
    body: bytes = b""


class HttpError(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class _Conn:
    writer: asyncio.StreamWriter
    opened: float
    reading: bool = True


@dataclass
class Settings:
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = MAX_ROWS
    max_triples: int = MAX_TRIPLES
    allow_service: list[str] = field(default_factory=list)
    allow_host: list[str] = field(default_factory=list)
    workers: int = 2
    memory_mb: int = 1024
    share_after: float = 2.0
    max_connections: int = MAX_CONNECTIONS
    request_seconds: float = REQUEST_SECONDS


def _host_names(host: str, port: int, extra: list[str]) -> set[str]:
    """The ``Host`` header values this server answers to: loopback names and the bound address with
    the port, and each ``--allow-host`` entry (with the port added when it names none)."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    try:
        ip = ipaddress.ip_address(host)
        if not ip.is_unspecified:
            names.add(f"[{ip}]" if ip.version == 6 else str(ip))
    except ValueError:
        names.add(host.lower())
    out = {f"{n}:{port}" for n in names}
    for entry in (e.strip().lower() for e in extra):
        has_port = entry.rsplit("]", 1)[-1].count(":") == 1 if entry.startswith("[") else entry.count(":") == 1
        out.add(entry if has_port else f"{entry}:{port}")
    if port == 80:
        out |= {h[: -len(":80")] for h in out if h.endswith(":80")}
    return out


class Endpoint:
    """The HTTP front end: reads requests on one event loop and hands queries to the worker pool."""

    def __init__(self, graph: Path, settings: Settings, host: str = "127.0.0.1") -> None:
        self.graph, self.settings, self.bind_host = Path(graph), settings, host
        self.site = self.graph.parent
        self.conns: dict[int, _Conn] = {}
        self.pool: Pool | None = None
        self.server: asyncio.base_events.Server | None = None
        self.port = 0
        self.hosts: set[str] = set()
        self.requests = 0
        self._tmp: str | None = None

    # -- life cycle ---------------------------------------------------------------------------

    def _source(self) -> Source:
        source, fresh = source_for(self.graph)
        if fresh:
            return source
        import pyoxigraph as ox

        self._tmp = tempfile.mkdtemp(prefix="ptkg-serve-")
        try:
            store = ox.Store(self._tmp)
            store.bulk_load(path=str(self.graph), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
            store.flush()
            del store
        except (SyntaxError, OSError) as e:  # a damaged graph.ttl: said with its name, the server does not start
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
            raise SystemExit(f"{self.graph}: cannot open the graph: {reason(e)}") from None
        return Source(store=self._tmp)

    async def start(self, port: int) -> None:
        s = self.settings
        self.pool = Pool(self._source(), size=s.workers, memory_mb=s.memory_mb, timeout=s.timeout,
                         share_after=s.share_after)
        await self.pool.start()
        self.server = await asyncio.start_server(self._handle, self.bind_host, port, limit=MAX_HEAD,
                                                 backlog=512)
        self.port = self.server.sockets[0].getsockname()[1]
        self.hosts = _host_names(self.bind_host, self.port, s.allow_host)

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
        for c in list(self.conns.values()):
            c.writer.close()
        if self.pool is not None:
            await self.pool.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    # -- connections --------------------------------------------------------------------------

    def _make_room(self) -> bool:
        """Below the connection limit, or made so by closing the oldest connection still reading."""
        if len(self.conns) < self.settings.max_connections:
            return True
        readers = [c for c in self.conns.values() if c.reading]
        if not readers:
            return False
        oldest = min(readers, key=lambda c: c.opened)
        oldest.writer.transport.abort()
        self.conns.pop(id(oldest.writer), None)
        return True

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self._make_room():
            writer.transport.abort()
            return
        conn = _Conn(writer, time.monotonic())
        self.conns[id(writer)] = conn
        try:
            try:
                req = await asyncio.wait_for(self._read_request(reader), self.settings.request_seconds)
            except asyncio.TimeoutError:
                raise HttpError(HTTPStatus.REQUEST_TIMEOUT,
                                f"the request did not arrive within {self.settings.request_seconds:g} s") from None
            conn.reading = False
            self.requests += 1
            status, headers, body = await self._respond(req)
        except HttpError as e:
            req = None
            status, headers, body = e.status, {}, (e.message + "\n").encode("utf-8")
            headers["Content-Type"] = "text/plain; charset=utf-8"
        except (ConnectionError, asyncio.IncompleteReadError):
            self.conns.pop(id(writer), None)
            writer.transport.abort()
            return
        except Exception:  # a bug of ours: said in the log, one line to the client, the server goes on
            import traceback

            traceback.print_exc(file=sys.stderr)
            req = None
            status, headers, body = self._text(HTTPStatus.INTERNAL_SERVER_ERROR,
                                               "internal error in ptkg serve; the server log has the details")
        try:
            await asyncio.wait_for(self._write(writer, status, headers, body, req), WRITE_SECONDS)
        except (asyncio.TimeoutError, ConnectionError):
            writer.transport.abort()
        finally:
            self.conns.pop(id(writer), None)
            writer.close()

    async def _read_request(self, reader: asyncio.StreamReader) -> Request:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            raise HttpError(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                            f"request line and headers over {MAX_HEAD} bytes") from None
        except asyncio.IncompleteReadError as e:
            if not e.partial.strip():
                raise ConnectionError("closed before a request") from None
            raise HttpError(HTTPStatus.BAD_REQUEST, "the request ended inside its headers") from None
        line, _, rest = head.partition(b"\r\n")
        parts = line.decode("latin-1").split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1.") or not parts[0].isalpha():
            raise HttpError(HTTPStatus.BAD_REQUEST, "malformed request line")
        try:
            headers = http.client.parse_headers(io.BytesIO(rest))
        except http.client.HTTPException:
            raise HttpError(HTTPStatus.BAD_REQUEST, "malformed or too many headers") from None
        req = Request(parts[0].upper(), parts[1], headers)
        if headers.get("Transfer-Encoding"):
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length, not chunked")
        lengths = {v.strip() for v in headers.get_all("Content-Length") or []}
        if len(lengths) > 1:
            raise HttpError(HTTPStatus.BAD_REQUEST, "more than one Content-Length")
        if lengths:
            value = lengths.pop()
            if not value.isascii() or not value.isdigit():
                raise HttpError(HTTPStatus.BAD_REQUEST, f"Content-Length {value[:40]!r} is not a number of bytes")
            n = int(value)
            if n > MAX_BODY:
                raise HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
            if n:
                req.body = await reader.readexactly(n)
        elif req.method == "POST":
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "POST needs a Content-Length")
        return req

    async def _write(self, writer: asyncio.StreamWriter, status: int, headers: dict, body: bytes,
                     req: Request | None) -> None:
        status = HTTPStatus(status)
        head = [f"HTTP/1.1 {status.value} {status.phrase}", "Server: ptkg", "Connection: close",
                f"Content-Length: {len(body)}", "X-Content-Type-Options: nosniff", "X-Frame-Options: DENY",
                "Referrer-Policy: no-referrer", "Cross-Origin-Resource-Policy: same-origin"]
        headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        head += [f"{k}: {v}" for k, v in headers.items()]
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        writer.write(data + body if req is None or req.method != "HEAD" else data)
        await writer.drain()

    # -- routing ------------------------------------------------------------------------------

    def _text(self, status: HTTPStatus, message: str) -> tuple[int, dict, bytes]:
        return status, {"Content-Type": "text/plain; charset=utf-8"}, (message + "\n").encode("utf-8")

    def _check_host(self, req: Request) -> None:
        host = (req.headers.get("Host") or "").strip().lower()
        if host not in self.hosts:
            shown = host[:80] or "(none)"
            raise HttpError(HTTPStatus.MISDIRECTED_REQUEST,
                            f"Host {shown} is not served here: use http://127.0.0.1:{self.port}/ "
                            "(or start with --allow-host NAME)")

    def _check_same_origin(self, req: Request) -> None:
        """Refuse queries another site's page makes the browser send (CSRF, <img>, forms)."""
        site = (req.headers.get("Sec-Fetch-Site") or "").strip().lower()
        if site in ("cross-site", "same-site"):
            raise HttpError(HTTPStatus.FORBIDDEN, f"a query from another site ({site}) is refused")
        origin = (req.headers.get("Origin") or "").strip().lower()
        if origin and (not origin.startswith("http://") or origin[len("http://"):] not in self.hosts):
            raise HttpError(HTTPStatus.FORBIDDEN, f"a query from origin {origin[:80]} is refused")

    async def _respond(self, req: Request) -> tuple[int, dict, bytes]:
        self._check_host(req)
        url = urlsplit(req.target)
        if req.method not in ("GET", "HEAD", "POST"):
            return self._text(HTTPStatus.METHOD_NOT_ALLOWED, "GET, HEAD or POST")
        if url.path == "/query":
            self._check_same_origin(req)
            q = self._query_of(req, url.query)
            return await self._answer(req, q)
        if req.method == "POST":
            return self._text(HTTPStatus.NOT_FOUND, "POST to /query")
        if url.path in ("/", "/index.html"):
            page = self.site / "index.html"
            if page.is_file():
                return HTTPStatus.OK, {"Content-Type": "text/html; charset=utf-8",
                                       "Content-Security-Policy": PAGE_CSP}, page.read_bytes()
            return self._text(HTTPStatus.NOT_FOUND, "no index.html beside the graph; run ptkg build")
        if url.path == "/favicon.ico":  # browsers ask on every page; nothing to show
            return HTTPStatus.NO_CONTENT, {}, b""
        if url.path in STATIC:
            name, ctype = STATIC[url.path]
            return HTTPStatus.OK, {"Content-Type": ctype, "Content-Security-Policy": SPARQL_CSP}, _template(name)
        return self._text(HTTPStatus.NOT_FOUND, "not found: try /query, /sparql or /")

    def _query_of(self, req: Request, query_string: str) -> str:
        if req.method in ("GET", "HEAD"):
            params = parse_qs(query_string)
            if "update" in params:
                raise HttpError(HTTPStatus.FORBIDDEN, _UPDATE_REFUSED)
            q = params.get("query", [None])[0]
            if not q:
                raise HttpError(HTTPStatus.BAD_REQUEST, "missing ?query=")
            return q
        ctype = (req.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = req.body.decode("utf-8", errors="replace")
        if ctype == "application/sparql-update":
            raise HttpError(HTTPStatus.FORBIDDEN, _UPDATE_REFUSED)
        if ctype == "application/sparql-query":
            return body
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            if "update" in form:
                raise HttpError(HTTPStatus.FORBIDDEN, _UPDATE_REFUSED)
            if form.get("query"):
                return form["query"][0]
            raise HttpError(HTTPStatus.BAD_REQUEST, "missing query= in the form")
        raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        "send application/sparql-query or application/x-www-form-urlencoded")

    async def _answer(self, req: Request, q: str) -> tuple[int, dict, bytes]:
        try:
            guard.check(q, self.settings.allow_service, DEFAULT_PREFIXES)
        except guard.QueryRefused as e:
            return self._text(HTTPStatus.BAD_REQUEST, str(e))
        assert self.pool is not None
        meta, body = await self.pool.run({
            "mode": "http", "query": q, "accept": req.headers.get("Accept") or "",
            "max_rows": self.settings.max_rows, "max_triples": self.settings.max_triples})
        if meta.get("status") != 200:
            return self._text(HTTPStatus(int(meta.get("status", 500))), str(meta.get("message", "query failed")))
        return HTTPStatus.OK, {"Content-Type": meta["ctype"], "Cache-Control": "no-store"}, body


class RunningServer:
    """An endpoint on its own event-loop thread (for tests and benches): ``url``, ``close()``."""

    def __init__(self, graph: Path, host: str = "127.0.0.1", port: int = 0, **settings: object) -> None:
        self.endpoint = Endpoint(graph, Settings(**settings), host)  # type: ignore[arg-type]
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        self.error: BaseException | None = None

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            try:
                self.loop.run_until_complete(self.endpoint.start(port))
            except BaseException as e:  # noqa: BLE001 (handed to the constructor's caller)
                self.error = e
                started.set()
                return
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, name="ptkg-serve", daemon=True)
        self.thread.start()
        started.wait()
        if self.error is not None:
            raise self.error

    @property
    def port(self) -> int:
        return self.endpoint.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        fut = asyncio.run_coroutine_threadsafe(self.endpoint.close(), self.loop)
        with contextlib.suppress(Exception):
            fut.result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(graph: Path, port: int = 7878, host: str = "127.0.0.1", timeout: float = DEFAULT_TIMEOUT,
          max_rows: int = MAX_ROWS, allow_service: list[str] | None = None, allow_host: list[str] | None = None,
          workers: int = 2, memory_mb: int = DEFAULT_MEMORY_MB, share_after: float = 2.0) -> int:
    if not graph.is_file():
        print(f"{graph}: no graph here; run `ptkg build` first or pass --graph FILE", file=sys.stderr)
        return 2
    from ptkg.graph.outputs import check

    if (problem := check(graph)) is not None:
        print(problem, file=sys.stderr)
    settings = Settings(timeout=timeout, max_rows=max_rows, allow_service=list(allow_service or []),
                        allow_host=list(allow_host or []), workers=workers, memory_mb=memory_mb,
                        share_after=share_after)
    endpoint = Endpoint(graph, settings, host)

    async def main() -> None:
        try:
            await endpoint.start(port)
        except OSError as e:
            raise SystemExit(f"ptkg serve: cannot listen on {host}:{port}: {e.strerror or e}") from None
        if not _loopback(host):
            print(f"ptkg serve: listening on {host}, reachable from other machines (read-only, no authentication)",
                  file=sys.stderr)
        shown = f"[{host}]" if ":" in host else host
        base = f"http://{shown}:{endpoint.port}"
        print(f"ptkg serve: SPARQL endpoint {base}/query — page {base}/ — query form {base}/sparql",
              file=sys.stderr, flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await endpoint.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    except SystemExit as e:
        print(e.code, file=sys.stderr)
        return 2
    return 0
