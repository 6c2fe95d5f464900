import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Bundles alias `@aws-sdk/credential-provider-node` to this module (infra/bundling.ts). Lambda
 * always hands a function its role's credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN, so the full default chain (SSO, INI files, STS web identity, IMDS) is dead
 * weight there: dropping it takes about 140 KB off every bundle and its load off every cold start.
 * Unbundled code (the local runtime, tests) keeps the SDK's full chain.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
