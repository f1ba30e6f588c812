"""Orders API behind an API Gateway REST API (payload v1), in Python.

The function runs on a managed runtime, so lambdawaf reaches it through
AWS_LAMBDA_EXEC_WRAPPER=/opt/lambdawaf-wrapper: nothing here knows about the
agent. Blocked requests never reach this code.
"""
import base64
import itertools
import json
import threading

_orders = {}
_lock = threading.Lock()
_ids = itertools.count(1)


def _reply(status, body):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
    }


def handler(event, context):
    method = event.get("httpMethod", "GET")
    path = (event.get("path") or "/").rstrip("/")
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")

    if path == "/orders" and method == "GET":
        customer = (event.get("queryStringParameters") or {}).get("customer")
        with _lock:
            found = [o for o in _orders.values() if customer in (None, o["customer"])]
        return _reply(200, found)
    if path == "/orders" and method == "POST":
        try:
            order = json.loads(body)
        except ValueError:
            return _reply(400, {"message": "body must be a JSON order"})
        if not isinstance(order, dict) or not order.get("customer") or not order.get("items"):
            return _reply(422, {"message": "customer and items are required"})
        with _lock:
            oid = "ord-%d" % next(_ids)
            order.update(id=oid, status="placed")
            _orders[oid] = order
        return _reply(201, order)
    if path.startswith("/orders/") and method == "GET":
        with _lock:
            order = _orders.get(path[len("/orders/"):])
        return _reply(200, order) if order else _reply(404, {"message": "order not found"})
    return _reply(404, {"message": "no such route"})
