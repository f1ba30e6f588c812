// Stand-in for the Node.js managed runtime's bootstrap
// (aws-lambda-nodejs-runtime-interface-client).
//
// This is NOT AWS's runtime interface client. In Lambda, a nodejs22.x
// function is started by /var/runtime/bootstrap, which imports the module
// named by _HANDLER from LAMBDA_TASK_ROOT and runs the Runtime API loop. The
// lambdawaf end-to-end tests of the examples need that loop to run the real
// examples/function-url/handler/index.mjs behind the real agent, so this
// script does the minimum the real client does, with node:http only:
//
//   GET  /2018-06-01/runtime/invocation/next
//   POST /2018-06-01/runtime/invocation/{id}/response   (JSON of the result)
//   POST /2018-06-01/runtime/invocation/{id}/error      (errorMessage/errorType)
//   POST /2018-06-01/runtime/init/error                 (import failures)
//
// against AWS_LAMBDA_RUNTIME_API, which AWS_LAMBDA_EXEC_WRAPPER
// (/opt/lambdawaf-wrapper) has pointed at the agent. It prints one line per
// invocation it receives ({"standin":"node","received":<request id>}) so
// tests can prove which events reached the handler. Async handlers only (the
// example's is), no response streaming.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(method, route, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host, port, method, path: "/2018-06-01" + route, agent, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const errorDocument = (err) =>
  JSON.stringify({
    errorMessage: String(err?.message ?? err),
    errorType: err?.name ?? "Error",
    stackTrace: String(err?.stack ?? "").split("\n").slice(1),
  });

async function loadHandler() {
  const spec = process.env._HANDLER;
  const dot = spec.lastIndexOf(".");
  const base = path.join(process.env.LAMBDA_TASK_ROOT, spec.slice(0, dot));
  const file = [".mjs", ".js", ".cjs"].map((ext) => base + ext).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`Cannot find module ${spec.slice(0, dot)}`);
  const mod = await import(pathToFileURL(file).href);
  const fn = mod[spec.slice(dot + 1)];
  if (typeof fn !== "function") throw new Error(`${spec} is not a function`);
  return fn;
}

function context(requestId, headers) {
  const deadline = Number(headers["lambda-runtime-deadline-ms"] ?? 0);
  return {
    awsRequestId: requestId,
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"] ?? "",
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
  };
}

let handler;
try {
  handler = await loadHandler();
} catch (err) {
  await call("POST", "/runtime/init/error", errorDocument(err), { "lambda-runtime-function-error-type": "Runtime.ImportModuleError" });
  process.exit(1);
}

for (;;) {
  const next = await call("GET", "/runtime/invocation/next");
  const requestId = next.headers["lambda-runtime-aws-request-id"];
  console.log(JSON.stringify({ standin: "node", received: requestId }));
  let body;
  try {
    const result = await handler(JSON.parse(next.body.toString("utf8")), context(requestId, next.headers));
    body = JSON.stringify(result ?? null);
  } catch (err) {
    await call("POST", `/runtime/invocation/${requestId}/error`, errorDocument(err), {
      "lambda-runtime-function-error-type": "Runtime." + (err?.name ?? "Error"),
    });
    continue;
  }
  await call("POST", `/runtime/invocation/${requestId}/response`, body);
}
