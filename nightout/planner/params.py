"""The solver's tuning, in one frozen dataclass passed to `solve` (as PyVRP's `SolveParams`).

Every number that steers the search lives here once, with the reason it has the value it
has; the defaults are the values the measurements in BENCHMARKS.md (the public TOPTW set and
the demo city) chose. Tests set these fields instead of patching the solver's internals.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR_SHARE = "SearchParams.{name} is a share: give a number from 0 to 1, not {value}."
ERROR_COUNT = "SearchParams.{name} counts something: give 1 or more, not {value}."
ERROR_SECONDS = "SearchParams.{name} is a length of time: give more than 0 seconds, not {value}."


@dataclass(frozen=True)
class SearchParams:
    """How `nightout.planner.solve.solve` spends its time. Times are seconds (wall clock)."""

    # -- the prizes
    # Points of value are worth this much in PyVRP's objective. Modest, so that the penalty
    # on lateness can still outweigh a prize; travel only breaks ties between equal scores
    # (its total is scaled to stay below one point).
    prize_per_point: int = 20_000
    # The penalty on lateness (time warp) starts at this many times the prizes on offer per
    # unit of shift time (`ValueOfTime`): on the scale of what time is worth, where PyVRP's
    # start (50,000 per unit) is over a hundred times stricter and kept 10 s searches from
    # passing through late plans to better ones, and still strict enough for searches too
    # short to adapt it.
    lateness_per_prize: int = 10

    # -- rounds of parallel searches
    # Searches restart (from scratch, each core from its own best; from a plan, every core
    # from the best so far) every this many seconds, at most `max_rounds` times: a fresh
    # search (new seed, late-acceptance history and penalties) climbs out of where the last
    # one stalled; it lifted the long single routes of the public set.
    round_seconds: float = 2.5
    max_rounds: int = 4
    # With one unit, from scratch, each core first spends `race_share` of the time on
    # `race_chains` searches of an equal share of it, each from a random plan, and goes on
    # from the best: a search of one unit mostly settles within a second or two where it
    # will end, so a start that went wrong would otherwise cost the whole time.
    race_chains: int = 4
    race_share: float = 0.5
    # The shortest search worth starting (a start of the race, a region).
    min_job_seconds: float = 0.05
    # Kept back from each batch of regions' time, so that the next batch starts in time.
    batch_slack_seconds: float = 0.05
    # Kept back from the time limit to turn the routes into a timed plan.
    finish_seconds: float = 0.3
    # The shortest search of a whole problem, even when its time is already spent.
    min_search_seconds: float = 0.1

    # -- the two styles of search (`ils.solve_params`)
    # Style 1 keeps a shorter late-acceptance history than PyVRP's 300: it accepts worse
    # plans less often and climbs faster; with several units it did better on every core
    # than a pair of styles.
    short_history: int = 100
    # With one unit, style 1 also perturbs harder (up to this many moves instead of 25), to
    # get out of the deep local optima of long single routes, beside PyVRP's defaults.
    one_unit_perturbation: int = 50

    # -- stretches taken out of a route (`shake.Shake`)
    # Share of the steps that first take a stretch of one route out: half with one unit,
    # 30 % with several (the shares that scored best on the public set).
    shake_share_one_unit: float = 0.5
    shake_share_several: float = 0.3
    # The longest stretch taken out, as a share of the route: a fifth opens a gap of an hour
    # or more on long routes, which scattered removals rarely do.
    stretch: float = 0.2
    # With one unit, the second style's search takes out up to 35 %: a single long route can
    # settle in a plan whose last hour differs from a better one in ten or more stops
    # (pr19/1: 545 against 560), which stretches of a fifth rarely undo; on both styles it
    # cost pr20/1 four points.
    one_unit_stretch: float = 0.35
    # With several units and at least `refill_min_visits` visits, the complete search that
    # refills a stretch looks at each visit's 30 closest visits instead of PyVRP's 50: it
    # took 7 of the 9 ms of a step on 288 parties with four units, and the narrower one
    # made more steps and scored higher from 216 parties up (below, the wider one did).
    refill_neighbours: int = 30
    refill_min_visits: int = 200

    # -- large problems: geographic regions, then passes over groups of routes
    # A kind is split into regions from this many visits and units (and no pinned visit).
    split_min_visits: int = 600
    split_min_units: int = 8
    # About this many visits per region: small enough for a short search to settle.
    visits_per_region: int = 75
    # Share of the time given to the regions before the global search; with budgets of
    # `long_run_seconds` or more a shorter split, then passes over groups of routes of
    # `pass_seconds` each, leaving `global_fraction` of the time to the global search.
    split_fraction: float = 0.5
    long_run_seconds: float = 20.0
    split_fraction_long: float = 0.2
    global_fraction: float = 0.25
    pass_seconds: float = 4.0
    # About this many visits per group of routes of a pass.
    pass_visits: int = 75
    # Rounds of k-means for the regions, and for the groups of routes (fewer points).
    region_kmeans_rounds: int = 20
    pass_kmeans_rounds: int = 15

    # -- fair share by district
    # With a fair share, the share of the time spent first on the plan without it, to see
    # which districts fall short; the rest goes on from it, or solves again with the bonus.
    fair_first_share: float = 0.6
    # The first visit of a district's share is worth this many of the most valuable visits
    # of its kind (each next one a little less), so that the search makes every district's
    # share before more visits where parties are denser.
    fair_bonus_visits: int = 10

    def __post_init__(self) -> None:
        shares = {"race_share": self.race_share, "split_fraction": self.split_fraction,
                  "split_fraction_long": self.split_fraction_long,
                  "global_fraction": self.global_fraction,
                  "fair_first_share": self.fair_first_share,
                  "shake_share_one_unit": self.shake_share_one_unit,
                  "shake_share_several": self.shake_share_several,
                  "stretch": self.stretch, "one_unit_stretch": self.one_unit_stretch}
        for name, value in shares.items():
            if not 0 <= value <= 1:
                raise ValueError(ERROR_SHARE.format(name=name, value=value))
        counts = {"prize_per_point": self.prize_per_point, "max_rounds": self.max_rounds,
                  "lateness_per_prize": self.lateness_per_prize,
                  "race_chains": self.race_chains, "short_history": self.short_history,
                  "one_unit_perturbation": self.one_unit_perturbation,
                  "refill_neighbours": self.refill_neighbours,
                  "visits_per_region": self.visits_per_region,
                  "pass_visits": self.pass_visits,
                  "region_kmeans_rounds": self.region_kmeans_rounds,
                  "pass_kmeans_rounds": self.pass_kmeans_rounds,
                  "fair_bonus_visits": self.fair_bonus_visits}
        for name, count in counts.items():
            if count < 1:
                raise ValueError(ERROR_COUNT.format(name=name, value=count))
        for name, seconds in (("round_seconds", self.round_seconds),
                              ("pass_seconds", self.pass_seconds)):
            if seconds <= 0:
                raise ValueError(ERROR_SECONDS.format(name=name, value=seconds))
