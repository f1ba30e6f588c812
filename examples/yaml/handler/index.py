"""Order lookup in Python, protected by lambdawaf through the exec wrapper.

Nothing here knows about the agent: blocked requests never reach this code.
"""
import json


def handler(event, context):
    params = event.get("queryStringParameters") or {}
    order = params.get("id", "")
    return {
        "statusCode": 200 if order else 400,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"id": order} if order else {"error": "id is required"}),
    }
