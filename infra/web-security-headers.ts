/**
 * The web app's response headers, one source for the CloudFront response-headers policy
 * (infra/constructs/web-app.ts) and the local server (infra/local/web-app.ts). A strict CSP: the
 * app's own scripts and styles only (no inline code, no eval), API calls to its own origin, and the
 * attachments bucket for the presigned uploads and downloads (an origin of its own).
 */
export function webContentSecurityPolicy(attachmentsOrigin: string, identityProviderOrigin?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' blob: ${attachmentsOrigin}`,
    // The identity provider: discovery and the token endpoint (the cloud's OpenID Connect sign-in).
    `connect-src 'self' ${attachmentsOrigin}${identityProviderOrigin ? ` ${identityProviderOrigin}` : ''}`,
    `frame-src ${attachmentsOrigin}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The other headers, as CloudFront's security-headers settings name them. */
export const WEB_REFERRER_POLICY = 'strict-origin-when-cross-origin';
export const WEB_HSTS_SECONDS = 63_072_000;

export function localWebHeaders(attachmentsOrigin: string): Record<string, string> {
  return {
    'content-security-policy': webContentSecurityPolicy(attachmentsOrigin),
    'referrer-policy': WEB_REFERRER_POLICY,
    'x-frame-options': 'DENY',
  };
}
