import * as z from 'zod';

/**
 * The environment, read and validated once. A missing or malformed variable fails at the first
 * use of what needs it, naming the variable, instead of deep inside a request.
 */
const schemas = {
  TABLE_NAME: z.string().min(3),
  INTAKE_STATE_MACHINE_ARN: z.string().min(1),
  NOTICE_STATE_MACHINE_ARN: z.string().min(1),
  /** Cloud: the Secrets Manager secret holding the HMAC key for identity hashes. */
  IDENTITY_KEY_SECRET_ARN: z.string().min(1),
  /** Local runtime and tests: the HMAC key itself. */
  IDENTITY_HASH_KEY: z.string().min(32),
  SMS_SENDER_ID: z.string().regex(/^[A-Za-z0-9]{1,11}$/),
} as const;

export type ConfigName = keyof typeof schemas;

export function config(name: ConfigName, env: NodeJS.ProcessEnv = process.env): string {
  const parsed = schemas[name].safeParse(env[name]);
  if (!parsed.success) {
    throw new Error(`Configuration: environment variable ${name} is missing or invalid (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

export function optionalConfig(name: ConfigName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[name] === undefined || env[name] === '' ? undefined : config(name, env);
}
