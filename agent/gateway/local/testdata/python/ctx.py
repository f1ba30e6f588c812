"""Handlers that show what the bootstrap gives them: the context object and
the error document of an exception."""


def context_fields(event, context):
    return {
        "aws_request_id": context.aws_request_id,
        "function_name": context.function_name,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "invoked_function_arn": context.invoked_function_arn,
        "log_group_name": context.log_group_name,
        "remaining_positive": context.get_remaining_time_in_millis() > 0,
        "client_custom": context.client_context.custom if context.client_context else None,
        "event": event,
    }


def fail(event, context):
    raise ValueError("no such order")
