"""Public finder benchmark: near-me selector p95 at 100,000 events, page weight, and HTTP
throughput under the production server (granian, as docs/deploy.md runs it) at 1,500 and
at 100,000 events.

    DATABASE_URL=sqlite:////tmp/finder-bench.sqlite3 .venv/bin/python bench/finder_bench.py
    DATABASE_URL=postgres://...  .venv/bin/python bench/finder_bench.py

It loads the demo (Lakeport: 1,500 parties), measures, then adds synthetic cities of the same
density (copies of Lakeport moved across the country) up to 100,000 events and measures again.
Each measure is made FINDER_BENCH_RUNS times (a fresh server each time, so the first request
of each URL is served cold), after FINDER_BENCH_WARM_UP untimed requests, with at least
FINDER_BENCH_REQUESTS requests over at least FINDER_BENCH_SECONDS seconds, and the medians are
printed with every run's figures.
Clients ask for gzip, as browsers do; `bytes` is what crosses the wire. A path with `{n}`
gets a new number on each request, so that no response can come from the finder's cache
(the "cold" rows). Use a throwaway database: it is flushed first.
"""

import gzip
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.finder_settings"
os.environ.setdefault("SECRET_KEY", "finder-benchmark-only")
os.environ["RATELIMIT_ENABLE"] = "false"

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from nightout.finder.selectors import Search, search_page  # noqa: E402
from nightout.registry.models import Event, Jurisdiction, Season  # noqa: E402

TARGET = int(os.environ.get("FINDER_BENCH_EVENTS", "100000"))
PORT = int(os.environ.get("FINDER_BENCH_PORT", "8765"))
# Each measure: at least this many requests, for at least this many seconds.
REQUESTS = int(os.environ.get("FINDER_BENCH_REQUESTS", "200"))
SECONDS = float(os.environ.get("FINDER_BENCH_SECONDS", "2"))
RUNS = int(os.environ.get("FINDER_BENCH_RUNS", "3"))
CLIENTS = 4
WARM_UP = int(os.environ.get("FINDER_BENCH_WARM_UP", "100"))
# The production server for 2 cores, as docs/deploy.md runs it: one process per core, two
# threads each for waiting on the database; connections kept between requests. The trivial
# view runs on the same server with the same settings.
GRANIAN = ["--interface", "wsgi", "--workers", "2", "--blocking-threads", "2",
           "--no-access-log", "--log-level", "warning"]
SERVER_ENV = {"CONN_MAX_AGE": "60", "FINDER_CACHE_SECONDS": "60"}


def load():
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("demo", stdout=StringIO())


def grow(target: int):
    """Copies of Lakeport's parties in other synthetic towns, until `target` events."""
    lakeport = Season.objects.get(slug="lakeport-2027")
    template = list(Event.objects.filter(season=lakeport).values(
        "title", "kind", "status", "address", "postal_code", "latitude", "longitude",
        "location_precision", "is_private_home", "show_exact_location", "starts_at", "ends_at",
        "submitted_at", "block_key"))
    rng = random.Random(7)
    n = 0
    while Event.objects.count() < target:
        n += 1
        dlat, dlon = rng.uniform(-12, -1), rng.uniform(-25, 20)
        town = Jurisdiction.objects.create(
            name=f"Benchtown {n}", slug=f"benchtown-{n}", state="MN", time_zone="America/Chicago",
            center_latitude=45.05 + dlat, center_longitude=-93.56 + dlon)
        season = Season.objects.create(jurisdiction=town, year=2027, slug=f"benchtown-{n}-2027",
                                       nno_date=lakeport.nno_date)
        left = target - Event.objects.count()
        Event.objects.bulk_create([Event(season=season, **{
            **row, "latitude": row["latitude"] + dlat, "longitude": row["longitude"] + dlon,
        }) for row in template[:left]], batch_size=2000)


def selector_times(samples: int = 300) -> dict:
    rng = random.Random(1)
    towns = list(Jurisdiction.objects.values_list("center_latitude", "center_longitude"))
    times = []
    for _ in range(samples):
        lat, lon = rng.choice(towns)
        centre = (lat + rng.uniform(-0.06, 0.06), lon + rng.uniform(-0.08, 0.08))
        start = time.perf_counter()
        page = search_page(search=Search(centre=centre, radius_m=3219, when="all"))
        list(page.object_list)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 2), "samples": samples}


