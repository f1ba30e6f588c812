// Handlers that show what the bootstrap gives them: the context object, the
// callback style, and the error document of a rejection.
export const contextFields = async (event, context) => ({
  aws_request_id: context.awsRequestId,
  function_name: context.functionName,
  memory_limit_in_mb: context.memoryLimitInMB,
  invoked_function_arn: context.invokedFunctionArn,
  log_group_name: context.logGroupName,
  remaining_positive: context.getRemainingTimeInMillis() > 0,
  client_custom: context.clientContext?.custom ?? null,
  event,
});

export const callback = (event, context, cb) => {
  setTimeout(() => cb(null, { via: "callback", event }), 5);
};

export const fail = async () => {
  throw new TypeError("no such order");
};
