"""Load: the deadline eve and the night, under gunicorn on loopback, with every write counted.

    DATABASE_URL=sqlite:////tmp/load-bench.sqlite3 .venv/bin/python bench/load_bench.py
    DATABASE_URL=postgres://...  .venv/bin/python bench/load_bench.py --mix night-of --runs 3

- deadline-eve: 200 hosts register at once through the registration form (each GETs the form
  for its CSRF token, all wait at a barrier, then all POST) while residents search the finder.
- night-of: the demo city's plan, built (10 s) and locked; 60 crews, each signed in, tap every
  stop of their unit done (one in ten skipped) from the phone view as htmx does, while
  coordinators (4) refresh the night-of board (page and partial, rehearsed at 19:30) every
  2 seconds, five times as often as the page does.

The demo (`nightout demo`) is loaded into a throwaway database, flushed first. The server and
its settings are the finder benchmark's (bench/finder_bench.py): production settings, gunicorn
with 2 workers of 2 threads, plus one trivial view, measured in the same run as the reference.
Rate limits stay on: every client sends from its own loopback address (127.0.x.y), so 200 hosts
look like 200 households, as they would on the night before the deadline. Hosts, residents
and crews wait for nothing between requests, so the figures are those of a saturated server:
a p95 there is mostly time spent waiting in line (the "trivial (during)" row, a trivial view
asked every 100 ms during the mix, shows that wait alone). Each mix runs
--runs times on a fresh server, the mixes interleaved; medians are printed with every run's.
Afterwards the database is counted: every registration and every tap must be stored exactly
once, and no response may be a server error.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FINDER_BENCH_PORT", os.environ.get("LOAD_BENCH_PORT", "8781"))
# Collected static files of our own, so that no other process's collectstatic races ours.
os.environ.setdefault("STATIC_ROOT", "/tmp/nightout-load-bench-static")
# Mail is discarded (a registration mails the host, locking a plan mails the agencies).
os.environ.setdefault("EMAIL_URL", "dummymail://")

from bench import finder_bench as bench  # noqa: E402  (sets Django up with its settings)

# The finder benchmark switches rate limits off for its single client; here they stay on.
os.environ["RATELIMIT_ENABLE"] = "true"

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from nightout.accounts.models import Membership, Role, User  # noqa: E402
from nightout.demo.accounts import PASSWORD  # noqa: E402
from nightout.registry.models import Activity, Event, HostContact, Season  # noqa: E402
from nightout.registry.services import Actor  # noqa: E402
from nightout.visits import services as visits  # noqa: E402
from nightout.visits.models import Stop, StopReport, StopStatus, Unit  # noqa: E402
from nightout.visits.selectors import version_checks  # noqa: E402

SEASON = "lakeport-2027"
HOSTS = 200
RESIDENTS = 8
CREWS = 60
BOARDS = 4
BOARD_AT = "19:30"
BOARD_PAUSE = 2.0  # seconds between a coordinator's refreshes (the page itself waits 10 s)
TIMEOUT = 300
PORT = bench.PORT


class Client:
    """One browser: its own loopback address, a kept-alive connection, its cookies."""

    def __init__(self, address: str):
        self.address = address
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None,
                headers: dict | None = None) -> tuple[int, str, float]:
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        head = {"Host": f"127.0.0.1:{PORT}", **(headers or {})}
        if body is not None:
            head["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        for attempt in range(2):  # a kept-alive connection the server closed: open another
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=TIMEOUT,
                                                       source_address=(self.address, 0))
            try:
                self.conn.request(method, path, body=body, headers=head)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        elapsed = (time.perf_counter() - start) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, text, elapsed

    def close(self):
        if self.conn is not None:
            self.conn.close()


def address(group: int, n: int) -> str:
    return f"127.0.{group}.{n + 1}"


def csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


class Record:
    """Latencies and status codes by kind of request, from many threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.codes: dict[str, dict[int, int]] = {}

    def add(self, kind: str, status: int, ms: float):
        with self.lock:
            self.times.setdefault(kind, []).append(ms)
            codes = self.codes.setdefault(kind, {})
            codes[status] = codes.get(status, 0) + 1

    def summary(self, seconds: float) -> dict:
        out = {}
        for kind, times in self.times.items():
            times = sorted(times)
            out[kind] = {"n": len(times), "p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                         "max_ms": round(times[-1], 1), "rps": round(len(times) / seconds, 1),
                         "codes": self.codes[kind]}
        return out

    @property
    def server_errors(self) -> int:
        return sum(n for codes in self.codes.values() for code, n in codes.items()
                   if code >= 500)


