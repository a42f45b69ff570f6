"""`make token`: prints a local staff token (see infra.local.tokens)."""

from infra.local.tokens import main

if __name__ == "__main__":
    raise SystemExit(main())
