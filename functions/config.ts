import { en } from 'zod/locales';
import * as z from 'zod/mini';

// Classic zod installs English messages on its own; zod/mini needs them set (they end up below).
// `en` by name, not `z.locales.en`, which would bundle every locale.
if (!z.config().localeError) z.config(en());

/**
 * The environment, read and validated once. A missing or malformed variable fails at the first
 * use of what needs it, naming the variable, instead of deep inside a request. Each schema is built
 * when its variable is read (a function reads a few of them, once, at its cold start).
 */
const schemas = {
  TABLE_NAME: () => z.string().check(z.minLength(3)),
  INTAKE_STATE_MACHINE_ARN: () => z.string().check(z.minLength(1)),
  NOTICE_STATE_MACHINE_ARN: () => z.string().check(z.minLength(1)),
  CONFIRMATION_STATE_MACHINE_ARN: () => z.string().check(z.minLength(1)),
  CALLBACK_STATE_MACHINE_ARN: () => z.string().check(z.minLength(1)),
  /** Cloud: the Secrets Manager secret holding the HMAC key for identity hashes. */
  IDENTITY_KEY_SECRET_ARN: () => z.string().check(z.minLength(1)),
  /** Local runtime and tests: the HMAC key itself. */
  IDENTITY_HASH_KEY: () => z.string().check(z.minLength(32)),
  SMS_SENDER_ID: () => z.string().check(z.regex(/^[A-Za-z0-9]{1,11}$/)),
  /** The attachments bucket (S3 naming rules). */
  ATTACHMENTS_BUCKET: () => z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)),
  /** Set by Lambda (and by the local runtime); the presigner signs for it. */
  AWS_REGION: () => z.string().check(z.regex(/^[a-z]{2}(-[a-z0-9]+)+-\d+$/)),
  /** The SDK's standard endpoint overrides: S3's own, then the global one (local runtime, LocalStack). */
  AWS_ENDPOINT_URL_S3: () => z.url(),
  AWS_ENDPOINT_URL: () => z.url(),
  /** `true`: address the bucket in the path, not the host name (s3rver, most S3 emulators). */
  S3_FORCE_PATH_STYLE: () => z.enum(['true', 'false']),
  /**
   * Cloud, HTTP functions behind CloudFront: the origin secret CloudFront sends in `x-origin-verify`
   * (functions/http/origin-verify.ts). A CloudFormation dynamic reference to the stack's secret,
   * resolved at deploy time into the plain value: an env var rather than a read through the secrets
   * extension (a layer on every HTTP function), because the value only closes the WAF bypass of the
   * execute-api URL; reading a function's configuration takes account credentials, and the value
   * opens no data, only calls anyone may make through CloudFront. Letters and digits
   * only, 32 or more (a short value, or an unresolved `{{resolve:…}}`, fails the cold start). Unset
   * (local runtime, tests, a stack without CloudFront): no check.
   */
  ORIGIN_VERIFY: () => z.string().check(z.regex(/^[A-Za-z0-9]{32,256}$/)),
  /** During a rotation only: the value CloudFront sent before, still accepted (docs/operations.md, Deploying). */
  ORIGIN_VERIFY_PREVIOUS: () => z.string().check(z.regex(/^[A-Za-z0-9]{32,256}$/)),
  /** Optional: a JSON object whose fields replace DEFAULT_CENTRE_CONFIG's (tests: `{"holidays":[]}`). */
  CENTRE_CONFIG: () => z.string().check(z.minLength(2)),
} as const;

export type ConfigName = keyof typeof schemas;

export function config(name: ConfigName, env: NodeJS.ProcessEnv = process.env): string {
  const parsed = schemas[name]().safeParse(env[name]);
  if (!parsed.success) {
    throw new Error(`Configuration: environment variable ${name} is missing or invalid (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

export function optionalConfig(name: ConfigName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[name] === undefined || env[name] === '' ? undefined : config(name, env);
}
