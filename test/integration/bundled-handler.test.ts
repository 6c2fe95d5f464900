import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ESBUILD_OPTIONS } from '#infra/bundling';
import { FUNCTIONS } from '#infra/functions';
import { resolveFromRepo } from '#infra/local/local-paths';
import { identity } from '../support/fixtures.ts';
import { TEST_HASH_KEY, freshTable } from '../support/integration.ts';

/**
 * The bundle as deployed (minified, SDK bundled, credential chain aliased to the environment
 * provider) really talks to DynamoDB with the credentials Lambda puts in the environment.
 */
/** What Lambda and the stack would set: the table, DynamoDB Local as its endpoint, credentials in the environment. */
function setLambdaEnvironment(tableName: string, extra: Record<string, string>): void {
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ...extra,
  });
}

describe('a deployed-shape bundle', () => {
  const out = mkdtempSync(join(tmpdir(), 'bundle-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('serves PUT /v1/admin/profiles against DynamoDB Local with environment credentials', async () => {
    const { client, tableName } = await freshTable();
    const outfile = join(out, 'index.mjs');
    const built = await build({ ...ESBUILD_OPTIONS, entryPoints: [resolveFromRepo(FUNCTIONS.httpAdmin.entry)], outfile, metafile: true, logLevel: 'error' });
    const inputs = Object.keys(built.metafile.inputs);
    expect(inputs.some((f) => f.includes('credential-provider-env'))).toBe(true);
    expect(inputs.filter((f) => /credential-provider-(node|sso|ini|web-identity)|nested-clients/.test(f))).toEqual([]);
    setLambdaEnvironment(tableName, { IDENTITY_HASH_KEY: TEST_HASH_KEY });
    const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }> };
    const result = await handler(
      {
        version: '2.0',
        routeKey: 'PUT /v1/admin/profiles/{userId}',
        rawPath: '/v1/admin/profiles/bundled-user',
        headers: { 'content-type': 'application/json' },
        pathParameters: { userId: 'bundled-user' },
        requestContext: { requestId: 'r1', authorizer: { jwt: { claims: { sub: 'admin-1', roles: '[admin]', scope: 'support-center/admin' }, scopes: null } } },
        body: JSON.stringify(identity()),
        isBase64Encoded: false,
      },
      { getRemainingTimeInMillis: () => 10_000 },
    );
    expect(result.statusCode).toBe(201);
    const stored = await client.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: 'USER#bundled-user' }, SK: { S: 'PROFILE' } } }));
    expect(stored.Item?.phone?.S).toBe('+79123456789');
    expect(JSON.stringify(stored.Item)).not.toContain('11223344595');
  });

  it('refuses a call without the origin secret when ORIGIN_VERIFY is set, and serves one with it (as behind CloudFront)', async () => {
    const { tableName } = await freshTable();
    const secret = 'b'.repeat(20) + '0123456789abcdefABCDEF0123456789abcdefABCD';
    const outfile = join(out, 'public.mjs');
    await build({ ...ESBUILD_OPTIONS, entryPoints: [resolveFromRepo(FUNCTIONS.httpPublic.entry)], outfile, logLevel: 'error' });
    setLambdaEnvironment(tableName, { ORIGIN_VERIFY: secret });
    try {
      // Read at import, as at a cold start.
      const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }> };
      const call = (headers: Record<string, string>) =>
        handler(
          { version: '2.0', routeKey: 'GET /v1/contacts', rawPath: '/v1/contacts', headers, requestContext: { requestId: 'r2' }, isBase64Encoded: false },
          { getRemainingTimeInMillis: () => 10_000 },
        );
      const refused = await call({});
      expect(refused.statusCode).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ status: 403, code: 'forbidden' });
      expect((await call({ 'x-origin-verify': secret.toLowerCase() })).statusCode).toBe(403);
      expect((await call({ 'x-origin-verify': secret })).statusCode).toBe(200);
    } finally {
      delete process.env.ORIGIN_VERIFY;
    }
  });
});
