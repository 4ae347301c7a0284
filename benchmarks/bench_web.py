"""Load benchmark of ``newsbrief serve``: the story page and the story API under concurrent clients.

Fills a fresh SQLite store with the seed articles, starts the real server
(``python -m newsbrief.cli serve --db ...``) on a free loopback port, fetches the
story once (the first request computes and caches its brief), then loads each URL with
``wrk`` (Debian package ``wrk``) when installed, else with a small Python asyncio
client (keep-alive connections, plain streams). Prints one Markdown table row per
URL: requests/s, p50, p99, errors.

    .venv/bin/python benchmarks/bench_web.py                # 50 clients, 30 s per URL
    .venv/bin/python benchmarks/bench_web.py --seconds 5 --tool python

The load tool runs on the same machine as the server, so on a small machine it
takes CPU from the server: the numbers are a floor, not the server's ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from newsbrief import read_paths

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@dataclass(frozen=True, slots=True)
class Result:
    """What one load run measured."""

    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def row(self) -> str:
        return (f"| {self.name} | {self.rps:,.0f} | {self.p50_ms:.1f} | {self.p99_ms:.1f} "
                f"| {self.errors} | {self.requests:,} | {self.tool} |")


def free_port() -> int:
    """A port nobody listens on now (the server binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fill_store(db: Path) -> str:
    """Put the seed articles in a new store at ``db``; the id of the story they form."""
    from newsbrief.ingest import ingest_articles
    from newsbrief.store import open_store

    store = open_store(db)
    ingest_articles(store, read_paths([SEEDS]).articles)
    story_id = str(store.stories(limit=1, offset=0, query=None)[0].id)
    close = getattr(store, "close", None)
    if close is not None:
        close()
    return story_id


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    """``newsbrief serve`` in a child process, once it answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsbrief.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"server exited: {err}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start within 60 s")


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNIT_MS[unit]


def run_wrk(name: str, url: str, clients: int, seconds: int) -> Result:
    """Load ``url`` with wrk (2 threads, ``clients`` connections) and parse its report."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "5s", url],
        capture_output=True, text=True, check=True,
    ).stdout
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.MULTILINE))
    done = re.search(r"(\d+) requests in ([\d.]+)(\w+),", out)
    assert done, out
    secs = _ms(done.group(2) + done.group(3)) / 1000
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non2xx.group(1)) if non2xx else 0
    return Result(name, int(done.group(1)), secs, _ms(lat["50"]), _ms(lat["99"]), errors, "wrk")


async def _fetch(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """One GET on a kept-alive connection; the status code."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    await reader.readexactly(int(length.group(1)) if length else 0)
    return status


async def _python_load(url: str, clients: int, seconds: int) -> tuple[list[float], int, float]:
    # Plain asyncio streams, not httpx: httpx's per-request cost would be measured
    # instead of the server's.
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    stop = start + seconds

    async def worker() -> None:
        nonlocal errors
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                if conn is None:
                    conn = await asyncio.open_connection(parts.hostname, parts.port)
                ok = await asyncio.wait_for(_fetch(*conn, request), 5) == 200
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                if conn is not None:
                    conn[1].close()
                ok, conn = False, None
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += not ok
        if conn is not None:
            conn[1].close()

    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - start


def run_python(name: str, url: str, clients: int, seconds: int) -> Result:
    """Load ``url`` with ``clients`` concurrent keep-alive connections (asyncio streams)."""
    latencies, errors, elapsed = asyncio.run(_python_load(url, clients, seconds))
    cuts = statistics.quantiles(latencies, n=100)
    return Result(name, len(latencies), elapsed, cuts[49], cuts[98], errors, "python asyncio")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args(argv)
    tool = args.tool
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    load = run_wrk if tool == "wrk" else run_python
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "stories.db"
        story_id = fill_store(db)
        port = free_port()
        proc = start_server(db, port)
        try:
            base = f"http://127.0.0.1:{port}"
            targets = [
                ("story page", f"{base}/stories/{story_id}"),
                ("story API (JSON)", f"{base}/api/stories/{story_id}"),
                ("stories page", f"{base}/"),
            ]
            t0 = time.perf_counter()
            httpx.get(targets[0][1], timeout=60).raise_for_status()
            print(f"first story page (computes the brief): {time.perf_counter() - t0:.2f} s")
            print(f"\n{args.clients} concurrent clients, {args.seconds} s per URL\n")
            print("| URL | req/s | p50 ms | p99 ms | errors | requests | tool |")
            print("|---|---:|---:|---:|---:|---:|---|")
            for name, url in targets:
                print(load(name, url, args.clients, args.seconds).row(), flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
