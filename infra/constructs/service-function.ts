import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, ParamsAndSecretsLayerVersion, ParamsAndSecretsLogLevel, ParamsAndSecretsVersions, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { NODEJS_BUNDLING } from '../bundling.ts';
import type { FunctionDef } from '../functions.ts';
import { REPO_ROOT } from './paths.ts';

/**
 * The shell commands that put a function's `files` (copied) and `built` files (written by their
 * build script, e.g. the transcript's font asset) beside its bundle. Exported for the infra test
 * that runs them.
 */
export function afterBundlingCommands(def: Pick<FunctionDef, 'files' | 'built'>, inputDir: string, outputDir: string): string[] {
  return [
    ...Object.entries(def.files ?? {}).map(([from, name]) => `cp "${inputDir}/${from}" "${outputDir}/${name}"`),
    ...Object.entries(def.built ?? {}).map(([name, script]) => `cd "${inputDir}" && node --import tsx "${script}" "${outputDir}/${name}"`),
  ];
}

export interface ServiceFunctionProps {
  def: FunctionDef;
  timeout: Duration;
  environment: Record<string, string>;
  logRetention?: RetentionDays;
  /** The customer managed key of its log group. */
  logKey: IKey;
}

/**
 * One Lambda function of infra/functions.ts: its own role (no AWS managed policy: it may write to
 * its own log group and X-Ray, nothing else until the stack applies the function's grants), its
 * own log group with retention, the shared bundling options.
 */
export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { def } = props;

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.THREE_MONTHS, encryptionKey: props.logKey });

    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group of the account).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${def.description}: grants from infra/functions.ts only`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, def.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: def.description,
      // The latest runtime bundles the AWS SDK in (pinned by package-lock) and satisfies cdk-nag L1.
      runtime: Runtime.NODEJS_LATEST,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      bundling: {
        ...NODEJS_BUNDLING,
        ...(def.files || def.built
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => afterBundlingCommands(def, inputDir, outputDir),
              },
            }
          : {}),
      },
      // Secrets are read through the AWS Parameters and Secrets extension (cached, no SDK client in
      // the bundle: functions/adapters/secrets/secrets-extension.ts); only functions that read one get it.
      ...(def.grants.includes('secret:identity')
        ? {
            paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
              cacheEnabled: true,
              logLevel: ParamsAndSecretsLogLevel.WARN,
            }),
          }
        : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'support-center',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions. ' +
        'No other statement of this role uses Resource::* (test/infra/least-privilege.test.ts holds the actions to infra/functions.ts).',
    });
  }
}
