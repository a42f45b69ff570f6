"""moto's server as the local AWS, mended where it differs from AWS under concurrent load.

- moto's backends are not thread-safe, and its server answers each request on its own thread:
  two writes at once can fail with "dictionary changed size during iteration". AWS answers each
  request atomically, so the local AWS answers one request at a time.
- moto's TransactWriteItems deep-copies every table it touches, whole, to roll back a cancelled
  transaction: each transaction costs time in proportion to the table, and a load run grinds to
  a halt. Here a transaction keeps a copy of only the items it touches, and on cancellation puts
  them back and forgets the stream records it wrote, as AWS never wrote them.
- moto answers every Query by sorting every item of the table: a load run slows with each case.
  Here a Query on the table reads only its partition, and one on an index filters every item
  without sorting them first (moto sorts what it finds anyway).
- moto deep-copies every item a Query found before writing its answer from them: two thirds
  of a case's Query. Here the answer is written from the items themselves (under the one lock).
- moto writes every DynamoDB answer through its model-driven serializer, which walks each item
  attribute by attribute against botocore's shapes: a case's Query took a quarter of an
  end-to-end test's time. The item operations' answers are already DynamoDB's JSON; here they are
  written as JSON directly (`tests/integration/test_local_aws_answers.py` checks that each comes
  out as the serializer writes it).
- moto projects an item (a ProjectionExpression) by converting the whole item, once for each
  path named: a BatchGetItem of forty projected cases took a third of a load run's local AWS.
  Here each path converts only the attribute it names. DynamoDB Streams' GetRecords is written
  as JSON directly too (its records are already DynamoDB's JSON).
- moto's server lists its own package's folders on every request, to tell a service's name
  from a host's; the list is read once here.
- moto's server (werkzeug's) closes the connection after every answer, and waits 10 ms for more
  of the request each time: every boto3 call paid a new connection and a new thread, a third of
  a load run's time. Here the connection stays open for the client's next call (HTTP/1.1), as
  AWS's endpoints keep it.
- Pollers in the same process are told when a write might have given them work (`Activity`),
  so they wait for one instead of asking the local AWS five times a second.
- moto imports and checks the same RSA key for every Cognito user pool (0.2 s of each start);
  here it is read once per process.
- moto keeps no time for an email or SMS it was asked to send. Each is stamped with its time
  (`sent_at`, in moto's data), so `make outbox` can list emails, SMS and letters newest first.
"""

from __future__ import annotations

import base64
import calendar
import copy
import io
import json
import logging
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from botocore.utils import merge_dicts
from moto import backends as moto_backends
from moto.cognitoidp import models as cognito_models
from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionResult
from moto.core.utils import get_service_model
from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models import table as dynamodb_table_module
from moto.dynamodb.models.dynamo_type import DynamoType, Item, deserializer, serializer
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.utilities import find_nested_key
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.ses.models import Message as SentEmail
from moto.ses.models import RawMessage as SentRawEmail
from moto.sns.models import SMS as SentSms
from werkzeug.serving import make_server

from moto.moto_server.werkzeug_app import MotoRequestHandler  # isort: skip

# How often a served loop looks for a stop: socketserver's 0.5 s made every runtime's stop wait
# about half a second for each of its servers.
STOP_POLL = 0.05
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
log = logging.getLogger("asb.local")


class Activity:
    """A count of the writes that might give a poller work: on the queues, a message sent or made
    visible; on the tables, an item written (its stream record). A poller waits for its count to
    move instead of polling."""

    def __init__(self) -> None:
        self._moved = threading.Condition()
        self.count = 0

    def bump(self) -> None:
        with self._moved:
            self.count += 1
            self._moved.notify_all()

    def wake(self) -> None:
        """Every waiter, without a write (a poller told to stop)."""
        with self._moved:
            self._moved.notify_all()

    def wait_past(self, seen: int, seconds: float, stop: threading.Event) -> None:
        with self._moved:
            self._moved.wait_for(lambda: self.count != seen or stop.is_set(), seconds)


QUEUE_WRITES = frozenset(f"AmazonSQS.{operation}" for operation in (
    "SendMessage", "SendMessageBatch", "ChangeMessageVisibility",
    "ChangeMessageVisibilityBatch"))
TABLE_WRITES = frozenset(f"DynamoDB_20120810.{operation}" for operation in (
    "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"))


class OneRequestAtATime:
    def __init__(self, app: WsgiApp, queues: Activity, tables: Activity) -> None:
        self.app = app
        self.woken = {**dict.fromkeys(QUEUE_WRITES, queues), **dict.fromkeys(TABLE_WRITES, tables)}
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self.lock:
            answer = list(self.app(environ, start_response))
        activity = self.woken.get(environ.get("HTTP_X_AMZ_TARGET", ""))
        if activity is not None:
            activity.bump()
        return answer


