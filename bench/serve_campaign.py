"""A bounded fuzz/attack campaign against ``ptkg serve`` on loopback, with a well-behaved client beside it.

Starts ``ptkg serve`` (the real command, ``--host 127.0.0.1`` only, port chosen by the OS) over a
build of ``seeds/`` and, for ``--seconds`` or ``--requests`` (whichever ends first), sends from
several threads a mix of hostile requests: random SPARQL made of deep nesting, long UNION/OPTIONAL
chains, memory bombs (cross-product ORDER BY, CONCAT doubling), slow filters, SERVICE to local
ports, random bytes, malformed request lines and headers, bad and huge Content-Length, slowloris
connections and idle sockets, foreign Host and Origin headers.  Meanwhile one well-behaved client
sends a small SELECT every 0.2 s and records its latency.  At the end it reports requests sent,
the worst memory of the server's process tree, the worst and median latency of the good client,
its failures, and whether the server process ever died (crashes).

    python bench/serve_campaign.py --seconds 120
    python bench/serve_campaign.py --requests 5000 --json bench-serve.json

Also measures the cost per query of the three ways to isolate a query (``--isolation``): a warm
pool worker (what ``ptkg serve`` uses), a fork per query, and a fresh interpreter per query.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
GOOD = "SELECT ?n WHERE { ?e a schema:Event ; schema:name ?n } ORDER BY ?n LIMIT 5"


def build(out: Path) -> Path:
    r = subprocess.run([sys.executable, "-m", "ptkg.cli", "build", "seeds", "-o", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    return out / "graph.ttl"


def start(graph: Path, extra: list[str]) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-m", "ptkg.cli", "serve", "--graph", str(graph), "--host", HOST,
                             "--port", "0", *extra], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    port = int(line.split(f"http://{HOST}:")[1].split("/")[0])
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()  # drain the log
    return proc, port


def raw(port: int, data: bytes, timeout: float = 30.0, hold: float = 0.0) -> bytes:
    with socket.create_connection((HOST, port), timeout=timeout) as c:
        c.sendall(data)
        if hold:
            time.sleep(hold)
        chunks = []
        try:
            while chunk := c.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    return b"".join(chunks)


def http_request(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None,
                 timeout: float = 60.0) -> int:
    h = {"Host": f"{HOST}:{port}", **(headers or {})}
    if method == "POST" and "Content-Length" not in h:
        h["Content-Length"] = str(len(body))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n"
    reply = raw(port, head.encode("latin-1", "replace") + body, timeout)
    try:
        return int(reply.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def hostile_query(rng: random.Random, service_port: int) -> str:
    n = rng.choice([10, 100, 1000, 3000, 8000])
    kind = rng.randrange(10)
    if kind == 0:
        return "SELECT * WHERE { FILTER(" + "(" * n + "1" + ")" * n + ") }"
    if kind == 1:
        return "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * n) + " }"
    if kind == 2:
        return "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * min(n, 2500) + "}"
    if kind == 3:
        return "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"
    if kind == 4:
        return ('SELECT (STRLEN(?a8) AS ?n) WHERE { BIND("' + "x" * 64 + '" AS ?a0) '
                + " ".join(f"BIND(CONCAT(?a{i},?a{i},?a{i},?a{i},?a{i},?a{i},?a{i},?a{i}) AS ?a{i + 1})"
                           for i in range(8)) + " }")
    if kind == 5:
        return "SELECT * WHERE { ?a a ?c . ?d ?e ?f . FILTER(STR(?c) = CONCAT(STR(?f), 'x')) }"
    if kind == 6:
        return f"SELECT * WHERE {{ SERVICE <http://{HOST}:{service_port}/x> {{ ?a ?b ?c }} }}"
    if kind == 7:  # random tokens
        toks = ["SELECT", "*", "WHERE", "{", "}", "(", ")", "?x", "<urn:a>", '"s"', "UNION", "OPTIONAL", "FILTER",
                "/", "|", "^", "+", "!", "BIND", "AS", ".", ";", ",", "\\u0053ERVICE", "#", "'''", "<", ">"]
        return " ".join(rng.choice(toks) for _ in range(rng.randrange(1, 3000)))
    if kind == 8:
        return "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * min(n, 1500)) + " ?o }"
    return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 5000)))


def attack(rng: random.Random, port: int, service_port: int) -> str:
    """One hostile request; returns its kind."""
    kind = rng.randrange(12)
    if kind <= 4:
        q = hostile_query(rng, service_port)
        if rng.random() < 0.5:
            http_request(port, "POST", "/query", q.encode("utf-8", "replace"),
                         {"Content-Type": "application/sparql-query"})
        else:
            http_request(port, "GET", "/query?query=" + urllib.parse.quote(q[:20000]))
        return "query"
    if kind == 5:
        raw(port, bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000))), timeout=15)
        return "bytes"
    if kind == 6:
        value = rng.choice(["-1", "abc", "1e9", "99999999999999", "+1", " 1", "1,2", str(1 << 20 + 1)])
        raw(port, f"POST /query HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/sparql-query\r\n"
                  f"Content-Length: {value}\r\n\r\n".encode(), timeout=15)
        return "length"
    if kind == 7:  # slowloris: half a request, held
        raw(port, b"GET /query?query=SELECT", timeout=15, hold=rng.uniform(0, 3))
        return "slow"
    if kind == 8:
        http_request(port, "GET", "/sparql", headers={"Host": rng.choice(["evil.example", "", "127.0.0.1:1"])})
        return "host"
    if kind == 9:
        http_request(port, "POST", "/query", GOOD.encode(), {"Content-Type": "application/sparql-query",
                                                            "Origin": "http://evil.example"})
        return "origin"
    if kind == 10:
        raw(port, rng.choice([b"GARBAGE\r\n\r\n", b"GET / HTTP/9\r\n\r\n", b"GET /" + b"a" * 70000 + b"\r\n\r\n",
                              b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n"]), timeout=15)
        return "malformed"
    socks = [socket.create_connection((HOST, port), timeout=15) for _ in range(rng.randrange(1, 100))]
    time.sleep(rng.uniform(0, 2))
    for s in socks:
        s.close()
    return "idle"


def tree_rss(pid: int) -> int:
    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for c in procs:
        try:
            total += c.memory_info().rss
        except psutil.Error:
            pass
    return total


def campaign(graph: Path, seconds: float, max_requests: int, threads: int, seed: int, extra: list[str]) -> dict:
    proc, port = start(graph, extra)
    service = socket.socket()
    service.bind((HOST, 0))
    service.listen(8)
    service_port = service.getsockname()[1]
    stop = threading.Event()
    counts: dict[str, int] = {}
    lock = threading.Lock()
    sent = [0]
    latencies: list[float] = []
    good_failures: list[str] = []
    peak = [0]

    def attacker(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        while not stop.is_set():
            with lock:
                if sent[0] >= max_requests:
                    return
                sent[0] += 1
            try:
                kind = attack(rng, port, service_port)
            except OSError as e:
                kind = f"refused-connect:{type(e).__name__}"
            with lock:
                counts[kind] = counts.get(kind, 0) + 1

    def good() -> None:
        path = "/query?query=" + urllib.parse.quote(GOOD)
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                status = http_request(port, "GET", path, headers={"Accept": "application/sparql-results+json"},
                                      timeout=90)
            except OSError as e:
                status = 0
                good_failures.append(type(e).__name__)
            latencies.append(time.monotonic() - t0)
            if status != 200:
                good_failures.append(str(status))
            stop.wait(0.2)

    def sampler() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            stop.wait(0.1)

    workers = [threading.Thread(target=attacker, args=(i,), daemon=True) for i in range(threads)]
    side = [threading.Thread(target=good, daemon=True), threading.Thread(target=sampler, daemon=True)]
    t0 = time.monotonic()
    for t in side + workers:
        t.start()
    deadline = t0 + seconds
    while time.monotonic() < deadline and any(t.is_alive() for t in workers) and proc.poll() is None:
        time.sleep(0.2)
    stop.set()
    for t in workers + side:
        t.join(120)
    wall = time.monotonic() - t0
    crashed = proc.poll() is not None
    service_hits = 0
    service.setblocking(False)
    try:
        while True:
            service.accept()[0].close()
            service_hits += 1
    except BlockingIOError:
        pass
    service.close()
    proc.terminate()
    proc.wait(30)
    lat = sorted(latencies)
    return {
        "seconds": round(wall, 1), "requests_sent": sent[0], "by_kind": dict(sorted(counts.items())),
        "server_crashes": int(crashed), "worst_tree_rss_mb": round(peak[0] / 2**20, 1),
        "good_client": {"requests": len(lat), "failures": len(good_failures), "failure_kinds": sorted(set(
            good_failures)), "median_s": round(statistics.median(lat), 4) if lat else None,
            "p99_s": round(lat[int(0.99 * (len(lat) - 1))], 3) if lat else None,
            "worst_s": round(lat[-1], 3) if lat else None},
        "service_connections_reached": service_hits,
    }


def isolation_costs(graph: Path, n: int = 30) -> dict:
    """Milliseconds per small query: warm pool worker, fork per query, fresh interpreter per query."""
    import asyncio

    from ptkg.graph.pool import Pool
    from ptkg.graph.sandbox import run_forked, source_for

    source, _ = source_for(graph)
    req = {"mode": "cli", "query": GOOD, "format": "csv"}

    async def pooled() -> float:
        pool = Pool(source, size=1, memory_mb=1024)
        await pool.start()
        await pool.run(req)
        t0 = time.perf_counter()
        for _ in range(n):
            await pool.run(req)
        dt = (time.perf_counter() - t0) / n
        await pool.close()
        return dt

    pool_s = asyncio.run(pooled())
    t0 = time.perf_counter()
    for _ in range(n):
        run_forked(source, req, 30, 1024)
    fork_s = (time.perf_counter() - t0) / n
    t0 = time.perf_counter()
    for _ in range(max(3, n // 10)):
        subprocess.run([sys.executable, "-m", "ptkg.cli", "query", GOOD, "--graph", str(graph)], cwd=ROOT,
                       capture_output=True, check=True)
    spawn_s = (time.perf_counter() - t0) / max(3, n // 10)
    return {"pool_worker_ms": round(pool_s * 1000, 2), "fork_per_query_ms": round(fork_s * 1000, 2),
            "new_interpreter_per_query_ms": round(spawn_s * 1000, 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=120.0, help="stop after this long (default 120)")
    p.add_argument("--requests", type=int, default=20_000, help="stop after this many hostile requests")
    p.add_argument("--threads", type=int, default=6, help="attacking threads (default 6)")
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--graph", type=Path, help="a built graph.ttl (default: build seeds/ into a temp folder)")
    p.add_argument("--json", type=Path, help="also write the figures here")
    p.add_argument("serve_args", nargs="*", help="extra ptkg serve options after --, e.g. -- --workers 2")
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ptkg-serve-bench-") as tmp:
        graph = a.graph or build(Path(tmp) / "out")
        result = {"isolation": isolation_costs(graph)}
        result["campaign"] = campaign(graph, a.seconds, a.requests, a.threads, a.seed, a.serve_args)
    text = json.dumps(result, indent=1)
    print(text)
    if a.json:
        a.json.write_text(text + "\n", encoding="utf-8")
    return 1 if result["campaign"]["server_crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
