import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSettings } from './stacks/settings.ts';
import { EdgeWafStack } from './stacks/edge-waf-stack.ts';
import { SupportCenterStack } from './stacks/support-center-stack.ts';

export interface BuildAppOptions {
  /** An app to build into (tests pass one with context, e.g. to skip bundling). */
  app?: App;
  /** Props for a new App when `app` is not given. */
  appProps?: AppProps;
  /** Run cdk-nag's AwsSolutions pack on synth (default true). */
  nag?: boolean;
}

/**
 * The CDK app: one env-agnostic stack (no region, no account, no lookups), plus the WAF stack
 * in us-east-1 when `edge` is on; cdk-nag on every synth. With an unacknowledged finding `app.synth()` throws, so `npm run synth` is the gate.
 */
export function buildApp(options: BuildAppOptions = {}): { app: App; stack: SupportCenterStack; waf: EdgeWafStack | undefined } {
  const app = options.app ?? new App(options.appProps);
  const settings = readSettings(app);
  const stack = new SupportCenterStack(app, `SupportCenter-${settings.stage}`, {
    settings,
    description: `Support Center backend (${settings.stage}): HTTP API, Lambda, Step Functions, DynamoDB, SMS`,
  });
  // The WebACL of the edge (CloudFront scope: us-east-1 only), deployed first; the main stack takes its ARN.
  const waf = settings.edge
    ? new EdgeWafStack(app, `SupportCenter-${settings.stage}-Waf`, { description: `Support Center (${settings.stage}): AWS WAF in front of the API (CloudFront scope)` })
    : undefined;
  for (const s of [stack, ...(waf ? [waf] : [])]) {
    Tags.of(s).add('project', 'support-center');
    Tags.of(s).add('stage', settings.stage);
  }
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, waf };
}

function isMain(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) buildApp().app.synth();
