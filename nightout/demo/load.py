"""`nightout demo`: load everything, in order, safely more than once."""

from nightout.demo.accounts import LOGINS, PASSWORD, load_accounts
from nightout.demo.city import load_city
from nightout.demo.seed import load_seed, load_trust_pulse
from nightout.demo.units import load_units
from nightout.registry.services import activities_ensure_standard


def demo_load() -> None:
    activities_ensure_standard()
    load_seed()
    load_trust_pulse()
    load_city()
    load_units()
    load_accounts()


def demo_logins_text(base_url: str) -> str:
    width = max(len(login.username) for login in LOGINS)
    lines = [
        f"Demo logins (password for all: {PASSWORD}) — sign in at {base_url}/accounts/login/",
        *(f"  {login.username:<{width}}  {login.what}" for login in LOGINS),
    ]
    return "\n".join(lines)