class KeepAlive(MotoRequestHandler):
    """moto's request handler, answering each request with its length and keeping the
    connection for the next (werkzeug's closes it, and sends chunks where it has no length)."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle connection's thread ends after this
    # An answer leaves in one piece (headers and body buffered, sent at the end of the request)
    # and at once: small writes on a kept connection otherwise wait on the peer's delayed ACK.
    wbufsize = -1
    disable_nagle_algorithm = True

    def handle_expect_100(self) -> bool:
        answered = super().handle_expect_100()
        self.wfile.flush()
        return answered

    def log_error(self, format: str, *args: Any) -> None:
        if not (args and isinstance(args[0], TimeoutError)):  # an idle connection let go
            super().log_error(format, *args)

    def run_wsgi(self) -> None:  # BaseHTTPRequestHandler already answered any Expect: 100
        self.environ = environ = self.make_environ()
        body = environ["wsgi.input"].read() if environ.get("wsgi.input_terminated") else (
            self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        environ.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
        environ.pop("wsgi.input_terminated", None)
        environ.pop("HTTP_TRANSFER_ENCODING", None)  # else werkzeug reads no body: "chunked"
        answered: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]],
                           exc_info: Any = None) -> Callable[[bytes], None]:
            answered[:] = [status, headers]
            return lambda _: None

        try:
            content = b"".join(self.server.app(environ, start_response))
        except Exception:
            log.exception("the local AWS failed to answer %s %s", self.command, self.path)
            self.close_connection = True
            answered[:], content = ["500 INTERNAL SERVER ERROR", []], b""
        self._answer(answered[0], answered[1], content)

    def _answer(self, status: str, headers: list[tuple[str, str]], content: bytes) -> None:
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        length = None
        for name, value in headers:
            if name.lower() == "content-length":
                length = value
            elif name.lower() not in ("connection", "transfer-encoding"):
                self.send_header(name, value)
        if self.command != "HEAD" or length is None:  # HEAD tells the length of what GET sends
            length = str(len(content))
        if int(code) not in (204, 304):
            self.send_header("Content-Length", length)
        if self.close_connection:  # after a failure: the client must not send another on it
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)


class LocalAws(ThreadedMotoServer):
    """Listening before start() returns: a port already taken is an OSError there (moto's own
    server binds in its thread, and start() then waits for it forever); port 0 takes a free one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue_activity = Activity()  # for the queue pollers
        self.table_activity = Activity()  # for the stream pollers

    def start(self) -> None:
        app = self.app = OneRequestAtATime(DomainDispatcherApplication(create_backend_app),
                                           self.queue_activity, self.table_activity)
        try:
            self._server = make_server(self._ip_address, self._port, app, True,
                                       request_handler=KeepAlive)
        except SystemExit as refused:  # werkzeug's way to say so (its reason went to stderr)
            raise OSError(f"the local AWS cannot listen on {self._ip_address}:{self._port}"
                          ) from refused
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-aws",
                                        kwargs={"poll_interval": STOP_POLL}, daemon=True)
        self._thread.start()
        self._server_ready_event.set()

    def stop(self) -> None:
        if self._thread is not None:  # nothing to stop when the port could not be taken
            super().stop()

    @property
    def port(self) -> int:
        return self.get_host_and_port()[1]


# ---------------------------------------------------------------------- transactions
Touched = tuple[Table, DynamoType, DynamoType | None, Any]


