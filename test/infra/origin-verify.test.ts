import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../functions/http/origin-verify.ts';
import { ROUTES, type RouteDef } from '../../functions/http/routes.ts';
import { FUNCTIONS, type FunctionId } from '../../infra/functions.ts';
import { readSettings } from '../../infra/stacks/settings.ts';
import { type Built, TEST_WEB_ACL_ARN, buildForTest, cdkJsonContext, logicalIdOf, onlyResource, resourcesOf } from './support.ts';

/**
 * The origin secret: CloudFront sends it to the API, every route handler requires it, so the
 * execute-api URL does not skip the WAF (functions/http/origin-verify.ts).
 */
const ids = Object.keys(FUNCTIONS) as FunctionId[];
const routeFns = new Set<string>((ROUTES as readonly RouteDef[]).map((r) => r.fn));
const httpIds = ids.filter((id) => routeFns.has(id));
const otherIds = ids.filter((id) => !routeFns.has(id));
const VERSION = '6f1c2b3a-4d5e-4f60-8a71-92b3c4d5e6f7';
const PREVIOUS = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** `{{resolve:secretsmanager:<the secret>:SecretString:::<version>}}` as the template writes it. */
const dynamicReference = (secretId: string, versionId = '') => ({ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, `:SecretString:::${versionId}}}`]] });

function environmentOf(built: Built, id: FunctionId): Record<string, unknown> {
  const fn = resourcesOf(built.template, 'AWS::Lambda::Function')[logicalIdOf(built.stack, built.stack.functions[id].fn)];
  return (fn?.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
}

function apiOriginOf(built: Built): Record<string, any> {
  const config = onlyResource(built.template, 'AWS::CloudFront::Distribution').props.DistributionConfig;
  const origins = (config.Origins as any[]).filter((o) => o.CustomOriginConfig);
  expect(origins).toHaveLength(1);
  return origins[0];
}

/** Every resource whose properties mention the secret, by logical id. */
function resourcesReferring(built: Built, secretId: string): string[] {
  const all = built.template.toJSON().Resources as Record<string, { Properties?: unknown }>;
  return Object.entries(all)
    .filter(([, r]) => JSON.stringify(r.Properties ?? {}).includes(JSON.stringify({ Ref: secretId })))
    .map(([id]) => id)
    .sort();
}

describe('the origin secret (webAclArn set)', () => {
  let built: Built;
  let secretId: string;
  beforeAll(() => {
    built = buildForTest({ context: { webAclArn: TEST_WEB_ACL_ARN } });
    secretId = logicalIdOf(built.stack, built.stack.originVerify!.secret);
  });

  it('is a Secrets Manager secret the stack generates: 64 letters and digits, no rotation schedule, deleted with the stack', () => {
    const secret = resourcesOf(built.template, 'AWS::SecretsManager::Secret')[secretId];
    expect(secret?.Properties?.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false });
    expect(secret?.DeletionPolicy).toBe('Delete');
    expect(secretId).not.toBe(logicalIdOf(built.stack, built.stack.data.identityKey));
    expect(Object.keys(resourcesOf(built.template, 'AWS::SecretsManager::RotationSchedule'))).toEqual([]);
  });

  it("CloudFront's API origin sends it as x-origin-verify, a dynamic reference to that secret; the web app's origin does not", () => {
    expect(apiOriginOf(built).OriginCustomHeaders).toEqual([{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: dynamicReference(secretId) }]);
    const config = onlyResource(built.template, 'AWS::CloudFront::Distribution').props.DistributionConfig;
    for (const origin of (config.Origins as any[]).filter((o) => !o.CustomOriginConfig)) expect(origin.OriginCustomHeaders).toBeUndefined();
  });

  it.each(httpIds)('%s (behind a route) gets the same reference in ORIGIN_VERIFY, and no previous value', (id) => {
    const env = environmentOf(built, id);
    expect(env.ORIGIN_VERIFY).toEqual(dynamicReference(secretId));
    expect(env).not.toHaveProperty('ORIGIN_VERIFY_PREVIOUS');
  });

  it.each(otherIds)('%s (a task, the reconciler or the upload check) does not get it', (id) => {
    const env = environmentOf(built, id);
    expect(env).not.toHaveProperty('ORIGIN_VERIFY');
    expect(env).not.toHaveProperty('ORIGIN_VERIFY_PREVIOUS');
  });

  it('nothing else refers to the secret: the distribution and the route handlers only (no grant, no policy); one output names its ARN', () => {
    const expected = [onlyResource(built.template, 'AWS::CloudFront::Distribution').id, ...httpIds.map((id) => logicalIdOf(built.stack, built.stack.functions[id].fn))].sort();
    expect(resourcesReferring(built, secretId)).toEqual(expected);
    const outputs = Object.entries(built.template.toJSON().Outputs as Record<string, { Value: unknown }>).filter(([, o]) => JSON.stringify(o).includes(secretId));
    expect(outputs).toEqual([['OriginVerifySecretArn', expect.objectContaining({ Value: { Ref: secretId } })]]);
  });

  it('the distribution is updated after every route handler (a new value is accepted before CloudFront sends it)', () => {
    const distribution = resourcesOf(built.template, 'AWS::CloudFront::Distribution')[onlyResource(built.template, 'AWS::CloudFront::Distribution').id]!;
    expect(distribution.DependsOn).toEqual(expect.arrayContaining(httpIds.map((id) => logicalIdOf(built.stack, built.stack.functions[id].fn))));
  });
});

