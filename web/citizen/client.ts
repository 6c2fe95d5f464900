import { apiClient } from '../shared/api.ts';

/** The citizen's API client; a 401 signs out (App listens for the event). */
export const SIGNED_OUT = 'app:signed-out';
export const api = apiClient('citizen', () => window.dispatchEvent(new Event(SIGNED_OUT)));
