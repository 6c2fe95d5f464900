import { renderTranscriptPdf } from '#adapters/pdf/transcript-pdf';
import { transcriptOf } from '#core/calls/transcript';
import { composeDeps, requestsFromEnv, callsFromEnv } from '#functions/deps';
import { CallIdSchema } from './schemas.ts';
import { callerOfRequest, httpFunction } from './stack.ts';
import { parseWith } from './validate.ts';

/**
 * The PDF copy of a confirmed call. Its own function: the PDF renderer and its font are heavy,
 * and no other route should pay their cold start.
 */
const deps = composeDeps({ requests: requestsFromEnv, calls: callsFromEnv });

export const handler = httpFunction('httpTranscript', {
  async getTranscript(req) {
    const { sub } = callerOfRequest(req);
    const callId = parseWith(CallIdSchema, req.params.callId, 'callId');
    const pdf = await renderTranscriptPdf(await transcriptOf(deps, sub, callId));
    return {
      statusCode: 200,
      body: pdf,
      headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="call-${callId}.pdf"` },
    };
  },
});
