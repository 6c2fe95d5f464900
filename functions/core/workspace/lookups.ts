import type { CallStore } from '#ports/stores/calls';
import type { ProfileStore } from '#ports/stores/profiles';
import type { RequestStore } from '#ports/stores/requests';

/** What search reads besides its own indexes: the profiles' phone index, requests and calls. */
export interface SearchLookups {
  profiles: Pick<ProfileStore, 'userByPhone'>;
  requests: Pick<RequestStore, 'getRequest' | 'listRequestsByOwner'>;
  calls: Pick<CallStore, 'getCall' | 'listCallsByOwner' | 'listCallsOfRequest'>;
}
