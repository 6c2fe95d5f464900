import { CachePolicy } from 'aws-cdk-lib/aws-cloudfront';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDef, routeKey } from '../../functions/http/routes.ts';
import { API_PATH_PATTERN } from '../../infra/constructs/edge.ts';
import { WAF_LIMITS, pathRegex, sensitiveRoutes } from '../../infra/stacks/edge-waf-stack.ts';
import { type Built, TEST_WEB_ACL_ARN, buildForTest, logicalIdOf, onlyResource, resourcesOf } from './support.ts';

// AWS managed CloudFront policies, by their fixed ids.
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

describe('CloudFront + WAF in front of the API (webAclArn set)', () => {
  let built: Built;
  let config: Record<string, any>;
  beforeAll(() => {
    built = buildForTest({ context: { webAclArn: TEST_WEB_ACL_ARN } });
    config = onlyResource(built.template, 'AWS::CloudFront::Distribution').props.DistributionConfig;
  });

  it('attaches the WebACL from context', () => {
    expect(config.WebACLId).toBe(TEST_WEB_ACL_ARN);
  });

  it('sends /v1/* to the API origin over HTTPS only, TLS 1.2, with the API host (not the viewer Host); the rest is the web app', () => {
    expect(config.Origins).toHaveLength(2);
    const origin = (config.Origins as any[]).find((o) => o.CustomOriginConfig);
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    // The host part of the API's own endpoint, resolved at deploy time.
    expect(JSON.stringify(origin.DomainName)).toContain(logicalIdOf(built.stack, built.stack.api.httpApi));
    expect(config.CacheBehaviors.map((b: any) => b.PathPattern)).toEqual([API_PATH_PATTERN]);
    for (const b of config.CacheBehaviors) {
      expect(b.TargetOriginId).toBe(origin.Id);
      expect(b.ViewerProtocolPolicy).toBe('https-only');
    }
    expect(config.DefaultCacheBehavior.TargetOriginId).not.toBe(origin.Id);
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('https-only');
  });

  it('caches no API response, forwards Authorization and every header but Host, allows every method the API has', () => {
    for (const b of config.CacheBehaviors) {
      expect(b.CachePolicyId).toBe(CACHING_DISABLED);
      expect(b.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
      expect(b.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']));
      for (const method of new Set((ROUTES as readonly RouteDef[]).map((r) => r.method))) expect(b.AllowedMethods).toContain(method);
    }
  });

  it('logs requests to a private bucket that expires them', () => {
    expect(config.Logging.Bucket).toBeDefined();
    const logsId = logicalIdOf(built.stack, built.stack.edge!.logs);
    const bucket = resourcesOf(built.template, 'AWS::S3::Bucket')[logsId]!.Properties!;
    expect(bucket.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.LifecycleConfiguration.Rules).toEqual(expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 90, Status: 'Enabled' })]));
  });

  it('outputs the edge URL', () => {
    expect(Object.keys(built.template.findOutputs('EdgeUrl'))).toEqual(['EdgeUrl']);
  });

  it('takes more behaviours on the same distribution (for the web app)', () => {
    const edge = built.stack.edge!;
    expect(typeof edge.addBehavior).toBe('function');
    expect(edge.apiBehavior.cachePolicy).toBe(CachePolicy.CACHING_DISABLED);
  });
});

describe('without webAclArn', () => {
  it('there is no distribution (none that would limit nobody)', () => {
    const built = buildForTest();
    expect(built.stack.edge).toBeUndefined();
    expect(Object.keys(resourcesOf(built.template, 'AWS::CloudFront::Distribution'))).toEqual([]);
  });
});

