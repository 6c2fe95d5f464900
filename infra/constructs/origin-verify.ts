import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ConfigName } from '../../functions/config.ts';
import { ORIGIN_VERIFY_HEADER } from '../../functions/http/origin-verify.ts';

export interface OriginVerifyProps {
  /**
   * The secret's version CloudFront sends and the functions accept; the current one when unset.
   * A rotation names the new version here: CloudFormation resolves a dynamic reference again only
   * when its text changes (docs/operations.md, Deploying).
   */
  versionId?: string;
  /** During a rotation only: the version CloudFront sent until now, still accepted by the functions (settings.ts checks the pair). */
  previousVersionId?: string;
}

/**
 * The origin secret between CloudFront and the HTTP API: an HTTP API carries neither a WebACL nor a
 * resource policy, so without it the execute-api URL would skip the WAF. CloudFront sends it as a
 * custom origin header (infra/constructs/edge.ts); every HTTP function gets it in ORIGIN_VERIFY
 * (functions/config.ts) and refuses a request without it (functions/http/origin-verify.ts).
 *
 * Both sides take the value as a CloudFormation dynamic reference, resolved at deploy time: no
 * function reads Secrets Manager at run time, so none needs the secrets extension or a grant for it.
 * The value gates only the bypass; whoever can read a function's configuration can already do more.
 */
export class OriginVerify extends Construct {
  readonly secret: Secret;
  /** `{{resolve:secretsmanager:…}}` of the version in use: the header's value and ORIGIN_VERIFY. */
  readonly value: string;
  /** The same for the previous version, during a rotation. */
  readonly previousValue: string | undefined;

  constructor(scope: Construct, id: string, props: OriginVerifyProps = {}) {
    super(scope, id);

    this.secret = new Secret(this, 'Secret', {
      description: `The ${ORIGIN_VERIFY_HEADER} value CloudFront sends to the Support Center API (resolved at deploy time); see docs/operations.md to rotate it.`,
      // Letters and digits: a header value as it is, and what ORIGIN_VERIFY accepts.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Encrypted with the AWS managed key, like the identity key: only CloudFormation reads it, at deploy.
      // Nothing outlives the stack that needs it (the distribution and the functions go with it).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Both sides take the value at deploy time (dynamic references), so a Secrets Manager rotation alone would change nothing; ' +
        'rotation is a new version named in the stack and a deploy (docs/operations.md, Deploying).',
    });

    const reference = (versionId: string | undefined) => SecretValue.secretsManager(this.secret.secretArn, versionId ? { versionId } : {}).unsafeUnwrap();
    this.value = reference(props.versionId);
    this.previousValue = props.previousVersionId === undefined ? undefined : reference(props.previousVersionId);
  }

  /** What every HTTP function gets. */
  get environment(): Partial<Record<ConfigName, string>> {
    return { ORIGIN_VERIFY: this.value, ...(this.previousValue === undefined ? {} : { ORIGIN_VERIFY_PREVIOUS: this.previousValue }) };
  }

  /** What CloudFront adds to every request it sends to the API. */
  get originHeaders(): Record<string, string> {
    return { [ORIGIN_VERIFY_HEADER]: this.value };
  }
}