SERVER_LOG = "/tmp/nightout-load-bench-server.log"


@contextlib.contextmanager
def quiet_server():
    """The server started with its output in SERVER_LOG (it logs every mail task it runs)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    log = os.open(SERVER_LOG, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    try:
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])
        os.close(log)


def run_threads(threads: list[threading.Thread]):
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def background(record: Record, done: threading.Event, clients: list[Client], paths,
               pause: float = 0.0) -> list[threading.Thread]:
    """Clients asking for `paths()` until `done`, `pause` seconds apart."""
    def loop(client):
        while not done.is_set():
            path, name, headers = paths()
            status, _, ms = client.request("GET", path, headers=headers)
            record.add(name, status, ms)
            done.wait(pause)
        client.close()
    return [threading.Thread(target=loop, args=(c,)) for c in clients]


def probe(record: Record, done: threading.Event) -> threading.Thread:
    """The trivial view, asked every 100 ms during the mix: how long a request waits in line."""
    def loop():
        client = Client(address(9, 0))
        while not done.wait(0.1):
            status, _, ms = client.request("GET", "/bench/trivial/")
            record.add("trivial (during)", status, ms)
        client.close()
    return threading.Thread(target=loop)


# ------------------------------------------------------------------ deadline eve

def deadline_eve(tag: str) -> dict:
    season = Season.objects.select_related("jurisdiction").get(slug=SEASON)
    j = season.jurisdiction
    zips = sorted(set(Event.objects.filter(season=season).exclude(postal_code="")
                      .values_list("postal_code", flat=True)))
    activities = list(Activity.objects.values_list("slug", flat=True))
    record, done = Record(), threading.Event()
    barrier = threading.Barrier(HOSTS)
    rng = random.Random(tag)
    before = Event.objects.filter(season=season).count()

    def host(n: int):
        client, r = Client(address(1, n)), random.Random(n)
        status, page, ms = client.request("GET", f"/register/{SEASON}/")
        record.add("register form", status, ms)
        token = csrf(page)
        barrier.wait(timeout=TIMEOUT)
        form = {
            "csrfmiddlewaretoken": token, "title": f"Load {tag} host {n} block party",
            "kind": "block_party", "description": "Music and a grill.", "venue": "",
            "address": f"{100 + n} Load Street", "postal_code": r.choice(zips),
            "latitude": f"{j.center_latitude + r.uniform(-0.03, 0.03):.5f}",
            "longitude": f"{j.center_longitude + r.uniform(-0.04, 0.04):.5f}",
            "is_private_home": "on", "starts": "17:00", "ends": "20:30",
            "activities": r.sample(activities, 2), "expected_attendance": "40",
            "visits": ["police"], "host_name": f"Host {n}",
            "host_email": f"host{n}@example.org", "host_phone": "555-0100", "website": "",
            "rain_date_declined": "on",
        }
        status, page, ms = client.request("POST", f"/register/{SEASON}/", form=form,
                                          headers={"Referer": f"http://127.0.0.1:{PORT}/"})
        record.add("register", status, ms)
        if status != 302:
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
            print(f"host {n}: {status} {errors[:2]}", file=sys.stderr, flush=True)
        client.close()

    def search():
        kind = rng.random()
        if kind < 0.4:
            return f"/?q={rng.choice(zips)}&radius=2", "search", {}
        if kind < 0.7:
            return (f"/?town={j.slug}&activity={rng.choice(activities)}&when=all", "search",
                    {})
        lat = j.center_latitude + rng.uniform(-0.05, 0.05)
        lon = j.center_longitude + rng.uniform(-0.06, 0.06)
        return f"/?near={lat:.4f},{lon:.4f}&radius=2&when=all", "search", {}

    residents = background(record, done, [Client(address(2, n)) for n in range(RESIDENTS)],
                           search)
    prober = probe(record, done)
    start = time.perf_counter()
    for t in [*residents, prober]:
        t.start()
    run_threads([threading.Thread(target=host, args=(n,)) for n in range(HOSTS)])
    seconds = time.perf_counter() - start
    done.set()
    for t in [*residents, prober]:
        t.join()
    mine = Event.objects.filter(season=season, title__startswith=f"Load {tag} host ")
    stored = {"events": mine.count(), "host_contacts": HostContact.objects.filter(
        event__in=mine).count(), "other_new_events": Event.objects.filter(
        season=season).count() - before - mine.count()}
    ok = (stored["events"] == HOSTS and stored["host_contacts"] == HOSTS
          and not stored["other_new_events"] and not record.server_errors
          and record.codes["register"] == {302: HOSTS})
    return {"seconds": round(seconds, 1), "requests": record.summary(seconds), "stored": stored,
            "server_errors": record.server_errors, "ok": ok}


# ------------------------------------------------------------------ the night

def plan_locked() -> int:
    """The demo city's plan, built for 10 s and locked (every lock-check finding accepted)."""
    season = Season.objects.get(slug=SEASON)
    call_command("plan", season=SEASON, seconds=10, stdout=StringIO())
    version = season.plan.versions.order_by("-number").first()
    assert version.status == "done", version.error
    actor = Actor("load benchmark")
    for kind in {f.kind for f in version_checks(version)}:
        visits.check_accept(actor=actor, version=version, kind=kind)
    visits.version_lock(actor=actor, version=version)
    return version.pk


