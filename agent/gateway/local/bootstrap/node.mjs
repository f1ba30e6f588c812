// lambdawaf serve's bootstrap for the Node.js managed runtimes.
//
// `lambdawaf serve -runtime nodejsNN.x` starts this script when AWS's
// runtime interface client (npm aws-lambda-ric) is not installed. It does
// what the managed runtime's /var/runtime/bootstrap does, with node:http
// only, over the Runtime API
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
//
//   GET  /2018-06-01/runtime/invocation/next
//   POST /2018-06-01/runtime/invocation/{id}/response
//   POST /2018-06-01/runtime/invocation/{id}/error
//   POST /2018-06-01/runtime/init/error
//
// It loads the handler named by _HANDLER ("index.handler", "src/app.main",
// with .mjs, .js or .cjs) from LAMBDA_TASK_ROOT; async, promise and callback
// handlers all work; the context object is the documented one
// (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html); errors
// are reported in the runtime's format ({"errorType", "errorMessage",
// "trace"}). AWS_LAMBDA_RUNTIME_API is whatever the exec wrapper left it:
// behind lambdawaf, the agent.
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

function errorDocument(err, type) {
  const e = err instanceof Error ? err : new Error(typeof err === "string" ? err : JSON.stringify(err));
  return JSON.stringify({
    errorType: type ?? e.name ?? "Error",
    errorMessage: e.message,
    trace: String(e.stack ?? "").split("\n"),
  });
}

async function initFailure(type, err) {
  await call("POST", "/runtime/init/error", errorDocument(err, type), { "lambda-runtime-function-error-type": type });
  process.exit(1);
}

// loadHandler splits _HANDLER as the runtime does: the module is the path up
// to the first dot of the last path segment, the rest a (possibly nested)
// property path.
async function loadHandler() {
  const spec = process.env._HANDLER ?? "";
  const slash = spec.lastIndexOf("/");
  const dot = spec.indexOf(".", slash + 1);
  if (dot < 0) await initFailure("Runtime.MalformedHandlerName", new Error(`Bad handler ${spec}`));
  const modulePath = spec.slice(0, dot);
  const base = path.resolve(process.env.LAMBDA_TASK_ROOT, modulePath);
  const file = [".mjs", ".js", ".cjs"].map((ext) => base + ext).find((f) => fs.existsSync(f));
  if (!file) await initFailure("Runtime.ImportModuleError", new Error(`Error: Cannot find module '${modulePath}'`));
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    await initFailure(err instanceof SyntaxError ? "Runtime.UserCodeSyntaxError" : "Runtime.ImportModuleError", err);
  }
  let fn = mod;
  for (const key of spec.slice(dot + 1).split(".")) {
    fn = fn?.[key] ?? (fn === mod ? mod.default?.[key] : undefined);
  }
  if (typeof fn !== "function") await initFailure("Runtime.HandlerNotFound", new Error(`${spec} is undefined or not exported`));
  return fn;
}

function parseJSON(s) {
  try {
    return s ? JSON.parse(s) : undefined;
  } catch {
    return undefined;
  }
}

// invoke runs the handler once and settles with its result, whichever of
// the three styles it uses: a returned promise, the callback, or the
// context's legacy succeed/fail/done.
function invoke(handler, event, requestId, headers) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err, result) => {
      if (settled) return;
      settled = true;
      if (err !== null && err !== undefined) reject(err);
      else resolve(result);
    };
    const deadline = Number(headers["lambda-runtime-deadline-ms"] ?? 0);
    const context = {
      awsRequestId: requestId,
      invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"] ?? "",
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      identity: parseJSON(headers["lambda-runtime-cognito-identity"]),
      clientContext: parseJSON(headers["lambda-runtime-client-context"]),
      tenantId: headers["lambda-runtime-aws-tenant-id"],
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
      succeed: (result) => done(null, result),
      fail: (err) => done(err ?? new Error("handled")),
      done: (err, result) => done(err, result),
    };
    try {
      const out = handler(event, context, done);
      if (out && typeof out.then === "function") out.then((r) => done(null, r), (e) => done(e ?? new Error("rejected")));
      else if (handler.length < 3) done(null, out);
    } catch (err) {
      done(err);
    }
  });
}

process.on("unhandledRejection", (reason) => {
  console.error(JSON.stringify({ errorType: "Runtime.UnhandledPromiseRejection", errorMessage: String(reason?.message ?? reason) }));
  process.exit(128);
});

const handler = await loadHandler();
for (;;) {
  const next = await call("GET", "/runtime/invocation/next");
  const requestId = next.headers["lambda-runtime-aws-request-id"];
  if (next.headers["lambda-runtime-trace-id"]) process.env._X_AMZN_TRACE_ID = next.headers["lambda-runtime-trace-id"];
  let body;
  try {
    const result = await invoke(handler, JSON.parse(next.body.toString("utf8")), requestId, next.headers);
    body = JSON.stringify(result ?? null);
  } catch (err) {
    const doc = errorDocument(err);
    await call("POST", `/runtime/invocation/${requestId}/error`, doc, {
      "lambda-runtime-function-error-type": JSON.parse(doc).errorType,
    });
    continue;
  }
  await call("POST", `/runtime/invocation/${requestId}/response`, body);
}
