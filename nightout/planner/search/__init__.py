"""The search: everything of the planner that imports PyVRP, and nothing else does.

- `instance`: one kind of unit and its visits as PyVRP data (prizes, windows, pinned units);
- `shake`: the step that takes a stretch of one route out before PyVRP's local search;
- `ils`: PyVRP's iterated local search as `pyvrp.solve` builds it, with the shake, the
  lateness penalty on the scale of time and the two styles of search;
- `jobs`: one search as a `SearchJob`, and the runners that run a batch of them, inline or
  on a pool of processes passed in;
- `improve`: the rounds of parallel searches of one kind;
- `regions`: large kinds split geographically (one k-means), and passes over groups of routes.

`nightout.planner.solve` drives them; its tuning is `nightout.planner.params.SearchParams`.
"""
