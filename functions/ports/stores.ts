import type { AttachmentStore } from './stores/attachments.ts';
import type { CalendarStore } from './stores/calendar.ts';
import type { CallStore } from './stores/calls.ts';
import type { CodeStore } from './stores/codes.ts';
import type { ProfileStore } from './stores/profiles.ts';
import type { ReconcileStore } from './stores/reconcile.ts';
import type { RequestStore } from './stores/requests.ts';
import type { SlotStore } from './stores/slots.ts';
import type { NotificationStore } from './stores/notifications.ts';
import type { WorkspaceStore } from './stores/workspace.ts';

/**
 * The single table, split by what it stores (docs/DESIGN.md, "Store parts"): one port per part,
 * one Deps field per part, so a use-case asks for exactly the parts it reads and writes.
 */
export interface Stores {
  profiles: ProfileStore;
  requests: RequestStore;
  slots: SlotStore;
  calls: CallStore;
  codes: CodeStore;
  attachments: AttachmentStore;
  reconcile: ReconcileStore;
  calendar: CalendarStore;
  notifications: NotificationStore;
  workspace: WorkspaceStore;
}

export type StorePart = keyof Stores;
