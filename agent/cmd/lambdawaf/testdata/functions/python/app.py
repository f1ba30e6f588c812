"""A Python handler for HTTP API (payload 2.0) events, as in the README's quick start."""
import json


def handler(event, context):
    name = (event.get("queryStringParameters") or {}).get("name", "world")
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"hello": name, "runtime": "python", "requestId": context.aws_request_id}),
    }