def crews_create(version_id: int) -> list[tuple[str, int, list[int]]]:
    """One crew login for each of the first CREWS units with stops, in that unit's agency.
    Every login has the demo password (hashed once; the sign-in checks it as usual)."""
    hashed = make_password(PASSWORD)
    crews = []
    units = (Unit.objects.filter(stops__version_id=version_id).distinct().order_by("pk")
             .select_related("agency")[:CREWS])
    for n, unit in enumerate(units):
        user, _ = User.objects.get_or_create(username=f"load-crew-{n}",
                                             defaults={"password": hashed})
        Membership.objects.get_or_create(user=user, role=Role.CREW, agency=unit.agency)
        stops = list(Stop.objects.filter(version_id=version_id, unit=unit)
                     .order_by("order").values_list("pk", flat=True))
        crews.append((user.username, unit.pk, stops))
    return crews


def sign_in(clients: list[tuple[Client, str]]) -> dict:
    """Each client signs in through the sign-in page (once per database: sessions persist)."""
    record = Record()

    def one(client, username):
        status, page, ms = client.request("GET", "/accounts/login/")
        record.add("sign-in form", status, ms)
        status, _, ms = client.request("POST", "/accounts/login/", form={
            "csrfmiddlewaretoken": csrf(page), "username": username, "password": PASSWORD})
        record.add("sign-in", status, ms)
        assert status == 302, (username, status)
        client.close()

    start = time.perf_counter()
    pool = list(clients)
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not pool:
                    return
                client, username = pool.pop()
            one(client, username)

    run_threads([threading.Thread(target=worker) for _ in range(4)])
    return record.summary(time.perf_counter() - start)


