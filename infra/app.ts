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
 * The CDK app: one env-agnostic stack (no region, no account, no lookups), and the WebACL's stack
 * in us-east-1 (AWS requires CloudFront's WebACLs there); cdk-nag on every synth. With an unacknowledged finding `app.synth()` throws, so `npm run synth` is the gate.
 */
export function buildApp(options: BuildAppOptions = {}): { app: App; stack: SupportCenterStack; waf: EdgeWafStack } {
  const app = options.app ?? new App(options.appProps);
  const settings = readSettings(app);
  const stack = new SupportCenterStack(app, `SupportCenter-${settings.stage}`, {
    settings,
    description: `Support Center backend (${settings.stage}): HTTP API, Lambda, Step Functions, DynamoDB, SMS`,
  });
  // The WebACL of the edge (CloudFront scope: us-east-1 only). Always in the app, so it can be
  // deployed first; the main stack takes its ARN (`-c webAclArn=...`) and then builds CloudFront.
  const waf = new EdgeWafStack(app, `SupportCenter-${settings.stage}-Waf`, {
    description: `Support Center (${settings.stage}): AWS WAF in front of the API (CloudFront scope)`,
  });
  for (const s of [stack, waf]) {
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

if (isMain()) {
  // The stack deploys the cloud build of the web app (no local sign-in): built afresh for each synth.
  const { buildCloudWeb } = await import('./local/web-app.ts');
  await buildCloudWeb();
  buildApp().app.synth();
}