describe('the WebACL stack (us-east-1, CLOUDFRONT scope)', () => {
  let built: Built;
  let acl: Record<string, any>;
  beforeAll(() => {
    built = buildForTest();
    acl = onlyResource(built.wafTemplate, 'AWS::WAFv2::WebACL').props;
  });

  it('is in us-east-1, as AWS requires for CloudFront, and outputs its ARN', () => {
    expect(built.waf.region).toBe('us-east-1');
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    expect(Object.keys(built.wafTemplate.findOutputs('WebAclArn'))).toEqual(['WebAclArn']);
  });

  const ruleNamed = (name: string) => (acl.Rules as any[]).find((r) => r.Name === name);

  it('limits each IP, answering 429 problem+json with Retry-After', () => {
    const rule = ruleNamed('RequestsPerIp');
    expect(rule.Statement.RateBasedStatement).toMatchObject({ Limit: WAF_LIMITS.perIp, AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
    expect(rule.Statement.RateBasedStatement.ScopeDownStatement).toBeUndefined();
    expect(rule.Action.Block.CustomResponse).toMatchObject({ ResponseCode: 429, ResponseHeaders: [{ Name: 'Retry-After', Value: '300' }] });
    const body = acl.CustomResponseBodies[rule.Action.Block.CustomResponse.CustomResponseBodyKey];
    expect(JSON.parse(body.Content)).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('limits each IP harder on the code routes and on filing a request, matched from the route table', () => {
    const rule = ruleNamed('CodesAndNewRequestsPerIp');
    const rate = rule.Statement.RateBasedStatement;
    expect(rate.Limit).toBe(WAF_LIMITS.sensitivePerIp);
    expect(rate.Limit).toBeLessThan(WAF_LIMITS.perIp);
    expect(rule.Priority).toBeLessThan(ruleNamed('RequestsPerIp').Priority);
    const matchers = (rate.ScopeDownStatement.OrStatement.Statements as any[]).map((s) => ({
      method: s.AndStatement.Statements[0].ByteMatchStatement.SearchString as string,
      regex: new RegExp(s.AndStatement.Statements[1].RegexMatchStatement.RegexString as string),
    }));
    const matched = (method: string, path: string) => matchers.some((m) => m.method === method && m.regex.test(path));
    expect(sensitiveRoutes().map(routeKey).sort()).toEqual([
      'POST /v1/calls/{callId}/confirmation',
      'POST /v1/calls/{callId}/confirmation/verify',
      'POST /v1/profile/phone',
      'POST /v1/profile/phone/verify',
      'POST /v1/requests',
    ]);
    for (const [method, path] of [
      ['POST', '/v1/calls/01JCALL/confirmation'],
      ['POST', '/v1/calls/01JCALL/confirmation/verify'],
      ['POST', '/v1/profile/phone'],
      ['POST', '/v1/profile/phone/verify'],
      ['POST', '/v1/requests'],
    ] as const) expect(matched(method, path), `${method} ${path}`).toBe(true);
    for (const [method, path] of [
      ['GET', '/v1/requests'],
      ['GET', '/v1/calls/01JCALL/confirmation'],
      ['POST', '/v1/requests/01JREQ/comments'],
      ['POST', '/v1/calls/a/b/confirmation'],
      ['POST', '/v1/profile/phone/verify/extra'],
    ] as const) expect(matched(method, path), `${method} ${path}`).toBe(false);
  });

  it('pathRegex anchors a route path and takes one segment per parameter', () => {
    expect(pathRegex('/v1/calls/{callId}/confirmation')).toBe('^/v1/calls/[^/]+/confirmation$');
  });

  it('runs the AWS managed groups chosen, counting (not blocking) the 8 KB body limit', () => {
    const groups = (acl.Rules as any[]).filter((r) => r.Statement.ManagedRuleGroupStatement).map((r) => r.Statement.ManagedRuleGroupStatement);
    expect(groups.map((g) => g.Name).sort()).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    const common = groups.find((g) => g.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    // Every rule reports metrics; priorities are unique.
    const priorities = (acl.Rules as any[]).map((r) => r.Priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    for (const r of acl.Rules as any[]) expect(r.VisibilityConfig.CloudWatchMetricsEnabled).toBe(true);
  });
});
