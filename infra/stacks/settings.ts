import type { Construct } from 'constructs';

/**
 * Deployment settings, read once from CDK context (defaults in cdk.json, overridable with
 * `cdk synth -c name=value`) and validated: a missing or malformed value fails the synth with
 * its name instead of producing a broken stack.
 */
export interface Settings {
  /** Issuer of the identity provider's access tokens (`iss`), an https URL. */
  jwtIssuer: string;
  /** Expected `aud` of access tokens. */
  jwtAudience: string;
  /**
   * Browser origins allowed by CORS (the API and the attachments bucket): `https://` only, never
   * `http://` (a page served in clear could be altered in transit and act with the citizen's token),
   * never a wildcard or a path. Development runs against `npm start`, not against a cloud stage.
   */
  corsOrigins: string[];
  /**
   * The ARN of the CloudFront-scope WebACL: the `WebAclArn` output of the `SupportCenter-<stage>-Waf`
   * stack (us-east-1). Set, the API gets CloudFront + AWS WAF in front (per-client rate limits: HTTP
   * APIs cannot carry a WebACL themselves); unset, only the gateway's per-route throttles. One knob,
   * so there is no distribution without its WebACL (it would limit nobody).
   */
  webAclArn: string | undefined;
  /**
   * With `webAclArn`: the version id of the origin secret (infra/constructs/origin-verify.ts) that
   * CloudFront sends and the functions accept; unset, the secret's current version. A rotation sets
   * it to the new version's id, the only way to make CloudFormation resolve the value again.
   */
  originVerifyVersion: string | undefined;
  /** During a rotation only: the version id CloudFront sent until now, still accepted (docs/operations.md, Deploying). */
  originVerifyPreviousVersion: string | undefined;
  /** DynamoDB deletion protection on the single table. */
  deletionProtection: boolean;
  /** Alphanumeric SMS sender id (1–11 characters). */
  smsSenderId: string;
  /** Deployment stage: part of the stack name and a tag. */
  stage: string;
  /**
   * The web app's OpenID Connect client id at the identity provider (`jwtIssuer`): a public client
   * (authorization code with PKCE, no secret), whose redirect URIs are `https://<domain>/auth/callback`
   * and `https://<domain>/ops/auth/callback`.
   */
  oidcClientId: string;
}

export const SETTING_NAMES = ['jwtIssuer', 'jwtAudience', 'corsOrigins', 'webAclArn', 'originVerifyVersion', 'originVerifyPreviousVersion', 'deletionProtection', 'smsSenderId', 'stage', 'oidcClientId'] as const satisfies readonly (keyof Settings)[];

function fail(name: string, why: string): never {
  throw new Error(`CDK context "${name}" ${why} (set it in cdk.json or with -c ${name}=...)`);
}

function text(scope: Construct, name: keyof Settings, pattern: RegExp, why: string): string {
  const value: unknown = scope.node.tryGetContext(name);
  if (typeof value !== 'string' || !pattern.test(value)) fail(name, why);
  return value;
}

function bool(scope: Construct, name: keyof Settings): boolean {
  const value: unknown = scope.node.tryGetContext(name);
  // `-c name=false` arrives as a string.
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(name, 'must be true or false');
}

function list(scope: Construct, name: keyof Settings, pattern: RegExp, why: string): string[] {
  const value: unknown = scope.node.tryGetContext(name);
  // `-c name=a,b` arrives as a string; cdk.json holds an array.
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(items) || items.length === 0 || !items.every((i): i is string => typeof i === 'string' && pattern.test(i))) fail(name, why);
  return items;
}

/** One origin: https, a host (and port), nothing after it: no path, no trailing slash, no wildcard. */
const HTTPS_ORIGIN = /^https:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/;
/** A WAFv2 WebACL of CloudFront scope: it lives in us-east-1 and under `global/`. */
const CLOUDFRONT_WEB_ACL = /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/;
/** A Secrets Manager version id: the ClientRequestToken of put-secret-value (a UUID, or 32-64 such characters). */
const SECRET_VERSION_ID = /^[A-Za-z0-9-]{32,64}$/;

function optionalText(scope: Construct, name: keyof Settings, pattern: RegExp, why: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(name);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) fail(name, why);
  return value;
}

export function readSettings(scope: Construct): Settings {
  const webAclArn = optionalText(scope, 'webAclArn', CLOUDFRONT_WEB_ACL, 'must be the ARN of a CLOUDFRONT-scope WebACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)');
  const versionWhy = 'must be a version id of the origin secret (32-64 letters, digits or -), and is only used with webAclArn';
  const originVerifyVersion = optionalText(scope, 'originVerifyVersion', SECRET_VERSION_ID, versionWhy);
  const originVerifyPreviousVersion = optionalText(scope, 'originVerifyPreviousVersion', SECRET_VERSION_ID, versionWhy);
  if (webAclArn === undefined && originVerifyVersion !== undefined) fail('originVerifyVersion', 'is only used with webAclArn (there is no origin secret without CloudFront)');
  if (originVerifyPreviousVersion !== undefined && (originVerifyVersion === undefined || originVerifyVersion === originVerifyPreviousVersion)) {
    fail('originVerifyPreviousVersion', 'needs originVerifyVersion, set to another version (the new one)');
  }
  return {
    jwtIssuer: text(scope, 'jwtIssuer', /^https:\/\/[^\s]+$/, 'must be an https URL'),
    jwtAudience: text(scope, 'jwtAudience', /^\S+$/, 'must be a non-empty string'),
    corsOrigins: list(scope, 'corsOrigins', HTTPS_ORIGIN, 'must be a non-empty list of https:// origins (lowercase host, optional port, no path), like https://www.example.org'),
    webAclArn,
    originVerifyVersion,
    originVerifyPreviousVersion,
    deletionProtection: bool(scope, 'deletionProtection'),
    // Same rule as functions/config.ts (SMS_SENDER_ID).
    smsSenderId: text(scope, 'smsSenderId', /^[A-Za-z0-9]{1,11}$/, 'must be 1-11 letters or digits'),
    stage: text(scope, 'stage', /^[a-z][a-z0-9-]{0,20}$/, 'must be a short lowercase name like prod'),
    oidcClientId: text(scope, 'oidcClientId', /^[A-Za-z0-9._:-]{1,128}$/, 'must be the client id of the web app at the identity provider (1-128 of A-Z a-z 0-9 . _ : -)'),
  };
}
