"""`make bench`: every benchmark, one after the other, each printing its figures.

The load run is apart (`make load`): it starts the whole local service and takes minutes.
"""

from __future__ import annotations

from bench import (
    cold_answer,
    cold_libraries,
    cold_start,
    console,
    console_figures,
    cost,
    form_length,
    intake_calls,
    letters,
    operations,
    package_size,
    sweep,
    triage,
)


def main() -> None:
    cold_answer.main()
    print()
    cold_libraries.main()
    print()
    package_size.main()
    print()
    cold_start.pieces()
    print()
    intake_calls.main()
    print()
    triage.main()
    print()
    sweep.main()
    print()
    measured = operations.main()
    print()
    cost.main(measured)
    print()
    letters.main()
    print()
    console.main()
    print()
    console_figures.main()
    print()
    form_length.main()


if __name__ == "__main__":
    main()
