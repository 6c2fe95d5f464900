/**
 * The workspace's sections, in the navigation's order. Each is a path under /ops/ and a page:
 * the callback queue, "Входящие" (GET /v1/ops/inbox/{queue}: written requests, nearest dueBy
 * first) and "Поиск" (GET /v1/ops/search: by request number, phone or call time).
 */
export interface Section {
  path: string;
  label: string;
}

export const SECTIONS: Section[] = [
  { path: '/ops/', label: 'Очередь звонков' },
  { path: '/ops/inbox', label: 'Входящие' },
  { path: '/ops/search', label: 'Поиск' },
];
