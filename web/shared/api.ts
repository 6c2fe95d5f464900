import createClient from 'openapi-fetch';
import type { components, paths } from '../api/schema';
import { type Face, clearSession, readSession } from './session.ts';

/**
 * The typed client: openapi-fetch on the types generated from the API's own OpenAPI document
 * (npm run api:types). The app calls its own origin (`/v1/…`: the same CloudFront distribution in
 * the cloud, the local server locally). A 401 ends the session and shows the sign-in again.
 */
export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

export function apiClient(face: Face, onSignedOut: () => void) {
  const client = createClient<paths>({ baseUrl: location.origin });
  client.use({
    onRequest({ request }) {
      const session = readSession(face);
      if (session) request.headers.set('authorization', `Bearer ${session.token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) {
        clearSession(face);
        onSignedOut();
      }
      return response;
    },
  });
  return client;
}

export type ApiClient = ReturnType<typeof apiClient>;
