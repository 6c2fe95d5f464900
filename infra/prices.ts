/**
 * The AWS prices the bench's cost estimate uses (USD, on-demand, us-east-1 list prices as of 2026;
 * other regions differ by a few percent). One file, so an estimate can be redone when they change.
 */
export const PRICES = {
  lambda: {
    /** arm64, per GB-second of billed duration (1 ms granularity). */
    perGbSecond: 0.0000133334,
    perMillionRequests: 0.2,
    memoryGb: 0.25,
  },
  httpApi: { perMillionRequests: 1.0 },
  stepFunctions: {
    standardPerThousandTransitions: 0.025,
    expressPerMillionRequests: 1.0,
    /** Express duration, per GB-second, billed in 64 MB blocks and 100 ms units. */
    expressPerGbSecond: 0.00001667,
  },
  dynamodb: {
    /** On-demand, per million request units. */
    perMillionWriteUnits: 0.625,
    perMillionReadUnits: 0.125,
  },
} as const;

/**
 * Goals of the issues on load and cost, per 1,000 requests, SMS excluded. A written request with a
 * conversation (one question, one reply) has no goal of its own in the issue: twice the plain
 * written request's, since it does about twice the work (two comments, one more notice).
 */
export const COST_GOALS = { writtenPerThousand: 0.05, conversationPerThousand: 0.1, callbackPerThousand: 0.4 } as const;
