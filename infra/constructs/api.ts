import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type HttpFunction, ROUTES, type RouteDef, routeKey, routeScopes } from '../../functions/http/routes.ts';
import { THROTTLES, routeThrottles } from './route-throttles.ts';

export interface ApiProps {
  functions: Record<HttpFunction, IFunction>;
  jwtIssuer: string;
  jwtAudience: string;
  corsOrigins: string[];
  logRetention?: RetentionDays;
  /** The customer managed key of the access logs. */
  encryptionKey: IKey;
}

/** Fields of one access log line: ids, route and outcome; no headers, no bodies, no token claims. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

/**
 * The HTTP API, built from the route table (functions/http/routes.ts): one route per entry, the JWT
 * authorizer on every route that is not `public`, one Lambda integration per function. Staff routes
 * also require their OAuth scope (`routeScopes`): the gateway itself refuses a citizen's token there,
 * whatever its `roles` claim says. Each route has its own throttle (route-throttles.ts).
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Support Center: requests, callbacks, SMS confirmation',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS],
        exposeHeaders: ['Location', 'Retry-After', 'X-Correlation-Id'],
        maxAge: Duration.hours(1),
      },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention ?? RetentionDays.THREE_MONTHS, encryptionKey: props.encryptionKey });
    // `$default`: the API's URL has no stage path.
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: THROTTLES.default,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      jwtAudience: [props.jwtAudience],
      identitySource: ['$request.header.Authorization'],
    });

    const integrations = new Map<HttpFunction, HttpLambdaIntegration>();
    const integrationOf = (fn: HttpFunction): HttpLambdaIntegration => {
      let integration = integrations.get(fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${fn}Integration`, props.functions[fn]);
        integrations.set(fn, integration);
      }
      return integration;
    };

    const cfnStage = this.stage.node.defaultChild as CfnStage;
    for (const route of ROUTES as readonly RouteDef[]) {
      const isPublic = route.access === 'public';
      const scopes = routeScopes(route);
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationOf(route.fn),
        authorizer: isPublic ? new HttpNoneAuthorizer() : this.authorizer,
        ...(scopes.length > 0 ? { authorizationScopes: scopes } : {}),
      });
      if (!httpRoute) throw new Error(`no route built for ${routeKey(route)}`);
      // Route settings name routes by key: the stage must be updated after the routes exist.
      cfnStage.node.addDependency(httpRoute);
      if (isPublic) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (access 'public' in functions/http/routes.ts): ${route.summary}; it reads no personal data.`,
        });
      }
    }
    // A JSON property: CloudFormation's own (PascalCase) names, not converted by CDK.
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(routeThrottles()).map(([key, t]) => [key, { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit }]),
    );
  }

  get url(): string {
    return this.stage.url;
  }
}
