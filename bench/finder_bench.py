"""Public finder benchmark: near-me selector p95 at 100,000 events, page weight, and HTTP
throughput under gunicorn at 1,500 and at 100,000 events.

    DATABASE_URL=sqlite:////tmp/finder-bench.sqlite3 .venv/bin/python bench/finder_bench.py
    DATABASE_URL=postgres://...  .venv/bin/python bench/finder_bench.py

It loads the demo (Lakeport: 1,500 parties), measures, then adds synthetic cities of the same
density (copies of Lakeport moved across the country) up to 100,000 events and measures again.
Use a throwaway database: it is flushed first.
"""

import json
import os
import random
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
REQUESTS = int(os.environ.get("FINDER_BENCH_REQUESTS", "40"))
CLIENTS = 4


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
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def throughput(path: str, requests: int = REQUESTS) -> dict:
    url = f"http://127.0.0.1:{PORT}{path}"
    size = len(fetch(url))
    for _ in range(5):
        fetch(url)
    done, lock = [0], threading.Lock()

    def worker():
        while True:
            with lock:
                if done[0] >= requests:
                    return
                done[0] += 1
            fetch(url)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"rps": round(requests / (time.perf_counter() - start), 1), "bytes": size}


def pages() -> dict:
    chicopee = Event.objects.get(season__slug="chicopee-2017").pk
    home = Event.objects.filter(season__slug="lakeport-2027", status="approved",
                                is_private_home=True).order_by("pk").first().pk
    return {
        "trivial": "/bench/trivial/",
        "search": "/?town=lakeport",
        "search near": "/?q=55911&radius=2",
        "event": f"/events/{home}/",
        "event ics": f"/events/{chicopee}.ics",
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
        [str(ROOT / ".venv/bin/gunicorn"), "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--log-level", "warning", "--access-logfile", "/dev/null", "nightout.wsgi:application"],
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.finder_settings"}, cwd=ROOT)
    for _ in range(100):
        try:
            fetch(f"http://127.0.0.1:{PORT}/bench/trivial/")
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def page_weight() -> int:
    """Bytes of the finder page and its scripts and styles (no map tiles, no map data)."""
    html = fetch(f"http://127.0.0.1:{PORT}/").decode()
    import re

    total = len(html)
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        total += len(fetch(f"http://127.0.0.1:{PORT}{asset}"))
    total += len(fetch(f"http://127.0.0.1:{PORT}/map/points.geojson?when=upcoming"))
    return total


def measure(label: str) -> dict:
    server = serve()
    try:
        result = {"events": Event.objects.count(), "pages": {}}
        for name, path in pages().items():
            result["pages"][name] = throughput(path)
        result["page_weight_bytes"] = page_weight()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(label, json.dumps(result), flush=True)
    return result


def main():
    print("database:", connection.vendor, flush=True)
    load()
    call_command("collectstatic", interactive=False, verbosity=0)
    small = measure("at 1,500")
    grow(TARGET)
    big = measure(f"at {TARGET:,}")
    near = selector_times()
    print("near-me selector", json.dumps(near), flush=True)
    print(json.dumps({"database": connection.vendor, "small": small, "big": big,
                      "near": near}, indent=1))


if __name__ == "__main__":
    main()
