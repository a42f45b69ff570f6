"""Every page of a Query, each asked from where the last one stopped (its LastEvaluatedKey).

What botocore's paginator does for a Query, without what it costs a function's first answer:
the paginator loads botocore's pagination models, and to find them lists every service's folder
in botocore's data (about 10 ms of CPU, which no other call of ours needs).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import QueryOutputTypeDef


def query_pages(client: DynamoDBClient, **arguments: Any) -> Iterator[QueryOutputTypeDef]:
    """The pages of one Query, in order; `Limit`, if given, is each page's size."""
    while True:
        page = client.query(**arguments)
        yield page
        if "LastEvaluatedKey" not in page:
            return
        arguments = {**arguments, "ExclusiveStartKey": page["LastEvaluatedKey"]}
