import type { CentreConfig } from '#core/scheduling/centre-config';
import type { Stores } from '#ports/stores';
import { memoryAttachmentStore } from './memory-attachment-store.ts';
import { memoryCalendarStore } from './memory-calendar-store.ts';
import { memoryCallStore } from './memory-call-store.ts';
import { memoryCodeStore } from './memory-code-store.ts';
import { memoryProfileStore } from './memory-profile-store.ts';
import { memoryReconcileStore } from './memory-reconcile-store.ts';
import { memoryRequestStore } from './memory-request-store.ts';
import { memorySlotStore } from './memory-slot-store.ts';
import { type MemoryTable, memoryTable } from './memory-table.ts';
import { memoryNotificationStore } from './memory-notification-store.ts';
import { memoryWorkspaceStore } from './memory-workspace-store.ts';

export interface MemoryStores extends Stores {
  /** The shared state behind every part, with the test helpers (snapshot, addComment, idempotencyRecord). */
  table: MemoryTable;
}

/** Every part of the store over one in-memory table, as the DynamoDB parts share one table. */
export function memoryStores(table: MemoryTable = memoryTable(), seed?: CentreConfig): MemoryStores {
  return {
    table,
    profiles: memoryProfileStore(table),
    requests: memoryRequestStore(table),
    slots: memorySlotStore(table),
    calls: memoryCallStore(table),
    codes: memoryCodeStore(table),
    attachments: memoryAttachmentStore(table),
    reconcile: memoryReconcileStore(table),
    calendar: memoryCalendarStore(table, seed),
    notifications: memoryNotificationStore(),
    workspace: memoryWorkspaceStore(table),
  };
}
