import { Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface EdgeProps {
  httpApi: IHttpApi;
  /** The CLOUDFRONT-scope WebACL (us-east-1, infra/stacks/edge-waf-stack.ts) that limits each client. */
  webAclArn: string;
  /**
   * The headers CloudFront adds to every request to the API: the origin secret (OriginVerify), as
   * dynamic references resolved at deploy time. Required: an edge whose API still answers without
   * it would be one the execute-api URL bypasses.
   */
  originHeaders: Record<string, string>;
  /** Where the CloudFront log bucket's own server access logs go. */
  serverAccessLogs: IBucket;
  /** The default behaviour (e.g. the web app's bucket); the API's when not given. `/v1/*` is the API's either way. */
  defaultBehavior?: BehaviorOptions;
  /** How long CloudFront's request logs (client IPs: personal data) are kept. */
  logRetention?: Duration;
}

/** API paths: everything the route table serves lives under it. */
export const API_PATH_PATTERN = '/v1/*';

/**
 * CloudFront in front of the HTTP API, with AWS WAF (per-client rate limits and AWS managed rules:
 * HTTP APIs cannot carry a WebACL themselves). A construct of its own so that more behaviours
 * (the web app's bucket) join the same distribution: pass `defaultBehavior`, or call `addBehavior`.
 *
 * The API behaviour caches nothing (CachingDisabled), forwards every viewer header except Host
 * (AllViewerExceptHostHeader: with caching disabled that includes Authorization; API Gateway needs
 * its own Host), every query string and cookie, and allows every method. HTTPS only, both sides.
 * It adds the origin secret (`originHeaders`), so that the functions can refuse whatever did not
 * come through here (functions/http/origin-verify.ts).
 */
export class Edge extends Construct {
  readonly distribution: Distribution;
  readonly logs: Bucket;
  /** The API's behaviour options, for further API path patterns. */
  readonly apiBehavior: BehaviorOptions;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);

    // `https://<id>.execute-api.<region>.amazonaws.com` → the host.
    const apiHost = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    this.apiBehavior = {
      origin: new HttpOrigin(apiHost, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        customHeaders: props.originHeaders,
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      compress: true,
    };

    // CloudFront's standard logs are delivered with an ACL grant: this bucket alone allows ACLs
    // (object writer), still private, SSE-S3 (log delivery cannot use a customer key), SSL only.
    this.logs = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      versioned: false,
      serverAccessLogsBucket: props.serverAccessLogs,
      serverAccessLogsPrefix: 'cloudfront-logs/',
      lifecycleRules: [{ id: 'expire-request-logs', expiration: props.logRetention ?? Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Support Center: the API (and later the web app) behind AWS WAF',
      defaultBehavior: props.defaultBehavior ?? this.apiBehavior,
      additionalBehaviors: { [API_PATH_PATTERN]: this.apiBehavior },
      httpVersion: HttpVersion.HTTP2_AND_3,
      // North America and Europe: the edge locations nearest to Russia are in Europe.
      priceClass: PriceClass.PRICE_CLASS_100,
      enableIpv6: true,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      webAclId: props.webAclArn,
    });

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction by design: citizens use the service from abroad too (and through VPNs); abuse is limited per client ' +
        'by the WebACL (rate rules, IP reputation), not by country.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution answers on its *.cloudfront.net name, whose default certificate CloudFront serves with TLSv1 allowed and ' +
        'no minimum can be set; a custom domain with an ACM certificate and TLS 1.2 minimum is a deployment step (README, Deploying).',
    });
  }

  /** Another path pattern on the same distribution (a second origin, or more API paths). */
  addBehavior(pathPattern: string, behavior: BehaviorOptions): void {
    const { origin, ...options } = behavior;
    this.distribution.addBehavior(pathPattern, origin, options);
  }
}
