"""Stand-in for the Python managed runtime's bootstrap (awslambdaric).

This is NOT AWS's runtime interface client. In Lambda, a python3.x function
is started by /var/runtime/bootstrap, which loads the module named by
_HANDLER from LAMBDA_TASK_ROOT and runs the Runtime API loop. The lambdawaf
end-to-end tests of the examples need that loop to run the real
examples/rest-api/handler/index.py behind the real agent, so this script does
the minimum the real client does, over plain urllib:

  GET  /2018-06-01/runtime/invocation/next
  POST /2018-06-01/runtime/invocation/{id}/response   (JSON of the result)
  POST /2018-06-01/runtime/invocation/{id}/error      (errorMessage/errorType)
  POST /2018-06-01/runtime/init/error                 (import failures)

against AWS_LAMBDA_RUNTIME_API, which AWS_LAMBDA_EXEC_WRAPPER
(/opt/lambdawaf-wrapper) has pointed at the agent. It prints one line per
invocation it receives ({"standin":"python","received":<request id>}) so
tests can prove which events reached the handler. Standard library only.
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


def _error_document(exc):
    return json.dumps({
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "stackTrace": traceback.format_tb(exc.__traceback__),
    }).encode()


class Context:
    """The attributes of the context object handlers commonly use."""

    def __init__(self, request_id, headers):
        self.aws_request_id = request_id
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def load_handler():
    module_name, _, function_name = os.environ["_HANDLER"].rpartition(".")
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    return getattr(importlib.import_module(module_name), function_name)


def main():
    try:
        handler = load_handler()
    except Exception as exc:  # the real client reports init errors the same way
        _post("/runtime/init/error", _error_document(exc),
              {"Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError"})
        sys.exit(1)
    while True:
        with urllib.request.urlopen(API + "/runtime/invocation/next") as resp:
            request_id = resp.headers["Lambda-Runtime-Aws-Request-Id"]
            headers = dict(resp.headers)
            payload = resp.read()
        print(json.dumps({"standin": "python", "received": request_id}, separators=(",", ":")), flush=True)
        try:
            result = handler(json.loads(payload), Context(request_id, headers))
            body = json.dumps(result).encode()
        except Exception as exc:
            _post("/runtime/invocation/%s/error" % request_id, _error_document(exc),
                  {"Lambda-Runtime-Function-Error-Type": "Runtime." + type(exc).__name__})
            continue
        _post("/runtime/invocation/%s/response" % request_id, body)


if __name__ == "__main__":
    main()
