import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSettings } from './stacks/settings.ts';
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
 * The CDK app: one env-agnostic stack (no region, no account, no lookups), cdk-nag on every
 * synth. With an unacknowledged finding `app.synth()` throws, so `npm run synth` is the gate.
 */
export function buildApp(options: BuildAppOptions = {}): { app: App; stack: SupportCenterStack } {
  const app = options.app ?? new App(options.appProps);
  const settings = readSettings(app);
  const stack = new SupportCenterStack(app, `SupportCenter-${settings.stage}`, {
    settings,
    description: `Support Center backend (${settings.stage}): HTTP API, Lambda, Step Functions, DynamoDB, SMS`,
  });
  Tags.of(stack).add('project', 'support-center');
  Tags.of(stack).add('stage', settings.stage);
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
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