class _CopyAllButTables:
    """What moto's DynamoDB backend sees as `copy`: a table is not copied whole."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


_whole_table_transaction = DynamoDBBackend.transact_write_items


def _touched(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> list[Touched]:
    touched = []
    for entry in transact_items:
        for kind, operation in entry.items():
            table = backend.tables.get(operation.get("TableName"))
            attributes = operation.get("Item" if kind == "Put" else "Key") or {}
            if table is None or table.hash_key_attr not in attributes:
                continue
            hash_key = DynamoType(attributes[table.hash_key_attr])
            range_key = (DynamoType(attributes[table.range_key_attr])
                         if table.range_key_attr in attributes else None)
            try:
                before = table.get_item(hash_key, range_key)
            except Exception:  # noqa: S112 - moto itself refuses the request, below
                continue
            touched.append((table, hash_key, range_key, copy.deepcopy(before)))
    return touched


def _put_back(touched: list[Touched], records: dict[Table, int]) -> None:
    for table, hash_key, range_key, before in reversed(touched):
        if range_key is None:
            table.items.pop(hash_key, None)
            if before is not None:
                table.items[hash_key] = before
        else:
            table.items[hash_key].pop(range_key, None)
            if before is not None:
                table.items[hash_key][range_key] = before
    for table, written in records.items():
        if table.stream_shard is not None:
            del table.stream_shard.items[written:]


def _item_by_item_transaction(self: DynamoDBBackend,
                              transact_items: list[dict[str, Any]]) -> None:
    touched = _touched(self, transact_items)
    records = {table: len(table.stream_shard.items) for table, *_ in touched
               if table.stream_shard is not None}
    try:
        _whole_table_transaction(self, transact_items)
    except Exception:
        _put_back(touched, records)
        raise


# ---------------------------------------------------------------------- queries
_sorted_items = Table.all_items
_query = Table.query
_querying: dict[int, DynamoType | None] = {}  # table -> the partition its Query reads


def _items_for_query(self: Table) -> list[Any]:
    if id(self) not in _querying:
        return _sorted_items(self)  # a Scan: moto pages through items in key order
    partition = _querying[id(self)]
    if partition is None:
        return [item for group in self.items.values()
                for item in (group.values() if self.range_key_attr else [group])]
    group = self.items.get(partition)
    if group is None:
        return []
    return list(group.values()) if self.range_key_attr else [group]


class _QueryResultsNotCopied(threading.local):
    """What moto's Table module sees as `copy`: a query's results are not deep-copied (moto
    copies every item it found, two thirds of a case's Query; the answer is written from them
    within the same request, under the local AWS's one lock, and nothing changes them)."""

    querying = False
    copy = staticmethod(copy.copy)

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        if self.querying and isinstance(value, list):
            return list(value)
        return copy.deepcopy(value, memo)


_query_copies = _QueryResultsNotCopied()


def _partition_query(self: Table, hash_key: DynamoType | None, *args: Any,
                     **kwargs: Any) -> Any:
    on_index = bool(args[6] if len(args) > 6 else kwargs.get("index_name"))
    _querying[id(self)] = None if on_index else hash_key
    _query_copies.querying = True
    try:
        return _query(self, hash_key, *args, **kwargs)
    finally:
        _query_copies.querying = False
        _querying.pop(id(self), None)


# ---------------------------------------------------------------------- DynamoDB's answers
# The service's own item operations (it never scans: a Scan is answered as moto writes it).
ITEM_OPERATIONS = frozenset({"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query",
                             "BatchGetItem", "BatchWriteItem", "TransactGetItems",
                             "TransactWriteItems"})
_shaped = DynamoHandler.serialized


# Members whose shape is a Double: moto may hold a whole number there, its writer says 2.0.
_DOUBLES = frozenset({"CapacityUnits", "ReadCapacityUnits", "WriteCapacityUnits",
                      "SizeEstimateRangeGB"})


def _wire(value: Any) -> Any:
    """An answer as DynamoDB's JSON: binary values in base64, members with no value left out,
    a Double always written as one."""
    if isinstance(value, dict):
        return {key: _double(member) if key in _DOUBLES else _wire(member)
                for key, member in value.items() if member is not None}
    if isinstance(value, list | tuple | set):
        return [_wire(member) for member in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _double(value: Any) -> Any:
    if isinstance(value, list):
        return [_double(member) for member in value]
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


@cache
def _answer_members(operation: str) -> frozenset[str]:
    """What DynamoDB's answer to the operation may hold (moto's results hold more, once)."""
    shape = get_service_model("dynamodb").operation_model(operation).output_shape
    return frozenset(shape.members) if shape is not None else frozenset()


def _items_as_json(self: DynamoHandler, action_result: ActionResult) -> TYPE_RESPONSE:
    result = action_result.result
    operation = self._get_action()
    if not isinstance(result, dict) or operation not in ITEM_OPERATIONS:
        return _shaped(self, action_result)  # errors and the rest as moto writes them
    members = _answer_members(operation)
    answer = _wire({key: value for key, value in result.items() if key in members})
    headers = {"Content-Type": "application/x-amz-json-1.0", **self.response_headers}
    return 200, headers, json.dumps(answer)


def _stream_wire(value: Any) -> Any:
    """A stream record as DynamoDB Streams' JSON: its time in epoch seconds, to the millisecond."""
    if isinstance(value, datetime):
        whole = calendar.timegm(value.timetuple())
        return whole + (value.microsecond // 1000) / 1000.0 if value.microsecond else whole
    if isinstance(value, dict):
        return {key: _stream_wire(member) for key, member in value.items() if member is not None}
    if isinstance(value, list):
        return [_stream_wire(member) for member in value]
    return _wire(value)


_shaped_records = DynamoDBStreamsHandler.serialized


def _records_as_json(self: DynamoDBStreamsHandler, action_result: ActionResult) -> TYPE_RESPONSE:
    result = action_result.result
    if not isinstance(result, dict) or self._get_action() != "GetRecords":
        return _shaped_records(self, action_result)
    headers = {"Content-Type": "application/x-amz-json-1.0", **self.response_headers}
    return 200, headers, json.dumps(_stream_wire(result))


# ---------------------------------------------------------------------- projections
_project_whole = Item.project


def _top_level(path: list[str]) -> str:
    return path[0].split("[", 1)[0]  # "steps[1]" names the attribute "steps"


def _project_named(self: Item, projection_expressions: list[list[str]]) -> Item:
    """moto's projection, each path over only the attribute it names (moto converts the whole
    item for each path; merging one path's answer may change what it was read from)."""
    result: dict[str, Any] = {}
    for path in projection_expressions:
        regular = {key: deserializer.deserialize(self.attrs[key].to_regular_json())
                   for key in {path[0], _top_level(path)} if key in self.attrs}
        merge_dicts(result, find_nested_key(path, regular))
    return Item(hash_key=self.hash_key, range_key=self.range_key,
                attrs=dict(serializer.serialize(result)["M"]))


class _ModuleList:
    """moto's folders, listed once (they do not change while it runs)."""

    def __init__(self, listed: Callable[[], Iterable[str]]) -> None:
        self.listed = listed
        self.names: tuple[str, ...] | None = None

    def __call__(self) -> tuple[str, ...]:
        if self.names is None:
            self.names = tuple(self.listed())
        return self.names


class _PoolKeyReadOnce:
    """What moto's Cognito module sees as `jwk`: every user pool imports the same private key from
    moto's own file, and cryptography checks an RSA key whole on each import (0.2 s a pool, so a
    runtime's start). Here the key is read and checked once per process; every pool signs with it,
    as before. Anything else is joserfc's own."""

    def __init__(self, jwk: Any) -> None:
        self._jwk = jwk
        self.RSAKey = _RSAKeyReadOnce(jwk.RSAKey)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jwk, name)


class _RSAKeyReadOnce:
    def __init__(self, rsa_key: Any) -> None:
        self._rsa_key = rsa_key
        self._keys: dict[str, Any] = {}

    def import_key(self, value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return self._rsa_key.import_key(value, *args, **kwargs)
        text = json.dumps(value, sort_keys=True)
        if text not in self._keys:
            self._keys[text] = self._rsa_key.import_key(value)
        return self._keys[text]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rsa_key, name)


# ---------------------------------------------------------------------- the outbox
def _stamped(init: Callable[..., None]) -> Callable[..., None]:
    if getattr(init, "stamps_sent_at", False):
        return init  # already mended

    def stamp(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.sent_at = datetime.now(UTC).isoformat()

    stamp.stamps_sent_at = True  # type: ignore[attr-defined]
    return stamp


def mend() -> None:
    """Safe to call more than once; what it mends is moto's, for every server in the process."""
    SentEmail.__init__ = _stamped(SentEmail.__init__)  # type: ignore[method-assign]
    SentRawEmail.__init__ = _stamped(SentRawEmail.__init__)  # type: ignore[method-assign]
    SentSms.__init__ = _stamped(SentSms.__init__)  # type: ignore[method-assign]
    dynamodb_models.copy = _CopyAllButTables  # type: ignore[assignment,attr-defined]
    DynamoDBBackend.transact_write_items = _item_by_item_transaction  # type: ignore[method-assign]
    Table.all_items = _items_for_query  # type: ignore[method-assign]
    Table.query = _partition_query  # type: ignore[method-assign]
    dynamodb_table_module.copy = _query_copies  # type: ignore[attr-defined,assignment]
    DynamoHandler.serialized = _items_as_json  # type: ignore[method-assign,assignment]
    DynamoDBStreamsHandler.serialized = _records_as_json  # type: ignore[method-assign,assignment]
    Item.project = _project_named  # type: ignore[method-assign]
    cognito_names = vars(cognito_models)  # its `jwk` is joserfc's, imported by name
    if not isinstance(cognito_names["jwk"], _PoolKeyReadOnce):
        cognito_names["jwk"] = _PoolKeyReadOnce(cognito_names["jwk"])
    if not isinstance(moto_backends.list_of_moto_modules, _ModuleList):
        moto_backends.list_of_moto_modules = _ModuleList(moto_backends.list_of_moto_modules)
