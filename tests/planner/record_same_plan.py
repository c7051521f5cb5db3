"""Record `data/same_plan.json` from the solver as it is.

`python -m tests.planner.record_same_plan`, from the repository's root.

Run it only when a change to the search's behaviour is deliberate;
`test_same_plan.py` then checks every later change against the new record.
"""

from __future__ import annotations

import json

from tests.planner.test_same_plan import DATA, recorded

if __name__ == "__main__":
    DATA.parent.mkdir(exist_ok=True)
    DATA.write_text(json.dumps(recorded(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {DATA}")
