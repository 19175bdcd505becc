"""The ``margin`` command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from tui.locations import seeds_dir

    print(seeds_dir())
    return 0


if __name__ == "__main__":
    sys.exit(main())
