import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_PATH_PATTERN } from '../../infra/constructs/edge.ts';
import { PAGES_FUNCTION } from '../../infra/constructs/web-app.ts';
import { WEB_DIST_CLOUD } from '../../infra/web-paths.ts';
import { type Built, TEST_WEB_ACL_ARN, buildForTest, cdkJsonContext, logicalIdOf, onlyResource, resourcesOf } from './support.ts';

/**
 * The web app in the cloud: the cloud build in a private bucket that only this distribution reads
 * (origin access control), the distribution's default behaviour (the API keeps /v1/*), HTTPS only,
 * a strict CSP, each face's pages mapped to its index.html by a CloudFront Function.
 */
describe('the web app behind CloudFront (webAclArn set)', () => {
  let built: Built;
  let config: Record<string, any>;
  beforeAll(() => {
    built = buildForTest({ context: { webAclArn: TEST_WEB_ACL_ARN } });
    config = onlyResource(built.template, 'AWS::CloudFront::Distribution').props.DistributionConfig;
  });

  it('its bucket is private: no public access, SSL only, readable by this distribution alone (origin access control)', () => {
    const bucketId = logicalIdOf(built.stack, built.stack.webApp!.bucket);
    const bucket = resourcesOf(built.template, 'AWS::S3::Bucket')[bucketId]!.Properties!;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const oac = onlyResource(built.template, 'AWS::CloudFront::OriginAccessControl').props.OriginAccessControlConfig;
    expect(oac).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const policy = Object.values(resourcesOf(built.template, 'AWS::S3::BucketPolicy')).find((p) => p.Properties!.Bucket.Ref === bucketId)!.Properties!.PolicyDocument;
    const statements = policy.Statement as any[];
    expect(statements.find((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBeDefined();
    const reads = statements.filter((s) => s.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0].Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(reads[0].Action).toBe('s3:GetObject');
    expect(JSON.stringify(reads[0].Condition.StringEquals['AWS:SourceArn'])).toContain(logicalIdOf(built.stack, built.stack.edge!.distribution));
    const webOrigin = (config.Origins as any[]).find((o) => o.S3OriginConfig);
    expect(webOrigin.OriginAccessControlId).toBeDefined();
    expect(webOrigin.S3OriginConfig.OriginAccessIdentity).toBe('');
  });

  it('is the default behaviour, HTTPS only, GET and HEAD, compressed; the API keeps /v1/*', () => {
    const web = config.DefaultCacheBehavior;
    const webOrigin = (config.Origins as any[]).find((o) => o.S3OriginConfig);
    expect(web.TargetOriginId).toBe(webOrigin.Id);
    expect(web.ViewerProtocolPolicy).toBe('https-only');
    expect(web.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(web.Compress).toBe(true);
    expect(config.CacheBehaviors.map((b: any) => b.PathPattern)).toEqual([API_PATH_PATTERN]);
  });

  it('answers with a strict Content-Security-Policy and the security headers', () => {
    const { props } = onlyResource(built.template, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: onlyResource(built.template, 'AWS::CloudFront::ResponseHeadersPolicy').id });
    const headers = props.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const part of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) expect(csp).toContain(part);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    // The attachments bucket, for the presigned uploads and downloads.
    expect(csp).toContain(logicalIdOf(built.stack, built.stack.attachments.bucket));
    expect(headers.ContentSecurityPolicy.Override).toBe(true);
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true });
    expect(headers.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(headers.ContentTypeOptions).toMatchObject({ Override: true });
  });

  it('tells the cloud build its OpenID Connect provider (/config.json) and lets it reach it (connect-src)', () => {
    const context = cdkJsonContext();
    expect(built.stack.webApp!.config).toEqual({ oidc: { issuer: context.jwtIssuer, clientId: context.oidcClientId, scope: 'openid' } });
    const deployment = Object.values(resourcesOf(built.template, 'Custom::CDKBucketDeployment'))[0]!.Properties!;
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    const csp = JSON.stringify(onlyResource(built.template, 'AWS::CloudFront::ResponseHeadersPolicy').props);
    expect(csp).toMatch(new RegExp(`connect-src 'self' [^;]*${new URL(context.jwtIssuer as string).origin.replace(/\./g, '\\.')}`));
  });

  it("maps each face's pages to its index.html, and leaves files alone", () => {
    const [fn] = Object.values(resourcesOf(built.template, 'AWS::CloudFront::Function'));
    expect(fn!.Properties!.FunctionCode).toBe(PAGES_FUNCTION);
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    const handler = new Function(`${PAGES_FUNCTION}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    const uri = (path: string) => handler({ request: { uri: path } }).uri;
    expect(uri('/')).toBe('/index.html');
    expect(uri('/requests/abc')).toBe('/index.html');
    expect(uri('/ops')).toBe('/ops/index.html');
    expect(uri('/ops/requests/abc')).toBe('/ops/index.html');
    expect(uri('/assets/citizen-1a2b.js')).toBe('/assets/citizen-1a2b.js');
    expect(uri('/operators')).toBe('/index.html');
  });

  it('deploys the cloud build and invalidates the distribution; that build has no local sign-in', () => {
    const deployment = Object.values(resourcesOf(built.template, 'Custom::CDKBucketDeployment'))[0]!.Properties!;
    expect(deployment.DistributionPaths).toEqual(['/*']);
    expect(deployment.Prune).toBe(true);
    const assets = join(WEB_DIST_CLOUD, 'assets');
    const code = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
    expect(code).toContain('/v1/requests');
    expect(code).not.toContain('/_local/');
  });
});

describe('without webAclArn', () => {
  it('there is no web app bucket either (no distribution to serve it)', () => {
    const built = buildForTest();
    expect(built.stack.webApp).toBeUndefined();
    expect(Object.keys(resourcesOf(built.template, 'Custom::CDKBucketDeployment'))).toEqual([]);
  });
});
