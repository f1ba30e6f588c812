"""lambdawaf serve's bootstrap for the Python managed runtimes.

`lambdawaf serve -runtime python3.x` starts this script when AWS's runtime
interface client (the awslambdaric package) is not installed for the
interpreter on PATH. It does what the managed runtime's /var/runtime/bootstrap
does, with the standard library only, over the Runtime API
(https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):

  GET  /2018-06-01/runtime/invocation/next
  POST /2018-06-01/runtime/invocation/{id}/response
  POST /2018-06-01/runtime/invocation/{id}/error
  POST /2018-06-01/runtime/init/error

It imports the handler named by _HANDLER ("module.function", the module
possibly in a sub-directory: "app/api.handler") from LAMBDA_TASK_ROOT, gives
it the documented context object
(https://docs.aws.amazon.com/lambda/latest/dg/python-context.html) and
reports errors in the runtime's format ({"errorMessage", "errorType",
"requestId", "stackTrace"}). AWS_LAMBDA_RUNTIME_API is whatever the exec
wrapper left it: behind lambdawaf, the agent.
"""
import importlib
import json
import os
import sys
import time
import traceback
import urllib.request

API = "http://%s/2018-06-01" % os.environ["AWS_LAMBDA_RUNTIME_API"]


def _post(path, body, headers=None):
    req = urllib.request.Request(API + path, data=body, method="POST", headers=headers or {})
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as resp:
        resp.read()


def _error(exc, request_id="", error_type=None, message=None):
    return json.dumps({
        "errorMessage": message if message is not None else str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(traceback.extract_tb(exc.__traceback__)) if exc else [],
    }).encode()


class CognitoIdentity:
    def __init__(self, doc):
        self.cognito_identity_id = doc.get("cognitoIdentityId")
        self.cognito_identity_pool_id = doc.get("cognitoIdentityPoolId")


class ClientContext:
    def __init__(self, doc):
        self.client = doc.get("client")
        self.custom = doc.get("custom")
        self.env = doc.get("env")


class LambdaContext:
    """The context object of the Python runtime, attribute for attribute."""

    def __init__(self, request_id, headers):
        self.aws_request_id = request_id
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.tenant_id = headers.get("Lambda-Runtime-Aws-Tenant-Id")
        self.identity = None
        self.client_context = None
        if headers.get("Lambda-Runtime-Cognito-Identity"):
            self.identity = CognitoIdentity(json.loads(headers["Lambda-Runtime-Cognito-Identity"]))
        if headers.get("Lambda-Runtime-Client-Context"):
            self.client_context = ClientContext(json.loads(headers["Lambda-Runtime-Client-Context"]))
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def log(self, msg):
        sys.stdout.write(str(msg))
        sys.stdout.flush()


def _init_failure(error_type, message, exc=None):
    _post("/runtime/init/error", _error(exc, error_type=error_type, message=message),
          {"Lambda-Runtime-Function-Error-Type": error_type})
    sys.exit(1)


def load_handler():
    spec = os.environ.get("_HANDLER", "")
    module_path, _, function_name = spec.rpartition(".")
    if not module_path or not function_name:
        _init_failure("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % spec)
    task_root = os.environ["LAMBDA_TASK_ROOT"]
    sys.path.insert(0, task_root)
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as exc:
        _init_failure("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, exc), exc)
    except ImportError as exc:
        _init_failure("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, exc), exc)
    except Exception as exc:
        _init_failure("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, exc), exc)
    handler = getattr(module, function_name, None)
    if handler is None:
        _init_failure("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return handler


def main():
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    handler = load_handler()
    while True:
        with urllib.request.urlopen(API + "/runtime/invocation/next") as resp:
            headers = dict(resp.headers)
            payload = resp.read()
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        if headers.get("Lambda-Runtime-Trace-Id"):
            os.environ["_X_AMZN_TRACE_ID"] = headers["Lambda-Runtime-Trace-Id"]
        try:
            result = handler(json.loads(payload), LambdaContext(request_id, headers))
        except Exception as exc:
            _post("/runtime/invocation/%s/error" % request_id, _error(exc, request_id),
                  {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
            continue
        try:
            body = json.dumps(result).encode()
        except (TypeError, ValueError) as exc:
            _post("/runtime/invocation/%s/error" % request_id,
                  _error(exc, request_id, "Runtime.MarshalError", "Unable to marshal response: %s" % exc),
                  {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})
            continue
        _post("/runtime/invocation/%s/response" % request_id, body)


if __name__ == "__main__":
    main()
