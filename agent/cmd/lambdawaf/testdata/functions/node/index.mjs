// A Node.js handler for HTTP API (payload 2.0) events, as in the README's quick start.
export const handler = async (event, context) => {
  const name = event.queryStringParameters?.name ?? "world";
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ hello: name, runtime: "node", requestId: context.awsRequestId }),
  };
};
