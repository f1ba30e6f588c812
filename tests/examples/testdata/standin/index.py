"""Handler that exercises the Python stand-in runtime (standin_test.go)."""


def handler(event, context):
    if event.get("fail"):
        raise ValueError("asked to fail")
    return {
        "echo": event,
        "requestId": context.aws_request_id,
        "functionArn": context.invoked_function_arn,
        "remainingMs": context.get_remaining_time_in_millis(),
    }
