// Handler that exercises the Node.js stand-in runtime (standin_test.go).
export const handler = async (event, context) => {
  if (event.fail) throw new TypeError("asked to fail");
  return {
    echo: event,
    requestId: context.awsRequestId,
    functionArn: context.invokedFunctionArn,
    remainingMs: context.getRemainingTimeInMillis(),
  };
};