describe('rotating the origin secret', () => {
  it('pins the version CloudFront sends and the functions accept, and lets them accept the previous one meanwhile', () => {
    const built = buildForTest({ context: { webAclArn: TEST_WEB_ACL_ARN, originVerifyVersion: VERSION, originVerifyPreviousVersion: PREVIOUS } });
    const secretId = logicalIdOf(built.stack, built.stack.originVerify!.secret);
    expect(apiOriginOf(built).OriginCustomHeaders).toEqual([{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: dynamicReference(secretId, VERSION) }]);
    for (const id of httpIds) {
      expect(environmentOf(built, id).ORIGIN_VERIFY, id).toEqual(dynamicReference(secretId, VERSION));
      expect(environmentOf(built, id).ORIGIN_VERIFY_PREVIOUS, id).toEqual(dynamicReference(secretId, PREVIOUS));
    }
    for (const id of otherIds) expect(Object.keys(environmentOf(built, id)).filter((k) => k.startsWith('ORIGIN_VERIFY')), id).toEqual([]);
  });

  it('refuses a previous version alone, the same version twice, a version without CloudFront and a malformed one, by name', () => {
    const settingsWith = (context: Record<string, unknown>) => () => readSettings(new App({ context: { ...cdkJsonContext(), ...context } }));
    expect(settingsWith({ webAclArn: TEST_WEB_ACL_ARN, originVerifyPreviousVersion: PREVIOUS })).toThrow(/originVerifyPreviousVersion/);
    expect(settingsWith({ webAclArn: TEST_WEB_ACL_ARN, originVerifyVersion: VERSION, originVerifyPreviousVersion: VERSION })).toThrow(/originVerifyPreviousVersion/);
    expect(settingsWith({ originVerifyVersion: VERSION })).toThrow(/originVerifyVersion.*webAclArn/);
    expect(settingsWith({ webAclArn: TEST_WEB_ACL_ARN, originVerifyVersion: 'AWSCURRENT' })).toThrow(/originVerifyVersion/);
    expect(settingsWith({ webAclArn: TEST_WEB_ACL_ARN, originVerifyVersion: `${VERSION}}}` })).toThrow(/originVerifyVersion/);
    expect(settingsWith({ webAclArn: TEST_WEB_ACL_ARN, originVerifyVersion: VERSION })().originVerifyVersion).toBe(VERSION);
  });
});

describe('without webAclArn (no CloudFront: the execute-api URL is the only address)', () => {
  it('there is no origin secret and no function requires one', () => {
    const built = buildForTest();
    expect(built.stack.originVerify).toBeUndefined();
    expect(Object.keys(resourcesOf(built.template, 'AWS::SecretsManager::Secret'))).toEqual([logicalIdOf(built.stack, built.stack.data.identityKey)]);
    for (const id of ids) expect(Object.keys(environmentOf(built, id)).filter((k) => k.startsWith('ORIGIN_VERIFY')), id).toEqual([]);
  });
});
