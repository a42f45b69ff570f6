"""`make bench`: every benchmark, one after the other, each printing its figures."""

from __future__ import annotations

from bench import cold_start, intake_calls, sweep, triage


def main() -> None:
    cold_start.main()
    print()
    intake_calls.main()
    print()
    triage.main()
    print()
    sweep.main()


if __name__ == "__main__":
    main()
