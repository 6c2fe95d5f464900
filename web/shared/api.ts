import createClient from 'openapi-fetch';
import type { components, paths } from '../api/schema';
import { type Face, clearSession, readSession } from './session.ts';

/**
 * The typed client: openapi-fetch on the types generated from the API's own OpenAPI document
 * (npm run api:types). The app calls its own origin (`/v1/…`: the same CloudFront distribution in
 * the cloud, the local server locally). A 401 ends the session and shows the sign-in again.
 */
export type Schemas = components['schemas'];
/** Every problem document the API declares (one schema per `code`, with its extra members). */
type ProblemSchema = Exclude<Extract<keyof Schemas, `${string}Problem`>, 'FieldProblem'>;
/** A problem from the API, or the client's own when the network failed (`status` 0). */
export type Problem = Schemas[ProblemSchema] | { type: 'about:blank'; title: 'network'; status: 0; code: 'network' };

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
