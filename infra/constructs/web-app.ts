import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  type IDistribution,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { WEB_HSTS_SECONDS, webContentSecurityPolicy } from '../web-security-headers.ts';

export interface WebAppProps {
  /** The cloud build of web/ (`npm run build:web -- --cloud`: no local sign-in). */
  assetDir: string;
  /** The attachments bucket: the app uploads to and opens files from it straight (presigned URLs). */
  attachments: IBucket;
  /** Where this bucket's server access logs go. */
  serverAccessLogs: IBucket;
  /** The portal's OpenID Connect provider (its issuer URL) and the app's client id there: /config.json. */
  oidc: { issuer: string; clientId: string };
}

/**
 * The web app's files: a private bucket (no public access, no ACLs, SSL only) that only CloudFront
 * reads, through origin access control. Its behaviour (the distribution's default; the API keeps
 * `/v1/*`) is HTTPS only, compressed, cached by the hashed file names, and answers with a strict
 * Content-Security-Policy (infra/web-security-headers.ts, the same the local server sends). A
 * CloudFront Function maps each face's page paths to its index.html, so the API's own 403s and
 * 404s are never rewritten (a distribution-wide error response would).
 */
export class WebApp extends Construct {
  readonly bucket: Bucket;
  readonly behavior: BehaviorOptions;
  readonly headers: ResponseHeadersPolicy;
  private readonly assetDir: string;
  /** /config.json: what the cloud build reads at sign-in (web/shared/cloud-sign-in.tsx). */
  readonly config: { oidc: { issuer: string; clientId: string; scope: string } };

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    this.assetDir = props.assetDir;
    this.config = { oidc: { issuer: props.oidc.issuer, clientId: props.oidc.clientId, scope: 'openid' } };
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.serverAccessLogs,
      serverAccessLogsPrefix: 'web-app/',
      // Built files, redeployed from the repository at any time.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const attachmentsOrigin = `https://${props.attachments.bucketRegionalDomainName}`;
    this.headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Support Center web app: strict CSP and security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: webContentSecurityPolicy(attachmentsOrigin, new URL(props.oidc.issuer).origin), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(WEB_HSTS_SECONDS), includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    const pages = new CloudFrontFunction(this, 'Pages', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Page paths of the citizen app and the workspace to their index.html',
      code: FunctionCode.fromInline(PAGES_FUNCTION),
    });

    this.behavior = {
      origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: this.headers,
      compress: true,
      functionAssociations: [{ function: pages, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
  }

  /** Uploads the build once the distribution exists, and invalidates what it caches. */
  deploy(distribution: IDistribution): BucketDeployment {
    const deployment = new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(this.assetDir, { exclude: ['.vite', '.vite/**', '.built-from'] }), Source.jsonData('config.json', this.config)],
      destinationBucket: this.bucket,
      distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 256,
    });
    // The provider (function and role) is the CDK's own, one per stack beside it: its findings, by name.
    const stack = Stack.of(this);
    const provider = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (provider) {
      const bucketArn = stack.getLogicalId(this.bucket.node.defaultChild as CfnElement);
      const wildcard = 'The CDK BucketDeployment provider copies the build from the CDK asset bucket and replaces (and prunes) every key of the web app bucket: its grants are the ones BucketDeployment defines.';
      Validations.of(provider).acknowledge(
        { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'The CDK BucketDeployment provider: the managed policy gives only its own log permissions.' },
        ...['Resource::*', 'Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*', `Resource::<${bucketArn}.Arn>/*`, 'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*'].map(
          (finding) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason: wildcard }),
        ),
        { id: 'AwsSolutions-L1', reason: 'The CDK BucketDeployment provider picks its own Python runtime (with the AWS CLI layer); it runs only during deployments.' },
      );
    }
    return deployment;
  }
}

/**
 * CloudFront Functions JavaScript (2.0 runtime): a path with a file extension is a file; any other
 * path under /ops is the workspace's page, and any other the citizen's.
 */
export const PAGES_FUNCTION = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (/\\.[A-Za-z0-9]+$/.test(uri)) return request;
  request.uri = uri === '/ops' || uri.indexOf('/ops/') === 0 ? '/ops/index.html' : '/index.html';
  return request;
}`;
