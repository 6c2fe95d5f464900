import type * as z from 'zod/mini';
import { ROUTES, type Role, type RouteDef, routeKey } from '#http/routes';
import { FUNCTIONS } from '#infra/functions';
import { identity, writtenRequest } from './fixtures.ts';
import { skeleton } from './zod-shape.ts';

/**
 * The route table as tests see it: everything is derived from ROUTES and the OpenAPI operation
 * docs, so a route added to the table is covered by the fuzz and access tests without edits here.
 * Only valid example bodies are hand-written (an operation without one gets a body of the right
 * shape built from its schema).
 */
export const ALL_ROUTES: readonly RouteDef[] = ROUTES;

export type RestrictedRoute = RouteDef & { access: readonly Role[] };

export const publicRoutes = ALL_ROUTES.filter((r) => r.access === 'public');
export const citizenRoutes = ALL_ROUTES.filter((r) => r.access === 'any');
export const restrictedRoutes = ALL_ROUTES.filter((r): r is RestrictedRoute => Array.isArray(r.access));
export const protectedRoutes = ALL_ROUTES.filter((r) => r.access !== 'public');

export function keyOf(route: RouteDef): string {
  return routeKey(route);
}

export function paramNames(route: RouteDef): string[] {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
}

/** The concrete path, each parameter percent-encoded as a client would send it. */
export function fillPath(route: RouteDef, params: Record<string, string>): string {
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}

export function bodySchemaOf(route: RouteDef): z.ZodMiniType | undefined {
  return route.body?.();
}

export function queryNamesOf(route: RouteDef): string[] {
  return Object.keys(route.query?.().def.shape ?? {});
}

export function isIdempotent(route: RouteDef): boolean {
  return route.idempotent === true;
}

/** The module Lambda runs for the route (infra/functions.ts), relative to the repository. */
export function handlerEntry(route: RouteDef): string {
  return FUNCTIONS[route.fn].entry;
}

/** A role allowed on the route: `citizen` for `any`, the first listed role otherwise. */
export function roleFor(route: RouteDef): Role | undefined {
  if (route.access === 'public') return undefined;
  if (route.access === 'any') return 'citizen';
  return route.access[0];
}

export function callbackRequest() {
  return {
    channel: 'callback' as const,
    type: 'consultation' as const,
    identity: identity(),
    relatedNumber: '7707083893',
    relatedKind: 'inn' as const,
    callback: { phone: '+7 495 123-45-67 доб. 12', description: 'Как заполнить заявление на замену паспорта', note: 'После 18:00' },
  };
}

const EXAMPLES: Record<string, () => unknown[]> = {
  createRequest: () => [writtenRequest(), callbackRequest()],
  addComment: () => [{ text: 'Прошу ускорить рассмотрение, код так и не пришёл.' }],
  answerRequest: () => [{ text: 'Код отправлен повторно, проверьте СМС.' }],
  putProfile: () => [identity()],
  putQueueCalendar: () => [
    {
      hours: { 1: [{ from: '08:00', to: '13:00' }, { from: '14:00', to: '20:00' }], 2: [{ from: '08:00', to: '20:00' }], 6: [{ from: '09:00', to: '18:00' }] },
      slotMinutes: 15,
      capacityPerSlot: 2,
    },
  ],
  putOverride: () => [{ hours: [{ from: '08:00', to: '16:00' }], capacityPerSlot: 1 }, { capacityPerSlot: 5 }],
  verifyConfirmation: () => [{ code: '123456' }],
  fileClaim: () => [{ text: 'Ждал ответа оператора больше 20 минут.' }],
  requestPhoneChange: () => [{ phone: '+7 916 555-12-34' }],
  verifyPhoneChange: () => [{ code: '654321' }],
  createAttachment: () => [
    { fileName: 'Скриншот ошибки.png', contentType: 'image/png', size: 48_213 },
    { fileName: 'заявление.pdf', contentType: 'application/pdf', size: 10 * 1024 * 1024 },
  ],
};

/** A query that makes the operation's GET well-formed (e.g. the slots of the next day). */
export function exampleQuery(route: RouteDef, now = Date.now()): Record<string, string> {
  switch (route.operation) {
    case 'getCallbackSlots':
      return { type: 'technical', from: new Date(now + 3_600_000).toISOString(), to: new Date(now + 86_400_000).toISOString() };
    default:
      return {};
  }
}

/** Valid bodies for the route's operation (none when it takes no body). */
export function exampleBodies(route: RouteDef): unknown[] {
  const schema = bodySchemaOf(route);
  if (!schema) return [];
  return EXAMPLES[route.operation]?.() ?? [skeleton(schema)];
}

export function hasKnownExample(route: RouteDef): boolean {
  return EXAMPLES[route.operation] !== undefined;
}
