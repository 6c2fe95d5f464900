import { listOwnNotifications, readAllOwnNotifications, readOwnNotification } from '#core/notifications/notifications';
import { composeDeps, notificationsFromEnv } from '#functions/deps';
import { NotificationIdSchema, NotificationQuerySchema } from './schemas.ts';
import { callerOfRequest, httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/** The citizen's notifications (any authenticated caller, their own `sub` only): the table, nothing else. */
const deps = composeDeps({ notifications: notificationsFromEnv });

export const handler = httpFunction('httpNotifications', {
  async listNotifications(req) {
    const { sub } = callerOfRequest(req);
    const { limit, cursor } = parseWith(NotificationQuerySchema, req.query);
    return { statusCode: 200, body: await listOwnNotifications(deps, sub, limit, cursor) };
  },
  async readNotification(req) {
    const { sub } = callerOfRequest(req);
    return { statusCode: 200, body: await readOwnNotification(deps, sub, parseWith(NotificationIdSchema, req.params.id, 'id')) };
  },
  async readAllNotifications(req) {
    const { sub } = callerOfRequest(req);
    return { statusCode: 200, body: await readAllOwnNotifications(deps, sub) };
  },
});
