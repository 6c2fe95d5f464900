import { apiClient } from '../shared/api.ts';

/** The operator's API client; a 401 signs out (App listens for the event). */
export const SIGNED_OUT = 'ops:signed-out';
export const api = apiClient('operator', () => window.dispatchEvent(new Event(SIGNED_OUT)));
