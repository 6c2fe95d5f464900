import { contacts } from '#core/contacts/centre';
import { openApiDocument } from './openapi.ts';
import { httpFunction } from './stack.ts';

/** Routes that need no token. */
let document: unknown;

export const handler = httpFunction('httpPublic', {
  async getContacts() {
    // Live queue figures arrive with callbacks; until then every queue reports none waiting.
    return { statusCode: 200, body: contacts([]) };
  },
  async getOpenApi() {
    document ??= openApiDocument();
    return { statusCode: 200, body: document };
  },
});
