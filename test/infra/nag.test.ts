import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { TEST_WEB_ACL_ARN, cdkJsonContext } from './support.ts';

/** The app as `npm run synth` builds it (cdk-nag AwsSolutions on), bundling skipped; `edge` adds CloudFront. */
function nagApp(options: { edge?: boolean } = {}): App {
  const app = new App({ context: { ...cdkJsonContext(), ...(options.edge ? { webAclArn: TEST_WEB_ACL_ARN } : {}), 'aws:cdk:bundling-stacks': [] } });
  buildApp({ app });
  return app;
}

function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        // aws-cdk-lib stores the ids with an annotation prefix; cdk-nag strips it the same way.
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason })),
      ),
  );
}

describe('cdk-nag AwsSolutions gate', () => {
  it('the app synthesizes with no unacknowledged finding (warnings included)', () => {
    expect(() => nagApp().synth()).not.toThrow();
  });

  it('with CloudFront and the WebACL in front, too', () => {
    expect(() => nagApp({ edge: true }).synth()).not.toThrow();
  });

  it('the gate works: a non-compliant resource makes synth throw, naming the rule', () => {
    const app = nagApp();
    new Queue(new Stack(app, 'NonCompliant'), 'PlainQueue'); // no DLQ, no SSL-only policy
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS/);
  });

  it.each([false, true])('every acknowledgment names one finding and gives a concrete reason (edge %s)', (edge) => {
    const app = nagApp({ edge });
    const acks = acknowledgments(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(40);
    }
    // Only these rules are ever acknowledged; anything new is a decision to review, not to wave through.
    // CloudFront's: no geo restriction (citizens abroad), TLS of the default *.cloudfront.net certificate;
    // the web app's deployment: the CDK BucketDeployment provider's managed log policy and runtime.
    const edgeRules = edge ? ['AwsSolutions-CFR1', 'AwsSolutions-CFR4'] : [];
    const webRules = edge ? ['AwsSolutions-IAM4'] : [];
    const webRuntime = edge ? ['AwsSolutions-L1'] : [];
    expect([...new Set(acks.map((a) => a.id.replace(/\[.*$/, '')))].sort()).toEqual(['AwsSolutions-APIG4', ...edgeRules, ...webRules, 'AwsSolutions-IAM5', ...webRuntime, 'AwsSolutions-SMG4', 'AwsSolutions-SQS3']);
  });

  it.each([false, true])('no acknowledgment is stale: each one covers a finding that really occurs (edge %s)', (edge) => {
    const app = nagApp({ edge });
    // The same pack with acknowledgments ignored: every raw finding, with the resource it is on.
    const raw = new AwsSolutionsChecks();
    (raw as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const findings = raw.validateScope(app).violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })));
    for (const ack of acknowledgments(app)) {
      const covered = findings.filter((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)));
      expect(covered.length, `${ack.path}: ${ack.id} acknowledges nothing`).toBeGreaterThan(0);
    }
  });
});
