import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { ROUTES, type RouteDef } from '../../functions/http/routes.ts';
import { throttleClassOf } from '../constructs/route-throttles.ts';

/**
 * Requests one client (one IP) may send in any 5 minutes. Russian mobile carriers put many
 * subscribers behind one address (CGNAT), so the general limit is generous (5 a second on
 * average); the routes that send an SMS or check a code get a stricter one: a citizen needs a few.
 */
export const WAF_LIMITS = { perIp: 1500, sensitivePerIp: 100, windowSeconds: 300 } as const;

/** The routes the stricter per-IP limit covers: the stricter throttle classes of the route table. */
export function sensitiveRoutes(): RouteDef[] {
  return (ROUTES as readonly RouteDef[]).filter((r) => throttleClassOf(r) === 'code' || throttleClassOf(r) === 'create');
}

/** A route path as an anchored regex: `{param}` is one path segment. */
export function pathRegex(path: string): string {
  return `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`;
}

const TOO_MANY = 'too-many-requests';

/**
 * The CLOUDFRONT-scope WebACL in front of the API. AWS requires such a WebACL in us-east-1, so it
 * is a stack of its own there; the main stack (any region, env-agnostic) attaches it by ARN
 * (`-c webAclArn=...`, this stack's `WebAclArn` output): no cross-region references, synth stays offline.
 */
export class EdgeWafStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { ...props, env: { ...props.env, region: 'us-east-1' } });

    const visibility = (name: string) => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });
    const block429 = { block: { customResponse: { responseCode: 429, customResponseBodyKey: TOO_MANY, responseHeaders: [{ name: 'Retry-After', value: String(WAF_LIMITS.windowSeconds) }] } } };
    const managed = (priority: number, name: string, overrides: string[] = []): CfnWebACL.RuleProperty => ({
      name: `Aws-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(overrides.length > 0 ? { ruleActionOverrides: overrides.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
        },
      },
      visibilityConfig: visibility(`Aws-${name}`),
    });
    const sensitive = sensitiveRoutes().map((r) => ({
      andStatement: {
        statements: [
          { byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: r.method, textTransformations: [{ priority: 0, type: 'NONE' }] } },
          { regexMatchStatement: { fieldToMatch: { uriPath: {} }, regexString: pathRegex(r.path), textTransformations: [{ priority: 0, type: 'NONE' }] } },
        ],
      },
    }));

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Support Center API: per-client rate limits and AWS managed rules',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('SupportCenterApi'),
      customResponseBodies: {
        [TOO_MANY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ type: 'https://support-center.example/problems/rate_limited', title: 'Too many requests', status: 429, code: 'rate_limited' }),
        },
      },
      rules: [
        {
          name: 'CodesAndNewRequestsPerIp',
          priority: 0,
          action: block429,
          statement: {
            rateBasedStatement: {
              limit: WAF_LIMITS.sensitivePerIp,
              evaluationWindowSec: WAF_LIMITS.windowSeconds,
              aggregateKeyType: 'IP',
              scopeDownStatement: sensitive.length === 1 ? sensitive[0] : { orStatement: { statements: sensitive } },
            },
          },
          visibilityConfig: visibility('CodesAndNewRequestsPerIp'),
        },
        {
          name: 'RequestsPerIp',
          priority: 1,
          action: block429,
          statement: { rateBasedStatement: { limit: WAF_LIMITS.perIp, evaluationWindowSec: WAF_LIMITS.windowSeconds, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RequestsPerIp'),
        },
        // Addresses AWS threat intelligence knows for bots and attacks.
        managed(2, 'AWSManagedRulesAmazonIpReputationList'),
        // Injection, traversal, XSS probes. Its 8 KB body limit would refuse a legitimate comment
        // (5,000 Cyrillic characters are 10 KB of UTF-8): counted, not blocked; the API caps bodies itself.
        managed(3, 'AWSManagedRulesCommonRuleSet', ['SizeRestrictions_BODY']),
        // Known-bad request patterns (Log4Shell, bad Host headers, ...).
        managed(4, 'AWSManagedRulesKnownBadInputsRuleSet'),
        // Not the anonymous-IP list: many citizens reach the portal through VPNs.
      ],
    });

    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn, description: 'Pass to the main stack: -c webAclArn=<this>' });
  }
}
