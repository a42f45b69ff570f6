"""Where a function's cold first answer goes, by tools that survive a loaded machine: the same
fresh child as bench/cold_answer.py (the function's folder, layers, environment and sample event,
against the local AWS), importing the handler and answering under cProfile.

Run: `.venv/bin/python -m bench.cold_profile tracking [case_work ...]`; `PROFILE_TOP=n` entries
(default 40), `PROFILE_SORT=tottime` to sort by a function's own time (default cumulative).
Each function's profile prints its top entries, then counts: our modules and all modules
loaded, pydantic models built (complete) by the answer.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench.cold_answer import _CONTEXT, LocalAws
from infra.local.template import functions

TOP = int(os.environ.get("PROFILE_TOP", "40"))
SORT = os.environ.get("PROFILE_SORT", "cumulative")

_PROFILED = _CONTEXT + """
import cProfile, io, json, pstats, sys
event = json.loads(open({event!r}).read())
profile = cProfile.Profile()
profile.enable()
import app
answer = app.lambda_handler(event, Context())
profile.disable()
status = answer.get("statusCode", "ok") if isinstance(answer, dict) else "ok"
out = io.StringIO()
stats = pstats.Stats(profile, stream=out)
stats.sort_stats({sort!r}).print_stats({top})
sys.stdout.write(out.getvalue())
import pydantic
built = 0
def count(cls):
    global built
    for sub in cls.__subclasses__():
        built += bool(getattr(sub, "__pydantic_complete__", False))
        count(sub)
count(pydantic.BaseModel)
ours = [name for name in sys.modules if name == "asb" or name.startswith("asb.")]
sys.stdout.write("answer %s; modules %d, of ours %d; pydantic models built %d; "
                 "total profiled %.0f ms\\n" % (status, len(sys.modules), len(ours), built,
                 stats.total_tt * 1000))
"""


def profile(local: LocalAws, name: str) -> str:
    spec = next(spec for spec in functions() if spec.name == name)
    environment = local.fresh(spec)
    program = _PROFILED.format(name=spec.logical_id, event=str(local.event(spec)),
                               sort=SORT, top=TOP)
    done = subprocess.run([sys.executable, "-c", program], cwd=spec.code_dir, env=environment,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{name}: {done.stderr.strip().splitlines()[-3:]}")
    return done.stdout


def main() -> None:
    local = LocalAws()
    try:
        for name in sys.argv[1:]:
            print(f"== {name}")
            print(profile(local, name))
    finally:
        local.stop()


if __name__ == "__main__":
    main()