def night_of(version_id: int, crews: list[tuple[Client, int, list[int]]],
             boards: list[Client]) -> dict:
    # Every run starts from the same night: all stops planned, no taps yet.
    Stop.objects.filter(version_id=version_id).update(status=StopStatus.PLANNED,
                                                      reported_at=None)
    StopReport.objects.filter(stop__version_id=version_id).delete()
    record, done = Record(), threading.Event()
    taps: dict[int, str] = {}
    taps_lock = threading.Lock()
    rng = random.Random(version_id)

    def crew(client: Client, unit: int, stops: list[int]):
        status, page, ms = client.request("GET", f"/plan/{SEASON}/units/{unit}/phone/")
        record.add("phone", status, ms)
        token = client.cookies.get("csrftoken") or csrf(page)
        for stop in stops:
            tap = "skipped" if (stop % 10) == 0 else "done"
            status, _, ms = client.request(
                "POST", f"/plan/stops/{stop}/report/",
                form={"csrfmiddlewaretoken": token, "status": tap, "unit": unit},
                headers={"HX-Request": "true", "X-CSRFToken": token,
                         "Referer": f"http://127.0.0.1:{PORT}/"})
            record.add("stop report", status, ms)
            if status == 200:
                with taps_lock:
                    taps[stop] = tap
        client.close()

    def board():
        if rng.random() < 0.5:
            return f"/plan/{SEASON}/board/?at={BOARD_AT}", "board", {}
        return f"/plan/{SEASON}/board/?at={BOARD_AT}", "board (htmx)", {"HX-Request": "true"}

    watchers = background(record, done, boards, board, pause=BOARD_PAUSE)
    prober = probe(record, done)
    start = time.perf_counter()
    for t in [*watchers, prober]:
        t.start()
    run_threads([threading.Thread(target=crew, args=c) for c in crews])
    seconds = time.perf_counter() - start
    done.set()
    for t in [*watchers, prober]:
        t.join()
    reports = list(StopReport.objects.filter(stop__version_id=version_id)
                   .values_list("stop_id", "status"))
    statuses = dict(Stop.objects.filter(pk__in=taps).values_list("pk", "status"))
    tapped = sum(len(stops) for _, _, stops in crews)
    stored = {"taps": tapped, "answered_200": len(taps), "reports": len(reports),
              "duplicates": len(reports) - len(set(reports)),
              "stops_matching": sum(1 for pk, tap in taps.items() if statuses.get(pk) == tap)}
    ok = (stored["reports"] == tapped == len(taps) == stored["stops_matching"]
          and not stored["duplicates"] and set(reports) == set(taps.items())
          and not record.server_errors)
    return {"seconds": round(seconds, 1), "requests": record.summary(seconds), "stored": stored,
            "server_errors": record.server_errors, "ok": ok}


# ------------------------------------------------------------------ runs

def medians(runs: list[dict]) -> dict:
    kinds = runs[0]["requests"].keys()
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "all_ok": all(r["ok"] for r in runs),
        "server_errors": sum(r["server_errors"] for r in runs),
        "trivial_rps": statistics.median(r["trivial_rps"] for r in runs),
        "requests": {k: {f: statistics.median(r["requests"][k][f] for r in runs)
                         for f in ("n", "p50_ms", "p95_ms", "max_ms", "rps")}
                     for k in kinds},
        "p95_runs": {k: [r["requests"][k]["p95_ms"] for r in runs] for k in kinds},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mix", choices=["deadline-eve", "night-of", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    mixes = ["deadline-eve", "night-of"] if args.mix == "both" else [args.mix]
    print("database:", connection.vendor, flush=True)
    started = time.perf_counter()
    bench.load()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"demo loaded in {time.perf_counter() - started:.0f} s", flush=True)
    results: dict[str, list] = {mix: [] for mix in mixes}
    extra = {}
    if "night-of" in mixes:
        started = time.perf_counter()
        version_id = plan_locked()
        crews = crews_create(version_id)
        print(f"plan built and locked in {time.perf_counter() - started:.0f} s: "
              f"{len(crews)} crews, {sum(len(s) for *_, s in crews)} stops", flush=True)
        crew_clients = [(Client(address(3, n)), unit, stops)
                        for n, (_, unit, stops) in enumerate(crews)]
        board_clients = [Client(address(4, n)) for n in range(BOARDS)]
    for run in range(args.runs):
        for mix in mixes:
            with quiet_server():
                server = bench.serve()
            try:
                trivial = bench.throughput("/bench/trivial/")["rps"]
                if mix == "deadline-eve":
                    result = deadline_eve(tag=f"r{run}-{os.getpid()}")
                else:
                    if "sign_in" not in extra:
                        extra["sign_in"] = sign_in(
                            [(c, name) for (c, *_), (name, *_)
                             in zip(crew_clients, crews, strict=False)]
                            + [(c, "coordinator") for c in board_clients])
                        print("sign-in", json.dumps(extra["sign_in"]), flush=True)
                    result = night_of(version_id, crew_clients, board_clients)
            finally:
                server.terminate()
                server.wait(timeout=30)
            result["trivial_rps"] = trivial
            print(mix, f"run {run + 1}", json.dumps(result), flush=True)
            results[mix].append(result)
    summary = {"database": connection.vendor, **extra,
               **{mix: medians(runs) for mix, runs in results.items()}}
    print(json.dumps(summary, indent=1))
    print(f"the server's output: {SERVER_LOG}")
    if not all(r["ok"] for runs in results.values() for r in runs):
        raise SystemExit("Some writes were lost or some responses were server errors.")


if __name__ == "__main__":
    main()
