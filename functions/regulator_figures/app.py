"""Monthly: the year's figures so far - the regulator's ASB measures and the ASB Case Review
statistics - as CSV for the board; the run in April completes the year before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.kernel.clock import as_of as scheduled_as_of
from asb.kernel.logs import service_logger
from asb.kernel.settings import CaseSettings
from asb.policy.reporting_year import year_of
from asb.reporting.regulator import as_csv

logger = service_logger()
settings = CaseSettings.load()
clients = bootstrap.Clients()
service = bootstrap.case_service(settings, clients)
homes_register = bootstrap.homes_register(clients=clients)
write_csv = bootstrap.figures_writer(settings, clients)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    as_of = scheduled_as_of(event)
    # Runs on the 1st: the figures are for the year that contains the day before, so the
    # run on 1 April writes the whole of the year just ended.
    year = year_of((as_of - timedelta(days=1)).date())
    result = service.year_figures(year, homes_register, settings.homes_owned)
    key = f"regulator/{year}/asb-annual-figures-{as_of:%Y-%m-%d}.csv"
    write_csv(key, as_csv(result))
    logger.info("year's figures written", extra={"key": key, "cases_opened": result.cases_opened,
                                                 "homes_from": result.homes_source})
    return {"key": key, **result.as_dict()}
