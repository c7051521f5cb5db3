"""Production server comparison: gunicorn against granian, same views, same run.

    .venv/bin/python bench/servers_bench.py
    DATABASE_URL=postgres://...  .venv/bin/python bench/servers_bench.py

It loads the demo into a throwaway database (default: SQLite at /tmp/servers-bench.sqlite3;
it is flushed first), collects the static files, then in each of SERVERS_BENCH_RUNS runs starts
both servers afresh, each on its own loopback port, and measures every view on one server and
then on the other, the order swapped from one view to the next and from one run to the next,
so that both servers meet the same noise of a shared machine. Both serve the same WSGI
application with the same settings: 2 worker processes × 2 threads.

Per view and server: 8 concurrent warm-up requests, then a bounded number of requests from
4 client threads, each on a new connection (as a reverse proxy without upstream keep-alive
does); requests/s and the p50 and p95 latency seen by the client. Clients ask for gzip.
The table printed at the end gives the medians over the runs, with every run's requests/s.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.finder_settings"
os.environ.setdefault("SECRET_KEY", "servers-benchmark-only")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/servers-bench.sqlite3")
os.environ.setdefault("STATIC_ROOT", "/tmp/servers-bench-static")
os.environ["RATELIMIT_ENABLE"] = "false"

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from nightout.registry.models import Event  # noqa: E402

RUNS = int(os.environ.get("SERVERS_BENCH_RUNS", "7"))
CLIENTS = 4
WORKERS, THREADS = 2, 2
PORTS = {"gunicorn": 8771, "granian": 8772}
SERVERS = {
    "gunicorn": [
        str(ROOT / ".venv/bin/gunicorn"), "--bind", f"127.0.0.1:{PORTS['gunicorn']}",
        "--workers", str(WORKERS), "--threads", str(THREADS), "--worker-class", "gthread",
        "--log-level", "warning", "--access-logfile", "/dev/null", "nightout.wsgi:application",
    ],
    "granian": [
        str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "--host", "127.0.0.1",
        "--port", str(PORTS["granian"]), "--workers", str(WORKERS),
        "--blocking-threads", str(THREADS), "--log-level", "warning", "--no-access-log",
        "nightout.wsgi:application",
    ],
}
SERVER_ENV = {"CONN_MAX_AGE": "60", "FINDER_CACHE_SECONDS": "60"}


def views() -> dict[str, tuple[str, int]]:
    """Name: (path, requests). `{n}` in a path is a new number on every request."""
    home = Event.objects.filter(season__slug="lakeport-2027", status="approved",
                                is_private_home=True).order_by("pk").first().pk
    return {
        "trivial view (reference)": ("/bench/trivial/", 400),
        "search `/?town=lakeport` (kept in the cache)": ("/?town=lakeport", 400),
        "search never made before (`&n=<i>`)": ("/?town=lakeport&n={n}", 120),
        "event page": (f"/events/{home}/", 300),
        "season Atom feed": ("/feeds/seasons/lakeport-2027.atom", 400),
    }


def fetch(port: int, path: str) -> int:
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection_.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection_.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        return len(body)
    finally:
        connection_.close()


def measure(port: int, path: str, requests: int) -> dict:
    counter = iter(range(10**9))
    warm = [threading.Thread(target=fetch, args=(port, path.replace("{n}", str(next(counter)))))
            for _ in range(2 * CLIENTS)]
    for t in warm:
        t.start()
    for t in warm:
        t.join()
    latencies, lock, left = [], threading.Lock(), [requests]

    def client():
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
                n = next(counter)
            start = time.perf_counter()
            fetch(port, path.replace("{n}", str(n)))
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()
    return {"rps": round(requests / wall, 1),
            "p50_ms": round(1000 * statistics.median(latencies), 2),
            "p95_ms": round(1000 * latencies[int(0.95 * len(latencies)) - 1], 2)}


def start(name: str) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV, "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "bench.finder_settings"}
    server = subprocess.Popen(SERVERS[name], env=env, cwd=ROOT)
    for _ in range(150):
        try:
            fetch(PORTS[name], "/bench/trivial/")
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
            continue
        return server
    server.kill()
    raise SystemExit(f"{name} did not start")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def one_run(run: int, targets: dict) -> dict:
    servers = {name: start(name) for name in SERVERS}
    try:
        time.sleep(2)  # every worker booted, not only the first to answer
        for name in SERVERS:
            measure(PORTS[name], "/bench/trivial/", 100)
        result = {name: {} for name in SERVERS}
        for i, (view, (path, requests)) in enumerate(targets.items()):
            order = list(SERVERS) if (run + i) % 2 == 0 else list(SERVERS)[::-1]
            for name in order:
                result[name][view] = measure(PORTS[name], path, requests)
    finally:
        for server in servers.values():
            stop(server)
    return result


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main():
    print("database:", connection.vendor, "| load average:", load_average(), flush=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("demo", stdout=StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    targets = views()
    runs = []
    began = time.time()
    for run in range(RUNS):
        result = one_run(run, targets)
        print(f"run {run + 1}", "| load average:", load_average(), json.dumps(result), flush=True)
        runs.append(result)
    print(f"{RUNS} runs in {time.time() - began:.0f} s", flush=True)
    print(f"\n| view | {' | '.join(f'{s} req/s | {s} p50 / p95 ms' for s in SERVERS)} "
          "| granian / gunicorn, medians | same, median of each run's |")
    print("| --- |" + " ---: | --- |" * len(SERVERS) + " ---: | ---: |")
    for view in targets:
        cells, rps = [], {}
        for name in SERVERS:
            figures = [r[name][view] for r in runs]
            rps[name] = statistics.median(f["rps"] for f in figures)
            p50 = statistics.median(f["p50_ms"] for f in figures)
            p95 = statistics.median(f["p95_ms"] for f in figures)
            each = ", ".join(f"{f['rps']:,.0f}" for f in figures)
            cells += [f"**{rps[name]:,.0f}** ({each})", f"{p50:.1f} / {p95:.1f}"]
        ratio = rps["granian"] / rps["gunicorn"]
        # Each run measured both servers back to back: its ratio sees the same machine.
        paired = statistics.median(r["granian"][view]["rps"] / r["gunicorn"][view]["rps"]
                                   for r in runs)
        print(f"| {view} | {' | '.join(cells)} | {ratio:.2f} | {paired:.2f} |")


if __name__ == "__main__":
    main()
