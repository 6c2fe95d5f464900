import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger (Powertools) for every function. Personal data must never reach a log
 * line, so every value is scrubbed on its way out: fields named like personal data are replaced,
 * and any run of six or more digits (SNILS, passport numbers, phones, one-time codes) is masked
 * wherever it hides, including inside error messages and stacks.
 */
const SENSITIVE_KEY = /snils|passport|phone|fullname|^code$|otp|identity|authorization|^token$|^text$|description|^note$|address/i;
const DIGIT_RUN = /(?:\+?\d[\s\-().]{0,5}){6,}/g;
/** Values the service itself generates (times, ids): no personal data can hide there. */
const SAFE_KEYS = new Set(['timestamp', 'correlationId', 'requestId', 'xray_trace_id', 'function_request_id', 'durationMs', 'status']);

export function scrub(text: string): string {
  return text.replace(DIGIT_RUN, '[redacted-digits]');
}

export function scrubValue(key: string, value: unknown): unknown {
  if (SAFE_KEYS.has(key) && typeof value !== 'object') return value;
  // A sensitive key hides its whole value, objects included (a passport object has a short series).
  if (key !== '' && key !== 'message' && key !== 'service' && SENSITIVE_KEY.test(key) && value !== null && value !== undefined) return '[redacted]';
  if (typeof value === 'string') return scrub(value);
  if (value instanceof Error) {
    return { name: value.name, message: scrub(value.message), stack: value.stack ? scrub(value.stack) : undefined };
  }
  return value;
}

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'support-center',
  jsonReplacerFn: (key: string, value: unknown) => scrubValue(key, value),
});
