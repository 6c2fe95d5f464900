import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDef, routeKey } from '../../functions/http/routes.ts';
import { readSettings } from '../../infra/stacks/settings.ts';
import { type Built, buildForTest, cdkJsonContext, logicalIdOf, onlyResource, resourcesOf } from './support.ts';

const ISSUER = 'https://issuer.test.example/realm';
const AUDIENCE = 'audience-from-context';
const ORIGINS = ['https://portal.test.example', 'https://admin.test.example'];
const routes = ROUTES as readonly RouteDef[];

describe('HTTP API, from the route table', () => {
  let built: Built;
  let routeResources: Record<string, Record<string, any>>;
  let authorizerId: string;

  beforeAll(() => {
    built = buildForTest({ context: { jwtIssuer: ISSUER, jwtAudience: AUDIENCE, corsOrigins: ORIGINS } });
    routeResources = Object.fromEntries(
      Object.values(resourcesOf(built.template, 'AWS::ApiGatewayV2::Route')).map((r) => [r.Properties?.RouteKey as string, r.Properties ?? {}]),
    );
    authorizerId = onlyResource(built.template, 'AWS::ApiGatewayV2::Authorizer').id;
  });

  it('has one route per ROUTES entry, with its method and path', () => {
    expect(Object.keys(resourcesOf(built.template, 'AWS::ApiGatewayV2::Route'))).toHaveLength(routes.length);
    expect(Object.keys(routeResources).sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: authorizer matches its access', (key, route) => {
    const props = routeResources[key]!;
    if (route.access === 'public') {
      expect(props.AuthorizationType).toBe('NONE');
      expect(props.AuthorizerId).toBeUndefined();
    } else {
      expect(props.AuthorizationType).toBe('JWT');
      expect(props.AuthorizerId).toEqual({ Ref: authorizerId });
    }
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: goes to the function the route table names', (key, route) => {
    const target = JSON.stringify(routeResources[key]!.Target);
    const integrations = resourcesOf(built.template, 'AWS::ApiGatewayV2::Integration');
    const [integrationId] = Object.keys(integrations).filter((id) => target.includes(`"${id}"`));
    expect(integrationId).toBeDefined();
    const uri = integrations[integrationId!]!.Properties?.IntegrationUri;
    expect(uri).toEqual({ 'Fn::GetAtt': [logicalIdOf(built.stack, built.stack.functions[route.fn].fn), 'Arn'] });
  });

  it('has one integration per function, shared by its routes', () => {
    const integrations = Object.values(resourcesOf(built.template, 'AWS::ApiGatewayV2::Integration'));
    expect(integrations).toHaveLength(new Set(routes.map((r) => r.fn)).size);
    for (const integration of integrations) expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  });

  it('takes the JWT issuer and audience from context', () => {
    const { props } = onlyResource(built.template, 'AWS::ApiGatewayV2::Authorizer');
    expect(props).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: ISSUER, Audience: [AUDIENCE] },
    });
  });

  it('answers CORS preflight for the context origins only', () => {
    const { props } = onlyResource(built.template, 'AWS::ApiGatewayV2::Api');
    expect(props.CorsConfiguration.AllowOrigins).toEqual(ORIGINS);
    expect(props.CorsConfiguration.AllowHeaders).toEqual(expect.arrayContaining(['Authorization', 'Content-Type', 'Idempotency-Key']));
    expect([...props.CorsConfiguration.AllowMethods].sort()).toEqual(['DELETE', 'GET', 'OPTIONS', 'POST', 'PUT']);
    expect(props.CorsConfiguration.AllowCredentials).toBeUndefined();
  });

  it('logs access to a log group and throttles by default', () => {
    const { props } = onlyResource(built.template, 'AWS::ApiGatewayV2::Stage');
    expect(props.StageName).toBe('$default');
    expect(props.AutoDeploy).toBe(true);
    expect(props.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [logicalIdOf(built.stack, built.stack.api.accessLogs), 'Arn'] });
    expect(JSON.parse(props.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(props.DefaultRouteSettings).toMatchObject({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });
  });

  it('outputs the API URL', () => {
    expect(Object.keys(built.template.findOutputs('ApiUrl'))).toEqual(['ApiUrl']);
  });

  it('refuses to synth with a missing or malformed setting, naming it', () => {
    const settingsWith = (context: Record<string, unknown>) => () => readSettings(new App({ context: { ...cdkJsonContext(), ...context } }));
    expect(settingsWith({})).not.toThrow();
    expect(settingsWith({ jwtIssuer: 'http://not-https.example' })).toThrow(/jwtIssuer/);
    expect(settingsWith({ jwtAudience: undefined })).toThrow(/jwtAudience/);
    expect(settingsWith({ corsOrigins: [] })).toThrow(/corsOrigins/);
    expect(settingsWith({ smsSenderId: 'Far-too-long-sender' })).toThrow(/smsSenderId/);
    expect(settingsWith({ corsOrigins: 'https://a.example, https://b.example' })().corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});
