"""What the libraries issue 20 keeps cost at a cold first answer before any code of ours.

Issue 20 item 7 asks for a cold first answer within 1.5 x the floor (`import boto3`, one client,
one GetItem) for the tracking page, and 2.0 x for other functions, "with pydantic and Powertools
kept". This bench measures what that leaves for our own code. It answers the tracking page's
sample event in a ladder of fresh processes, against the same local AWS, environment and policy
agent as bench/cold_answer.py. Each rung keeps everything of the one before and adds one thing
the page needs; none of them imports our packages:

1. boto3 reads the seeded case's items (one Query), as every case page does;
2. Powertools' logger and REST resolver answer the request (the logger's Lambda context too);
3. the landlord's policy is read through Powertools' AppConfig extension provider;
4. pydantic validates one small model (its first model, as in every function);
5. Jinja2 renders one small template.

Run: `.venv/bin/python -m bench.cold_libraries` (`BENCH_RUNS=n` rounds, default 9). Each round
runs the floor and then every rung, one after another, so a busy moment hits them all. The table
shows each one's fastest round: wall time, and the child's CPU time, which a loaded machine
moves less. Ratios are to the fastest floor.

bench/cold_answer.py measures the last rung ("kept libraries") beside every function.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bench.cold_answer import _CONTEXT, _FLOOR, LocalAws, _child
from infra.local.template import FunctionSpec, function

RUNS = int(os.environ.get("BENCH_RUNS", "9"))


@dataclass(frozen=True)
class Rung:
    label: str
    setup: str  # at import, after the rungs before it
    answer: str  # inside the route, after the rungs before it; `reference` is given


RUNGS = (
    Rung("boto3 reads the case's items (a Query)",
         "import boto3\ndynamodb = boto3.client('dynamodb')\n",
         "items = dynamodb.query(TableName=os.environ['CASES_TABLE_NAME'],\n"
         "    KeyConditionExpression='pk = :pk',\n"
         "    ExpressionAttributeValues={':pk': {'S': 'CASE#' + reference}})['Items']\n"
         "view = {'reference': reference, 'status': str(len(items))}\n"
         "body = str(view)\n"),
    Rung("+ Powertools' logger and REST resolver",
         "from aws_lambda_powertools import Logger\n"
         "from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response\n"
         "logger = Logger()\napp = APIGatewayRestResolver()\n", ""),
    Rung("+ the policy through Powertools' AppConfig",
         "from aws_lambda_powertools.utilities.parameters.appconfig_extension import (\n"
         "    AppConfigExtensionProvider)\n"
         "policy = AppConfigExtensionProvider(\n"
         "    environment=os.environ['ASB_POLICY_ENVIRONMENT'],\n"
         "    application=os.environ['ASB_POLICY_APPLICATION'],\n"
         ").get(os.environ['ASB_POLICY_PROFILE'], transform='json')\n", ""),
    Rung("+ pydantic, one model",
         "import pydantic\n"
         "class Page(pydantic.BaseModel):\n    reference: str\n    status: str\n",
         "view = Page(**view)\n"),
    Rung("+ Jinja2, one template compiled at build",
         "import jinja2\ntemplate = jinja2.Environment(autoescape=True, loader=jinja2.ModuleLoader(\n"
         "    templates)).get_template('page.html')\n",
         "body = template.render(view=view)\n"),
)
TEMPLATE = "<p>{{ view.reference }}: {{ view.status }}</p>"
KEPT = "kept libraries (no code of ours)"

_STARTED = """
import json, os, sys, time
event = json.loads(open({event!r}).read())
templates = {templates!r}  # the Jinja2 rung's, compiled by the parent
started = time.perf_counter()
"""
_DIRECT = "reference = event['pathParameters']['reference']\n{answer}status = 200\n"
_RESOLVED = """
@app.get('/track/<reference>')
def page(reference):
{answer}    return Response(status_code=200, content_type='text/html', body=body)
@logger.inject_lambda_context
def handler(event, context):
    return app.resolve(event, context)
status = handler(event, Context())['statusCode']
"""
_DONE = """
took = time.perf_counter() - started
sys.stdout.write("\\nBENCH " + json.dumps([took, str(status), time.process_time()]) + "\\n")
"""


def program(rungs: int, name: str, event: Path, templates: Path) -> str:
    """The child that climbs the first `rungs` rungs and answers the event."""
    climbed = RUNGS[:rungs]
    answer = "".join(rung.answer for rung in climbed)
    setup = "".join(rung.setup for rung in climbed)
    if rungs == 1:
        served = _DIRECT.format(answer=answer)
    else:
        served = _RESOLVED.format(answer="".join(f"    {line}\n" for line in answer.splitlines()))
    started = _STARTED.format(event=str(event), templates=str(templates))
    return _CONTEXT.format(name=name) + started + setup + served + _DONE


def compiled_template(local: LocalAws) -> Path:
    """The Jinja2 rung's template, compiled to a module as the domain layer's are."""
    import jinja2

    target = local.events / "kept-templates"
    jinja2.Environment(autoescape=True, loader=jinja2.DictLoader({"page.html": TEMPLATE})
                       ).compile_templates(str(target), zip=None)
    return target


def kept(local: LocalAws) -> tuple[FunctionSpec, str]:
    """The top rung's child for bench/cold_answer.py, run as the tracking page would be."""
    spec = function("TrackingFunction")
    return spec, program(len(RUNGS), spec.logical_id, local.event(spec),
                         compiled_template(local))


_FLOOR_CPU = _FLOOR.replace('json.dumps([took, "ok", None])',
                            'json.dumps([took, "ok", time.process_time()])')


def ladder(local: LocalAws, runs: int = RUNS) -> list[tuple[str, float, float]]:
    """(label, fastest wall ms, fastest CPU ms) for the floor and each rung."""
    spec = function("TrackingFunction")
    templates = compiled_template(local)
    children = [("floor", _FLOOR_CPU)] + [
        (rung.label, program(n, spec.logical_id, local.event(spec), templates))
        for n, rung in enumerate(RUNGS, start=1)]
    walls: dict[str, list[float]] = {label: [] for label, _ in children}
    cpus: dict[str, list[float]] = {label: [] for label, _ in children}
    for _ in range(runs):
        environment = local.fresh(spec)
        for label, child in children:
            took, status, cpu = _child(child, spec.code_dir, environment)
            if status not in {"200", "ok"}:
                raise RuntimeError(f"{label}: answered {status}")
            walls[label].append(took * 1000)
            cpus[label].append(float(cpu) * 1000)
    return [(label, min(walls[label]), min(cpus[label])) for label, _ in children]


def main() -> None:
    local = LocalAws()
    try:
        rows = ladder(local)
    finally:
        local.stop()
    _, floor_wall, floor_cpu = rows[0]
    print(f"the kept libraries' cold first answer (the tracking page's sample event, no code of "
          f"ours): fastest of {RUNS} rounds, ratio to the floor")
    print(f"  {'':44} {'wall':>8} {'ratio':>6}  {'CPU':>8} {'ratio':>6}")
    for label, wall, cpu in rows:
        print(f"  {label:44} {wall:5.0f} ms {wall / floor_wall:6.2f}  {cpu:5.0f} ms "
              f"{cpu / floor_cpu:6.2f}")
    print("  issue 20's goal: 1.5 x the floor for the tracking page, 2.0 x for other functions")


if __name__ == "__main__":
    main()
