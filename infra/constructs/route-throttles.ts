import { ROUTES, type RouteDef, type RouteKey, routeKey } from '../../functions/http/routes.ts';

/**
 * API Gateway's per-route throttles (token bucket: steady requests per second, burst). They are
 * account-wide per route, not per client: per-client limits are WAF's (infra/constructs/edge.ts).
 * What they buy is isolation: a flood on one route spends that route's bucket and its function's
 * concurrency, not every route's.
 */
export interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

export const THROTTLES = {
  /** Every route not named below. */
  default: { rateLimit: 100, burstLimit: 200 },
  /**
   * Anonymous reads (contacts, slots, the OpenAPI document): enough for every portal visitor (the
   * contacts page is cached by the browser for a minute), and together well under the default, so
   * an anonymous flood cannot take the Lambda concurrency that signed-in citizens need.
   */
  public: { rateLimit: 30, burstLimit: 60 },
  /**
   * One-time code routes (send a code, verify a code): each send is a paid SMS and each verify a
   * guess. A citizen needs one or two of each per call confirmed or phone changed; 10 per second
   * across the country is far above that and far below an SMS-pumping or guessing campaign.
   */
  code: { rateLimit: 10, burstLimit: 20 },
  /** Filing a request starts a workflow, may book a slot and sends an SMS. */
  create: { rateLimit: 20, burstLimit: 40 },
} as const satisfies Record<string, Throttle>;

export type ThrottleClass = keyof typeof THROTTLES;

/**
 * Routes with a stricter class than their access implies, by route key (the RouteKey type makes a
 * renamed or removed route a compile error here). Public routes are `public` by their access.
 */
const ROUTE_CLASSES: Partial<Record<RouteKey, ThrottleClass>> = {
  'POST /v1/requests': 'create',
  'POST /v1/calls/{callId}/confirmation': 'code',
  'POST /v1/calls/{callId}/confirmation/verify': 'code',
  'POST /v1/profile/phone': 'code',
  'POST /v1/profile/phone/verify': 'code',
};

export function throttleClassOf(route: Pick<RouteDef, 'method' | 'path' | 'access'>): ThrottleClass {
  const named = ROUTE_CLASSES[routeKey(route) as RouteKey];
  if (named !== undefined) return named;
  return route.access === 'public' ? 'public' : 'default';
}

/** The stage's route settings: every route of the table with its throttle, keyed as API Gateway keys routes. */
export function routeThrottles(): Record<string, Throttle> {
  return Object.fromEntries((ROUTES as readonly RouteDef[]).map((r) => [routeKey(r), THROTTLES[throttleClassOf(r)]]));
}
