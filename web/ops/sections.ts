/**
 * The workspace's sections, in the navigation's order. Each is a path under /ops/ and a page.
 * Built today on what the API has: the callback queue and a request's actions. The rest of the
 * workspace (issue 15) plugs in here as its routes land, one entry each:
 *   - "Входящие" (GET /v1/ops/inbox/{queue}): the written requests of a queue, nearest dueBy first;
 *   - "Поиск" (GET /v1/ops/search): by request number, phone or call time, replacing OpenById;
 * and the request view (ops/request-page.tsx) gains the full request (GET /v1/ops/requests/{id}),
 * comments, "Вернуть в очередь", extend and forward where it says so.
 */
export interface Section {
  path: string;
  label: string;
}

export const SECTIONS: Section[] = [{ path: '/ops/', label: 'Очередь звонков' }];
