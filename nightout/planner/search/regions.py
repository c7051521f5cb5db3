"""Large kinds: split into compact regions (k-means) solved in parallel, then passes over
groups of routes clustered by where they go. The one k-means of the code base is here."""

from __future__ import annotations

import math
import time

import numpy as np
import numpy.typing as npt

from nightout.planner.params import SearchParams
from nightout.planner.problem import Unit
from nightout.planner.schedule import Context
from nightout.planner.search.instance import Instance, NamedRoutes, instance_of, named, unnamed
from nightout.planner.search.jobs import Runner, SearchJob

Points = npt.NDArray[np.float64]  # one (x, y) or (lat, lon) row per point
Labels = npt.NDArray[np.intp]
Group = tuple[list[Unit], list[int], NamedRoutes]  # units, visit indices, their routes


def kmeans(points: Points, k: int, seed: int, rounds: int) -> tuple[Labels, Points]:
    """Lloyd's k-means: `k` centres drawn from `points` (without repeats, by `seed`), then
    `rounds` rounds of labelling every point with its nearest centre and moving each centre
    to the mean of its points (a centre without points stays). Returns the labels of the last
    round and the centres after it."""
    rng = np.random.default_rng(seed)
    centres = points[rng.choice(len(points), size=k, replace=False)]
    labels: Labels = np.zeros(len(points), dtype=np.intp)
    for _ in range(rounds):
        labels = nearest(points, centres)
        for c in range(k):
            members = points[labels == c]
            if len(members):
                centres[c] = members.mean(axis=0)
    return labels, centres


def nearest(points: Points, centres: Points) -> Labels:
    """The index of the nearest of `centres` to each of `points` (squared distances)."""
    found: Labels = np.argmin(((points[:, None, :] - centres[None, :, :]) ** 2).sum(-1), axis=1)
    return found


def regions(inst: Instance, parts: int, seed: int, params: SearchParams) -> list[list[int]]:
    """Split the visits into at most `parts` compact regions (k-means on their points); the
    visit indices of each region that has any."""
    pts = np.array([v.site.point for v in inst.visits], dtype=float)
    labels, _ = kmeans(pts, parts, seed, params.region_kmeans_rounds)
    return [[int(i) for i in np.flatnonzero(labels == k)] for k in range(parts)
            if (labels == k).any()]


def shares(n_units: int, weights: list[float]) -> list[int]:
    """`n_units` shared in proportion to `weights`, at least one each."""
    total = sum(weights) or 1
    out = [max(1, round(n_units * w / total)) for w in weights]
    while sum(out) > n_units:
        out[int(np.argmax(out))] -= 1
    while sum(out) < n_units:
        out[int(np.argmin([s / max(w, 1e-9) for s, w in zip(out, weights, strict=True)]))] += 1
    return out


def parts_of(n_visits: int, workers: int, per_part: int) -> int:
    """About `per_part` visits a part, in whole batches of parallel jobs."""
    parts = max(2, round(n_visits / per_part))
    return max(workers, parts - parts % max(1, workers))


def run_groups(ctx: Context, inst: Instance, groups: list[Group], deadline: float, seed: int,
               workers: int, runner: Runner, params: SearchParams) -> NamedRoutes:
    """Solve each (units, visit indices, their named routes) group in parallel, in batches."""
    groups = [g for g in groups if g[0] and g[1]]
    batches = math.ceil(len(groups) / max(1, workers))
    each = max(params.min_job_seconds,
               (deadline - time.monotonic()) / max(1, batches) - params.batch_slack_seconds)
    jobs: list[SearchJob] = []
    subs: list[Instance] = []
    for units, idx, routes in groups:
        sub = instance_of(ctx, inst.kind, units, [inst.visits[i] for i in idx], params,
                          tiebreak=inst.tiebreak)
        init = unnamed(sub, routes) if routes else None
        jobs.append(SearchJob(sub.data, seed * 31 + len(jobs), params, seconds=each, init=init))
        subs.append(sub)
    out = []
    for sub, found in zip(subs, runner.run(jobs), strict=True):
        out += named(sub, found.routes)
    return out


def split_solve(ctx: Context, inst: Instance, units: list[Unit], deadline: float, seed: int,
                workers: int, runner: Runner, params: SearchParams) -> NamedRoutes:
    """Solve each region with its share of the units, in parallel; return unit -> site ids."""
    found = regions(inst, parts_of(len(inst.visits), workers, params.visits_per_region), seed,
                    params)
    weights: list[float] = [sum(inst.visits[i].value for i in reg) for reg in found]
    free = list(units)
    groups: list[Group] = []
    # Units go to regions in proportion to the value there, the nearest units first.
    for reg, share in sorted(zip(found, shares(len(units), weights), strict=True),
                             key=lambda x: -x[1]):
        centre = np.mean([inst.visits[i].site.point for i in reg], axis=0)
        free.sort(key=lambda u: (u.start[0] - centre[0]) ** 2 + (u.start[1] - centre[1]) ** 2)
        mine, free = free[:share], free[share:]
        groups.append((mine, reg, []))
    return run_groups(ctx, inst, groups, deadline, seed, workers, runner, params)


def route_pass(ctx: Context, inst: Instance, units: list[Unit], routes: NamedRoutes,
               deadline: float, seed: int, workers: int, runner: Runner,
               params: SearchParams) -> NamedRoutes:
    """Improve a plan group by group: routes clustered by where they go, with nearby open visits.

    The groups change with the seed, so that successive passes work across earlier borders.
    Per group, the better of before and after is kept (a short search can lose a little).
    """
    by_unit = dict(routes)
    where = {v.site.id: i for i, v in enumerate(inst.visits)}

    def centroid(u: Unit) -> Points:
        pts = [inst.visits[where[s]].site.point for s in by_unit.get(u.id, []) if s in where]
        return np.mean(pts, axis=0) if pts else np.array(u.start, dtype=float)

    cents = np.array([centroid(u) for u in units])
    k = min(len(units), parts_of(len(inst.visits), workers, params.pass_visits))
    label, centres = kmeans(cents, k, seed, params.pass_kmeans_rounds)
    visited = {s for r in by_unit.values() for s in r}
    open_idx = [i for i, v in enumerate(inst.visits) if v.site.id not in visited]
    pts = np.array([inst.visits[i].site.point for i in open_idx], dtype=float).reshape(-1, 2)
    near = [int(g) for g in nearest(pts, centres)] if open_idx else []
    groups: list[Group] = []
    for g in range(k):
        members = [u for u, lab in zip(units, label, strict=True) if lab == g]
        idx = [where[s] for u in members for s in by_unit.get(u.id, []) if s in where]
        idx += [i for i, lab in zip(open_idx, near, strict=True) if lab == g]
        groups.append((members, idx, [(u.id, by_unit.get(u.id, [])) for u in members]))
    improved = dict(run_groups(ctx, inst, groups, deadline, seed, workers, runner, params))
    out: NamedRoutes = []
    for members, _, before in groups:
        old = sum(inst.visits[where[s]].value for _, r in before for s in r if s in where)
        after = [(u.id, improved.get(u.id, [])) for u in members]
        new = sum(inst.visits[where[s]].value for _, r in after for s in r if s in where)
        out += after if new >= old else before
    return out

