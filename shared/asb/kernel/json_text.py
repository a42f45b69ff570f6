"""JSON from outside - a request body, a partner's message - read so that whatever it holds, the
only failure is NotJson with a reason a person can act on.

`json.loads` raises more than JSONDecodeError: ValueError for an integer of more than 4,300
digits (Python's guard against quadratic int parsing), RecursionError for nesting deeper than
its stack; and it accepts NaN and Infinity, which are not JSON and cannot be written back out."""

from __future__ import annotations

import json
import sys
from typing import Any


class NotJson(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # completes "The body ..."; never quotes the text


def _no_constants(name: str) -> Any:
    raise NotJson(f"is not valid JSON: {name} is not a JSON number")


def read_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise NotJson("is nested too deeply to read") from None
    except json.JSONDecodeError:
        raise NotJson("is not valid JSON") from None
    except ValueError:  # the only other ValueError json.loads raises: an integer too long
        raise NotJson(f"has a number longer than {sys.get_int_max_str_digits():,} digits: "
                      "send it as text") from None
