"""A search nobody has made before: the finder's search page answering distinct random
searches, its server time and its throughput, beside the trivial view in the same run.

    DATABASE_URL=sqlite:////tmp/finder-search-bench.sqlite3 STATIC_ROOT=/tmp/finder-bench-static \
        .venv/bin/python bench/finder_search_bench.py --events 1500
    DATABASE_URL=sqlite:////tmp/finder-search-100k.sqlite3 STATIC_ROOT=/tmp/finder-bench-static \
        .venv/bin/python bench/finder_search_bench.py --events 100000
    DATABASE_URL=postgres://...  (the same, on PostgreSQL)

The database: the demo's towns of 2017 and Lakeport (`--events` parties, at most 1,500, and
its kickoff), then, past that, synthetic towns of Lakeport's density (copies of its parties moved
across the country, each town with its own name and ZIP codes) up to `--events`. It is built
when it does not hold exactly that many events, else reused (`--rebuild` builds it again):
give it a throwaway database, it is flushed first.

The server: granian as docs/deploy.md runs it (2 workers x 2 blocking threads, connections
kept), on loopback. The searches: `--warm-up` untimed, then `--searches` timed, each a URL no
earlier request asked for, so no kept page answers it: a street address (a house number on a
block with parties, or on their street, sometimes with its town), a ZIP code (of the parties,
sometimes ZIP+4, or of the offline list), a point near a town (Near me), a town, or filters
alone; radius, activity, date and season mixed in. `--clients` connections send them, each its
next as soon as its last is answered. The trivial view answers the same number of requests
from the same clients before and after. Server time is the `Server-Timing` header
(`bench/server_timing.py`: wall and CPU time inside Django); with `--in-process` the same
searches go through Django's test client, with no server, for direction while the machine
is busy; with `--index-cost`, only what reading the finder's index of the public events
(`nightout/finder/index.py`) costs a web process: seconds and memory.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.finder_search_settings"
os.environ.setdefault("SECRET_KEY", "finder-benchmark-only")
os.environ["RATELIMIT_ENABLE"] = "false"

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from nightout.demo.city import load_city  # noqa: E402
from nightout.demo.seed import load_seed  # noqa: E402
from nightout.finder.lookup import PLACES_FILE  # noqa: E402
from nightout.finder.places import public_point_refresh  # noqa: E402
from nightout.registry.models import Activity, Event, EventStatus, Jurisdiction, Season  # noqa: E402
from nightout.registry.services import activities_ensure_standard  # noqa: E402

LAKEPORT = "lakeport-2027"
GRANIAN = ["--interface", "wsgi", "--workers", "2", "--blocking-threads", "2",
           "--no-access-log", "--log-level", "warning"]
SERVER_ENV = {"CONN_MAX_AGE": "60", "FINDER_CACHE_SECONDS": "60",
              "DJANGO_SETTINGS_MODULE": "bench.finder_search_settings"}
TRIVIAL = "/bench/trivial/"
TIMEOUT_S = 60
BATCH = 2000


# ------------------------------------------------------------------ the database

def build(events: int) -> None:
    call_command("flush", interactive=False, verbosity=0)
    activities_ensure_standard()
    load_seed()
    load_city(parties=min(events, 1500))  # and its kickoff
    grow(events)


def built_for(events: int) -> bool:
    """Whether the database is what `build(events)` makes."""
    lakeport = Event.objects.filter(season__slug=LAKEPORT).count()
    base = Event.objects.exclude(season__slug__startswith="benchtown-").count()
    return lakeport == min(events, 1500) + 1 and Event.objects.count() == max(events, base)


def grow(target: int) -> None:
    """Copies of Lakeport's parties in synthetic towns, each moved across the country with
    ZIP codes of its own, until `target` events."""
    lakeport = Season.objects.select_related("jurisdiction").get(slug=LAKEPORT)
    fields = ("title", "kind", "status", "address", "postal_code", "latitude", "longitude",
              "location_precision", "is_private_home", "show_exact_location", "starts_at",
              "ends_at", "submitted_at", "block_key", "expected_attendance")
    template = list(Event.objects.filter(season=lakeport).order_by("pk").values("pk", *fields))
    chosen = {}
    for event_id, activity_id in Event.activities.through.objects.filter(
            event__season=lakeport).values_list("event_id", "activity_id"):
        chosen.setdefault(event_id, []).append(activity_id)
    Through = Event.activities.through
    rng = random.Random(7)
    n = 0
    count = Event.objects.count()
    while count < target:
        n += 1
        dlat, dlon = rng.uniform(-12, -1), rng.uniform(-25, 20)
        with transaction.atomic():
            town = Jurisdiction.objects.create(
                name=f"Benchtown {n}", slug=f"benchtown-{n}", state="MN",
                time_zone="America/Chicago",
                center_latitude=lakeport.jurisdiction.center_latitude + dlat,
                center_longitude=lakeport.jurisdiction.center_longitude + dlon)
            season = Season.objects.create(
                jurisdiction=town, year=lakeport.year, slug=f"benchtown-{n}-{lakeport.year}",
                nno_date=lakeport.nno_date)
            rows = template[:target - count]
            copies = []
            for row in rows:
                values = {k: v for k, v in row.items() if k != "pk"}
                values.update(
                    latitude=row["latitude"] + dlat, longitude=row["longitude"] + dlon,
                    address=row["address"].replace("Lakeport", town.name),
                    postal_code=f"{600 + n:03d}{row['postal_code'][3:]}"
                    if row["postal_code"] else "")
                event = Event(season=season, **values)
                public_point_refresh(event)
                copies.append(event)
            Event.objects.bulk_create(copies, batch_size=BATCH)
            Through.objects.bulk_create(
                [Through(event_id=copy.pk, activity_id=a)
                 for row, copy in zip(rows, copies, strict=True)
                 for a in chosen.get(row["pk"], [])],
                batch_size=BATCH * 4)
        count += len(copies)
        print(f"  {count:,} events", flush=True)


def prepare(events: int, rebuild: bool) -> None:
    call_command("migrate", verbosity=0)
    if rebuild or not built_for(events):
        print(f"building the database at {events:,} events", flush=True)
        build(events)
    else:
        print(f"reusing the database at {events:,} events", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)


# ------------------------------------------------------------------ the searches

def searches(count: int, seed: int, taken: set[str]) -> list[str]:
    """`count` search URLs, none in `taken` (which they are added to)."""
    rng = random.Random(seed)
    public = Event.objects.filter(status=EventStatus.APPROVED)
    parties = list(public.exclude(block_key="").values_list(
        "block_key", "season__jurisdiction__name", "season__jurisdiction__state",
        "postal_code").order_by("?")[:20000])
    zips = sorted({p[3][:5] for p in parties if p[3]})
    listed = sorted({z for place in json.loads(PLACES_FILE.read_text())["places"]
                     for z in place["zips"]})
    towns = list(Jurisdiction.objects.filter(seasons__events__status=EventStatus.APPROVED)
                 .distinct().values_list("slug", "center_latitude", "center_longitude"))
    activities = list(Activity.objects.values_list("slug", flat=True))
    days = sorted({d for d in Season.objects.values_list("nno_date", flat=True)})
    found: list[str] = []
    while len(found) < count:
        params: dict[str, str] = {}
        kind = rng.random()
        if kind < 0.35:  # a street address
            key, town, state, _ = rng.choice(parties)
            number, _, street = key.partition(" ")
            block = int(number) if rng.random() < 0.75 else rng.randrange(0, 60) * 100
            address = f"{block + rng.randint(1, 99)} {street.title()}"
            params["q"] = address + (f", {town}, {state}" if rng.random() < 0.5 else "")
        elif kind < 0.55:  # a ZIP code
            code = rng.choice(zips if rng.random() < 0.8 or not listed else listed)
            params["q"] = code + (f"-{rng.randrange(10_000):04d}" if rng.random() < 0.5 else "")
        elif kind < 0.80:  # near me
            _, lat, lon = rng.choice(towns)
            params["near"] = (f"{lat + rng.uniform(-0.06, 0.06):.3f},"
                              f"{lon + rng.uniform(-0.08, 0.08):.3f}")
        elif kind < 0.90:  # a town
            params["town"] = rng.choice(towns)[0]
        if rng.random() < 0.6:
            params["radius"] = rng.choice(["1", "2", "5", "10", "25"])
        if rng.random() < 0.2 or not params:
            params["activity"] = rng.choice(activities)
        if rng.random() < 0.1 or len(params) == 1 and "activity" in params:
            params["date"] = rng.choice(days).isoformat()
        if rng.random() < 0.1:
            params["when"] = "all"
        url = "/?" + urllib.parse.urlencode(params)
        if url not in taken:
            taken.add(url)
            found.append(url)
    return found


# ------------------------------------------------------------------ the clients

def _timing(header: str) -> dict[str, float]:
    """{'app': ms, 'cpu': ms} from a Server-Timing header."""
    figures = {}
    for part in header.split(","):
        name, _, rest = part.strip().partition(";dur=")
        if rest:
            figures[name] = float(rest)
    return figures


def run_clients(port: int, urls: list[str], clients: int) -> dict:
    """Each URL once, from `clients` kept connections; requests/s, and the server and
    client times of each answer."""
    queue = iter(urls)
    lock = threading.Lock()
    results: list[tuple[float, float, float]] = []
    failures: list[str] = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
        try:
            while True:
                with lock:
                    url = next(queue, None)
                if url is None:
                    return
                start = time.perf_counter()
                conn.request("GET", url, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                took = (time.perf_counter() - start) * 1000
                timing = _timing(response.getheader("Server-Timing", ""))
                with lock:
                    if response.status != 200:
                        failures.append(f"{response.status} {url}")
                    results.append((timing.get("app", 0.0), timing.get("cpu", 0.0), took))
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{len(failures)} failed requests, e.g. {failures[:3]}")
    return summary(results, wall)


def _p(values: list[float], share: float) -> float:
    values = sorted(values)
    return round(values[max(0, int(len(values) * share + 0.5) - 1)], 2)


def summary(results: list[tuple[float, float, float]], wall: float) -> dict:
    app, cpu, client = (list(column) for column in zip(*results, strict=True))
    return {"requests": len(results), "rps": round(len(results) / wall, 1),
            "server_p50_ms": _p(app, 0.5), "server_p95_ms": _p(app, 0.95),
            "cpu_p50_ms": _p(cpu, 0.5), "cpu_p95_ms": _p(cpu, 0.95),
            "client_p50_ms": _p(client, 0.5), "client_p95_ms": _p(client, 0.95)}


def serve(port: int) -> subprocess.Popen:
    granian = Path(sys.executable).parent / "granian"
    server = subprocess.Popen(
        [str(granian), "--host", "127.0.0.1", "--port", str(port), *GRANIAN,
         "nightout.wsgi:application"],
        env={**os.environ, "PYTHONPATH": str(ROOT), **SERVER_ENV}, cwd=ROOT)
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", TRIVIAL)
            conn.getresponse().read()
            conn.close()
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
            continue
        time.sleep(2)  # every worker booted, not only the first to answer
        return server
    server.kill()
    raise SystemExit("granian did not start")


def measure_served(port: int, warm_up: list[str], timed: list[str], clients: int) -> dict:
    server = serve(port)
    try:
        run_clients(port, [TRIVIAL] * len(timed), clients)  # every worker and thread warm
        trivial_before = run_clients(port, [TRIVIAL] * len(timed), clients)
        run_clients(port, warm_up, clients)
        search = run_clients(port, timed, clients)
        trivial_after = run_clients(port, [TRIVIAL] * len(timed), clients)
    finally:
        server.terminate()
        server.wait(timeout=20)
    trivial_rps = statistics.mean([trivial_before["rps"], trivial_after["rps"]])
    return {"search": search, "trivial before": trivial_before, "trivial after": trivial_after,
            "search share of the trivial view": round(search["rps"] / trivial_rps, 3)}


def measure_in_process(warm_up: list[str], timed: list[str]) -> dict:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
    for url in warm_up:
        client.get(url)
    results = []
    start = time.perf_counter()
    for url in timed:
        began = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code} {url}")
        timing = _timing(response["Server-Timing"])
        results.append((timing["app"], timing["cpu"], (time.perf_counter() - began) * 1000))
    return {"search": summary(results, time.perf_counter() - start)}


def index_cost(runs: int = 3) -> dict:
    """What the finder's index of the public events costs a web process: the seconds to read
    it, then to make its tables of blocks, streets and ZIP codes, and the memory it holds
    (Python's allocations while reading it), the median of `runs` reads."""
    import gc
    import tracemalloc

    from nightout.finder import index

    reads, tables, held = [], [], []
    for run in range(runs):
        gc.collect()
        began = time.perf_counter()
        read = index._read(("index-cost", run))
        reads.append(time.perf_counter() - began)
        began = time.perf_counter()
        for column in ("block", "street", "zip"):
            read.at(column, "")
        tables.append(time.perf_counter() - began)
        del read
        gc.collect()
        tracemalloc.start()
        read = index._read(("index-cost", run))
        for column in ("block", "street", "zip"):
            read.at(column, "")
        held.append(tracemalloc.get_traced_memory()[0] / 1e6)
        tracemalloc.stop()
        del read
    return {"approved events": int(Event.objects.filter(status=EventStatus.APPROVED).count()),
            "read_s": round(statistics.median(reads), 2),
            "tables_s": round(statistics.median(tables), 2),
            "held_mb": round(statistics.median(held), 1)}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1500)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--warm-up", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--in-process", action="store_true",
                        help="through Django's test client, without a server")
    parser.add_argument("--index-cost", action="store_true",
                        help="only what reading the finder's index costs a web process")
    args = parser.parse_args()
    print("database:", connection.vendor, "| load average:", load_average(), flush=True)
    prepare(args.events, args.rebuild)
    if args.index_cost:
        print(json.dumps({"database": connection.vendor, "events": args.events,
                          "index": index_cost()}, indent=1))
        return
    taken: set[str] = set()
    warm_up = searches(args.warm_up, args.seed + 1000, taken)
    timed = searches(args.searches, args.seed, taken)
    connection.close()  # the server's workers open their own
    if args.in_process:
        result = measure_in_process(warm_up, timed)
    else:
        result = measure_served(args.port, warm_up, timed, args.clients)
    print(json.dumps({"database": connection.vendor, "events": args.events,
                      "searches": args.searches, "warm_up": args.warm_up,
                      "clients": args.clients, "load average after": load_average(),
                      **result}, indent=1))


if __name__ == "__main__":
    main()
