import { putProfile } from '#core/profiles/put-profile';
import { composeDeps, hasherFromEnv, profilesFromEnv, systemClockFactory } from '#functions/deps';
import { ProfileSchema, UserIdSchema } from './schemas.ts';
import { httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/** Admin routes (role `admin`, checked by the stack from the route table). */
const deps = composeDeps({ profiles: profilesFromEnv, clock: systemClockFactory, hasher: hasherFromEnv });

export const handler = httpFunction('httpAdmin', {
  async putProfile(req) {
    const userId = parseWith(UserIdSchema, req.params.userId, 'userId');
    return putProfile(deps, userId, parseWith(ProfileSchema, req.body));
  },
});