def fetch(url: str) -> bytes:
    """The body as sent (compressed when the server compressed it)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def run_clients(url: str, counter, requests: int, seconds: float = 0.0) -> int:
    """Requests to `url` from CLIENTS threads, each as soon as its last is answered, until
    `requests` have been sent and `seconds` have passed; how many were sent."""
    done, lock = [0], threading.Lock()
    until = time.perf_counter() + seconds

    def worker():
        while True:
            with lock:
                if done[0] >= requests and time.perf_counter() >= until:
                    return
                done[0] += 1
                n = next(counter)
            fetch(url.replace("{n}", str(n)))

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0]


def throughput(path: str, requests: int = REQUESTS) -> dict:
    url = f"http://127.0.0.1:{PORT}{path}"
    counter = iter(range(10**9))
    start = time.perf_counter()
    size = len(fetch(url.replace("{n}", str(next(counter)))))
    first_ms = (time.perf_counter() - start) * 1000
    # Warm-up: WARM_UP requests from the same clients, untimed, so that every worker and
    # thread has served the URL (with only 8, the first page measured after a start ran at
    # half its later throughput).
    run_clients(url, counter, WARM_UP)
    start = time.perf_counter()
    sent = run_clients(url, counter, requests, SECONDS)
    return {"rps": round(sent / (time.perf_counter() - start), 1), "bytes": size,
            "first_ms": round(first_ms, 1)}


def pages() -> dict:
    chicopee = Event.objects.get(season__slug="chicopee-2017").pk
    home = Event.objects.filter(season__slug="lakeport-2027", status="approved",
                                is_private_home=True).order_by("pk").first().pk
    return {
        "trivial": "/bench/trivial/",
        "search": "/?town=lakeport",
        "search cold": "/?town=lakeport&n={n}",
        "search near": "/?q=55911&radius=2",
        "search near cold": "/?q=55911&radius=2&n={n}",
        "search near me cold": "/?near=45.05,-93.56&radius=2&when=all&n={n}",
        "event": f"/events/{home}/",
        "event ics": f"/events/{chicopee}.ics",
        "trivial (mid-run)": "/bench/trivial/",
        "season ics": "/feeds/seasons/lakeport-2027.ics",
        "atom": "/feeds/seasons/lakeport-2027.atom",
        "geojson": "/feeds/events.geojson?season=lakeport-2027",
        "map points": "/map/points.geojson?town=lakeport&zoom=12",
        "sitemap": "/sitemap.xml",
        "widget": "/widget/lakeport/",
    }


def serve():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/granian"), "--host", "127.0.0.1", "--port", str(PORT), *GRANIAN,
         "nightout.wsgi:application"],
        env={**env, **SERVER_ENV, "DJANGO_SETTINGS_MODULE": "bench.finder_settings"}, cwd=ROOT)
    for _ in range(100):
        try:
            fetch(f"http://127.0.0.1:{PORT}/bench/trivial/")
        except OSError:
            time.sleep(0.2)
            continue
        time.sleep(2)  # every worker booted, not only the first to answer
        throughput("/bench/trivial/", 100)
        return server
    server.kill()
    raise SystemExit("granian did not start")


def _fit_zoom(bbox: list[float] | None, width_px: int = 800) -> int:
    """The zoom at which Leaflet's fitBounds shows `bbox` in a map `width_px` wide."""
    if not bbox:
        return 4
    span = max(bbox[2] - bbox[0], (bbox[3] - bbox[1]) * 1.3, 1e-4)
    return max(0, min(15, int(math.log2(360 * width_px / 256 / span))))


def page_weight() -> int:
    """Bytes on the wire (gzip) of the finder page, its scripts and styles, and the map's
    first data: the bounds, then the markers of that box at the zoom that fits it. No tiles."""
    base = f"http://127.0.0.1:{PORT}"
    html = fetch(f"{base}/")
    total = len(html)
    text = gzip.decompress(html).decode() if html[:2] == b"\x1f\x8b" else html.decode()
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', text):
        total += len(fetch(f"{base}{asset}"))
    fit = fetch(f"{base}/map/points.geojson?when=upcoming&fit=1")
    total += len(fit)
    bbox = json.loads(gzip.decompress(fit) if fit[:2] == b"\x1f\x8b" else fit)["bbox"]
    if bbox:
        box = ",".join(f"{v:.5f}" for v in bbox)
        total += len(fetch(f"{base}/map/points.geojson?when=upcoming"
                           f"&zoom={_fit_zoom(bbox)}&bbox={box}"))
    return total


def measure(label: str) -> dict:
    """RUNS measures on fresh servers: the median of each figure, and every run's."""
    runs = []
    for run in range(RUNS):
        server = serve()
        try:
            result = {"pages": {}}
            for name, path in pages().items():
                result["pages"][name] = throughput(path)
            result["page_weight_bytes"] = page_weight()
        finally:
            server.terminate()
            server.wait(timeout=20)
        print(label, f"run {run + 1}", json.dumps(result), flush=True)
        runs.append(result)
    median = {"events": Event.objects.count(), "pages": {
        name: {"rps": statistics.median(r["pages"][name]["rps"] for r in runs),
               "bytes": runs[-1]["pages"][name]["bytes"],
               "first_ms": statistics.median(r["pages"][name]["first_ms"] for r in runs),
               "rps_runs": [r["pages"][name]["rps"] for r in runs]}
        for name in runs[0]["pages"]},
        "page_weight_bytes": statistics.median(r["page_weight_bytes"] for r in runs)}
    print(label, "median", json.dumps(median), flush=True)
    return median


def main():
    print("database:", connection.vendor, flush=True)
    load()
    call_command("collectstatic", interactive=False, verbosity=0)
    small = measure("at 1,500")
    grow(TARGET)
    big = measure(f"at {TARGET:,}")
    near_runs = [selector_times() for _ in range(RUNS)]
    near = {"p50_ms": statistics.median(r["p50_ms"] for r in near_runs),
            "p95_ms": statistics.median(r["p95_ms"] for r in near_runs),
            "p95_runs": [r["p95_ms"] for r in near_runs]}
    print("near-me selector", json.dumps(near), flush=True)
    print(json.dumps({"database": connection.vendor, "small": small, "big": big,
                      "near": near}, indent=1))


if __name__ == "__main__":
    main()
