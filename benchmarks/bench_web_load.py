"""Load run of ``newsbrief serve`` on a Multi-News store: pages, search and uploads at once.

Ingests ``../shared/data/multinews/dev100.jsonl`` into a fresh store, starts the real
server (``python -m newsbrief.cli serve``, every limit of ``WebSettings`` on) on a free
loopback port, and drives it with ``--clients`` httpx clients on asyncio for
``--seconds`` per endpoint:

* ``story``: ``GET /stories/ID`` (the largest story, briefed once before the run);
* ``stories``: ``GET /``;
* ``search``: ``GET /?q=china``;
* ``upload``: ``POST /api/brief`` of one dev100 cluster pasted as text. A 503 (the brief
  pool is full) is not an error: the client waits its ``Retry-After`` and posts again,
  as a browser user would; the upload's latency runs from its first try to its brief;
* ``mixed``: the same clients at once, four in five on the three pages, one in five
  uploading: what the pages cost while the workers brief.

Prints, per endpoint, the answers, errors (any status but 200 and a pool's 503, and
transport failures or timeouts), the 503s, p50 and p99 in ms, and the server's peak
resident memory (VmHWM).

``--big-uploads`` measures memory instead: 50 clients post 4.9 MB of text at once to a
server whose brief is a stand-in (1 s, then the seed story's brief), so that what is
measured is what the server holds for uploads waiting their turn, not the pipeline.

``--src DIR`` runs the server from another source tree (for a before/after:
``git archive HEAD src | tar -x -C /tmp/old``, then ``--src /tmp/old/src``).

    .venv/bin/python benchmarks/bench_web_load.py                 # 50 clients, 30 s each
    .venv/bin/python benchmarks/bench_web_load.py --seconds 5 --only story upload
    .venv/bin/python benchmarks/bench_web_load.py --big-uploads [--src /tmp/old/src]

The clients run on the same machine as the server, and httpx costs more CPU per
request than the server does: on a small machine the numbers are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from bench_web import free_port  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
DEV100 = ROOT.parent / "shared" / "data" / "multinews" / "dev100.jsonl"
ENDPOINTS = ("story", "stories", "search", "upload", "mixed")
PAGE_TIMEOUT, UPLOAD_TIMEOUT = 10.0, 120.0
KEEPALIVE_S = 4.0


@dataclass
class Tally:
    """What the clients saw of one endpoint."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    busy: int = 0
    """503 answers from the brief pool (retried after Retry-After)."""
    statuses: dict[str, int] = field(default_factory=dict)

    def row(self, name: str, seconds: float, peak_mb: float) -> str:
        lat = self.latencies_ms
        cuts = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [float("nan")] * 99
        return (f"| {name} | {len(lat):,} | {len(lat) / seconds:,.1f} | {self.errors} "
                f"| {self.busy} | {cuts[49]:,.0f} | {cuts[98]:,.0f} | {peak_mb:,.0f} |")


def fill_store(db: Path) -> None:
    """Ingest dev100 into a new store at ``db``."""
    from newsbrief.ingest import ingest_into

    ingest_into(db, [str(DEV100)], progress=False)


def largest_story(db: Path) -> str:
    """The id of the story with the most articles."""
    from newsbrief.store import open_store

    with open_store(db, create=False) as store:
        return str(store.stories(limit=1, order="size")[0].id)


def upload_text() -> str:
    """The first dev100 cluster's articles, pasted as the form takes them (``---`` between)."""
    first = json.loads(DEV100.read_text(encoding="utf-8").splitlines()[0])
    return "\n---\n".join(a.strip() for a in first["document"].split("|||||") if a.strip())


def start_server(db: Path, port: int, src: Path | None, log: Path) -> subprocess.Popen[bytes]:
    """``newsbrief serve`` in a child process (its log to ``log``), once it answers."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsbrief.cli", "serve", "--db", str(db), "--port",
             str(port)], stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start within 60 s")


STAND_IN_SERVER = """
import sys, time, uvicorn
from pathlib import Path
import newsbrief.web.app as web_app
from newsbrief import Settings, brief, read_paths
from newsbrief.web import create_app
seed = brief(read_paths([Path(sys.argv[2])]).articles, settings=Settings(words=60))
def stand_in(*args, **kwargs):
    time.sleep(1.0)
    return seed
web_app.brief = stand_in
try:  # the server as serve() configures it; before issue 13, uvicorn's defaults
    from newsbrief.web import WebSettings, server_config
    config = server_config(None, "127.0.0.1", int(sys.argv[1]), WebSettings(),
                           log_level="warning")
except ImportError:
    config = uvicorn.Config(create_app(None), port=int(sys.argv[1]), log_level="warning")
