"""The `nightout` command line: Django's management commands under the product's name.

`nightout demo`, `nightout migrate`, `nightout runserver` and every other command are the
same as `django-admin <command>` with nightout's settings.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nightout.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["nightout", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
