import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type CentreConfig, DEFAULT_CENTRE_CONFIG } from '#core/scheduling/centre-config';
import type { Stores } from '#ports/stores';
import { dynamoAttachmentStore } from './attachment-store.ts';
import { dynamoCalendarStore } from './calendar-store.ts';
import { dynamoCallStore } from './call-store.ts';
import { dynamoCodeStore } from './code-store.ts';
import { dynamoProfileStore } from './profile-store.ts';
import { dynamoReconcileStore } from './reconcile-store.ts';
import { dynamoRequestStore } from './request-store.ts';
import { dynamoSlotStore } from './slot-store.ts';
import { type Table, tableClient } from './table-client.ts';
import { dynamoNotificationStore } from './notification-store.ts';
import { dynamoWorkspaceStore } from './workspace-store.ts';

/** Every part of the single table over one shared client (tests and tools; functions build only the parts they use). */
export function dynamoStores(client: DynamoDBClient, tableName: string, seed: CentreConfig = DEFAULT_CENTRE_CONFIG): Stores {
  return storesOver(tableClient(client, tableName), seed);
}

/** `seed`: the calendar a fresh table starts from. */
export function storesOver(table: Table, seed: CentreConfig = DEFAULT_CENTRE_CONFIG): Stores {
  return {
    profiles: dynamoProfileStore(table),
    requests: dynamoRequestStore(table),
    slots: dynamoSlotStore(table),
    calls: dynamoCallStore(table),
    codes: dynamoCodeStore(table),
    attachments: dynamoAttachmentStore(table),
    reconcile: dynamoReconcileStore(table),
    calendar: dynamoCalendarStore(table, seed),
    notifications: dynamoNotificationStore(table),
    workspace: dynamoWorkspaceStore(table),
  };
}
