// Orders lookup behind a Lambda Function URL, in Node.js.
//
// The function runs on a managed runtime, so lambdawaf reaches it through
// AWS_LAMBDA_EXEC_WRAPPER=/opt/lambdawaf-wrapper: nothing here knows about
// the agent. Blocked requests never reach this code.
const orders = new Map([
  ["ord-1", { id: "ord-1", customer: "O'Brien", status: "shipped", total: 42.5 }],
]);

const reply = (statusCode, body) => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export const handler = async (event) => {
  const method = event.requestContext?.http?.method ?? "GET";
  const path = (event.rawPath ?? "/").replace(/\/$/, "");
  if (method === "GET" && path.startsWith("/orders/")) {
    const order = orders.get(path.slice("/orders/".length));
    return order ? reply(200, order) : reply(404, { message: "order not found" });
  }
  if (method === "GET" && path === "/search") {
    const q = (event.queryStringParameters?.q ?? "").toLowerCase();
    return reply(200, [...orders.values()].filter((o) => o.customer.toLowerCase().includes(q)));
  }
  return reply(404, { message: "no such route" });
};