uvicorn.Server(config).run()
"""


def big_uploads(src: Path | None, clients: int) -> None:
    """``clients`` posts of 4.9 MB at once to a stand-in server; its peak memory."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    port = free_port()
    seeds = ROOT.parent / "shared" / "seeds"
    proc = subprocess.Popen([sys.executable, "-c", STAND_IN_SERVER, str(port), str(seeds)],
                            env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        idle = peak_rss_mb(proc.pid)
        text = ("The council met on Tuesday. " * 175_000)[:4_900_000]
        tally = Tally()
        t0 = time.perf_counter()

        async def run() -> None:
            limits = httpx.Limits(max_connections=clients, keepalive_expiry=KEEPALIVE_S)
            async with httpx.AsyncClient(base_url=base, limits=limits) as client:
                stop = time.perf_counter() + 600
                await asyncio.gather(*(_upload(client, text, tally, stop)
                                       for _ in range(clients)))

        asyncio.run(run())
        print(f"server from {src or 'the installed package'}: {clients} uploads of 4.9 MB, "
              f"answers {tally.statuses}, all done in {time.perf_counter() - t0:.0f} s; "
              f"peak RSS {idle:.0f} MB idle, {peak_rss_mb(proc.pid):.0f} MB after")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (Linux ``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _page(client: httpx.AsyncClient, url: str, tally: Tally) -> None:
    t0 = time.perf_counter()
    try:
        response = await client.get(url, timeout=PAGE_TIMEOUT)
        code = str(response.status_code)
    except httpx.HTTPError as exc:
        code = type(exc).__name__
    tally.statuses[code] = tally.statuses.get(code, 0) + 1
    if code == "200":
        tally.latencies_ms.append((time.perf_counter() - t0) * 1000)
    else:
        tally.errors += 1


async def _upload(client: httpx.AsyncClient, text: str, tally: Tally, stop: float) -> None:
    t0 = time.perf_counter()
    while time.perf_counter() < stop:
        try:
            response = await client.post("/api/brief", data={"text": text, "words": "100"},
                                         timeout=UPLOAD_TIMEOUT)
            code = str(response.status_code)
        except httpx.HTTPError as exc:
            code = type(exc).__name__
        tally.statuses[code] = tally.statuses.get(code, 0) + 1
        if code == "503":
            tally.busy += 1
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))
            continue
        if code == "200":
            tally.latencies_ms.append((time.perf_counter() - t0) * 1000)
        else:
            tally.errors += 1
        return


async def load(base: str, endpoint: str, story: str, clients: int, seconds: float
               ) -> dict[str, Tally]:
    """Run ``clients`` clients on ``endpoint`` for ``seconds``; a tally per kind of request."""
    pages = {"story": f"/stories/{story}", "stories": "/", "search": "/?q=china"}
    tallies = {name: Tally() for name in [*pages, "upload"]}
    text = upload_text()
    stop = time.perf_counter() + seconds
    # Idle connections dropped before the server's 5 s keep-alive ends, as browsers do:
    # at 5 s both ends close at once and a request sent on the closing one fails.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients,
                          keepalive_expiry=KEEPALIVE_S)

    async def client_loop(client: httpx.AsyncClient, kind: str) -> None:
        turn = list(pages) if kind == "pages" else [kind]
        i = 0
        while time.perf_counter() < stop:
            name = turn[i % len(turn)]
            i += 1
            if name == "upload":
                await _upload(client, text, tallies["upload"], stop)
            else:
                await _page(client, pages[name], tallies[name])

    if endpoint == "mixed":
        kinds = ["upload" if i % 5 == 4 else "pages" for i in range(clients)]
    else:
        kinds = [endpoint] * clients
    async with httpx.AsyncClient(base_url=base, limits=limits) as client:
        await asyncio.gather(*(client_loop(client, k) for k in kinds))
    return {n: t for n, t in tallies.items() if t.statuses}


def main(argv: list[str] | None = None) -> int:
    """Run the load and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--only", nargs="+", choices=ENDPOINTS, default=list(ENDPOINTS))
    parser.add_argument("--src", type=Path, help="run the server from this source tree")
    parser.add_argument("--big-uploads", action="store_true",
                        help="measure the server's memory under 4.9 MB uploads instead")
    args = parser.parse_args(argv)
    if args.big_uploads:
        big_uploads(args.src, args.clients)
        return 0
    if not DEV100.exists():
        print(f"no {DEV100}: the shared data is not here", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "stories.db"
        fill_store(db)
        story = largest_story(db)
        port = free_port()
        proc = start_server(db, port, args.src, Path(tmp) / "server.log")
        base = f"http://127.0.0.1:{port}"
        try:
            t0 = time.perf_counter()
            httpx.get(f"{base}/stories/{story}", timeout=120).raise_for_status()
            print(f"server from {args.src or 'the installed package'}; story {story} briefed "
                  f"in {time.perf_counter() - t0:.1f} s; {args.clients} clients, "
                  f"{args.seconds:g} s per run\n")
            print("| run: requests | answered 200 | per s | errors | 503 (retried) "
                  "| p50 ms | p99 ms | server peak RSS MB |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            for endpoint in args.only:
                tallies = asyncio.run(load(base, endpoint, story, args.clients, args.seconds))
                for name, tally in tallies.items():
                    label = name if endpoint == name else f"{endpoint}: {name}"
                    print(tally.row(label, args.seconds, peak_rss_mb(proc.pid)), flush=True)
                    odd = {k: v for k, v in tally.statuses.items() if k not in ("200", "503")}
                    if odd:
                        print(f"|   {label} errors: {odd} | | | | | | | |")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
