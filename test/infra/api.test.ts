import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLE_SCOPES, ROUTES, type RouteDef, routeKey } from '../../functions/http/routes.ts';
import { THROTTLES, throttleClassOf } from '../../infra/constructs/route-throttles.ts';
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

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: the gateway requires the staff scope of its roles, and only on staff routes', (key, route) => {
    const props = routeResources[key]!;
    const staff = route.access !== 'public' && route.access !== 'any' ? route.access.filter((r) => r !== 'citizen') : [];
    if (staff.length === 0) expect(props.AuthorizationScopes).toBeUndefined();
    else expect([...props.AuthorizationScopes].sort()).toEqual(staff.map((r) => ROLE_SCOPES[r as keyof typeof ROLE_SCOPES]).sort());
  });

  it('every operator and admin route carries a scope: no staff route is left to the function alone', () => {
    const staffRoutes = routes.filter((r) => /^\/v1\/(ops|admin)\//.test(r.path));
    expect(staffRoutes.length).toBeGreaterThan(0);
    for (const r of staffRoutes) expect(routeResources[routeKey(r)]!.AuthorizationScopes, routeKey(r)).toEqual(expect.arrayContaining([expect.stringMatching(/^support-center\//)]));
  });

  it('throttles each route of the table on its own, stricter on the code routes and on filing a request', () => {
    const { id: stageId, props } = onlyResource(built.template, 'AWS::ApiGatewayV2::Stage');
    const settings = props.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual(routes.map(routeKey).sort());
    const limitOf = (key: string) => settings[key]!;
    const codeRoutes = ['POST /v1/calls/{callId}/confirmation', 'POST /v1/calls/{callId}/confirmation/verify', 'POST /v1/profile/phone', 'POST /v1/profile/phone/verify'];
    for (const key of codeRoutes) expect(limitOf(key)).toEqual({ ThrottlingRateLimit: THROTTLES.code.rateLimit, ThrottlingBurstLimit: THROTTLES.code.burstLimit });
    expect(limitOf('POST /v1/requests')).toEqual({ ThrottlingRateLimit: THROTTLES.create.rateLimit, ThrottlingBurstLimit: THROTTLES.create.burstLimit });
    for (const r of routes.filter((x) => x.access === 'public')) expect(limitOf(routeKey(r))).toEqual({ ThrottlingRateLimit: THROTTLES.public.rateLimit, ThrottlingBurstLimit: THROTTLES.public.burstLimit });
    // Stricter means stricter than an ordinary route, and the public routes together stay under one.
    const ordinary = limitOf('GET /v1/requests');
    for (const key of [...codeRoutes, 'POST /v1/requests']) expect(limitOf(key).ThrottlingRateLimit).toBeLessThan(ordinary.ThrottlingRateLimit);
    const publicTotal = routes.filter((x) => x.access === 'public').reduce((sum, r) => sum + limitOf(routeKey(r)).ThrottlingRateLimit, 0);
    expect(publicTotal).toBeLessThan(ordinary.ThrottlingRateLimit);
    expect(limitOf('POST /v1/calls/{callId}/confirmation/verify').ThrottlingRateLimit).toBeLessThan(limitOf('POST /v1/requests').ThrottlingRateLimit);
    // Route settings name routes by key: the stage is deployed after every route exists.
    const stage = resourcesOf(built.template, 'AWS::ApiGatewayV2::Stage')[stageId]!;
    const routeIds = Object.keys(resourcesOf(built.template, 'AWS::ApiGatewayV2::Route'));
    expect(stage.DependsOn as string[]).toEqual(expect.arrayContaining(routeIds));
  });

  it('classifies throttles from the route table: public by access, the rest by route key', () => {
    expect(throttleClassOf({ method: 'GET', path: '/v1/unknown', access: 'public' })).toBe('public');
    expect(throttleClassOf({ method: 'GET', path: '/v1/unknown', access: 'any' })).toBe('default');
    expect(throttleClassOf({ method: 'POST', path: '/v1/profile/phone/verify', access: 'any' })).toBe('code');
  });

  it('logs access to a log group and throttles by default', () => {
    const { props } = onlyResource(built.template, 'AWS::ApiGatewayV2::Stage');
    expect(props.StageName).toBe('$default');
    expect(props.AutoDeploy).toBe(true);
    expect(props.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [logicalIdOf(built.stack, built.stack.api.accessLogs), 'Arn'] });
    expect(JSON.parse(props.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(props.DefaultRouteSettings).toMatchObject({ ThrottlingBurstLimit: THROTTLES.default.burstLimit, ThrottlingRateLimit: THROTTLES.default.rateLimit });
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

  it('accepts only https:// origins for CORS, with a message that names the setting', () => {
    const originsOf = (corsOrigins: unknown) => () => readSettings(new App({ context: { ...cdkJsonContext(), corsOrigins } })).corsOrigins;
    expect(originsOf(['https://portal.example', 'https://ops.portal.example:8443'])()).toEqual(['https://portal.example', 'https://ops.portal.example:8443']);
    expect(originsOf('https://localhost:5173')()).toEqual(['https://localhost:5173']);
    for (const bad of [
      'http://portal.example',
      'http://localhost:5173',
      'https://portal.example, http://portal.example',
      '*',
      'https://*.example',
      'https://portal.example/',
      'https://portal.example/path',
      'HTTPS://PORTAL.EXAMPLE',
      'https://user@portal.example',
      'null',
      ['https://portal.example\n'],
      ['https://portal.example', 42],
    ]) {
      expect(originsOf(bad), JSON.stringify(bad)).toThrow(/CDK context "corsOrigins" must be a non-empty list of https:\/\/ origins/);
    }
  });

  it('takes a CloudFront WebACL ARN or nothing for webAclArn', () => {
    const arnOf = (webAclArn: unknown) => () => readSettings(new App({ context: { ...cdkJsonContext(), webAclArn } })).webAclArn;
    const good = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/SupportCenterApi/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    expect(arnOf(undefined)()).toBeUndefined();
    expect(arnOf(good)()).toBe(good);
    // A regional WebACL cannot be attached to CloudFront.
    expect(arnOf(good.replace('us-east-1', 'eu-central-1'))).toThrow(/webAclArn/);
    expect(arnOf(good.replace('global/', 'regional/'))).toThrow(/webAclArn/);
    expect(arnOf('not-an-arn')).toThrow(/webAclArn/);
  });
});
