import * as oauth from 'oauth4webapi';

/**
 * Sign-in in the cloud: OpenID Connect authorization code with PKCE (S256) against the portal's
 * identity provider, through oauth4webapi, as a public client (no secret in a browser). The access
 * token it returns is what the API's JWT authorizer checks; the app reads its claims (roles,
 * queues) only to show the right face, never to decide what is allowed. Configured by
 * /config.json, which the CDK stack writes from context (jwtIssuer, oidcClientId).
 */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  scope: string;
}

/** What survives the round trip to the provider (sessionStorage in the browser). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface OidcSession {
  token: string;
  user: string;
  roles: string[];
  queues?: string[];
  returnTo: string;
}

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

const PENDING = 'support-center:oidc-pending';

/** Tests talk to a fake provider over plain http on loopback; the app never sets this. */
export interface OidcOptions {
  insecureForTests?: boolean;
}

function requestOptions(options: OidcOptions) {
  return options.insecureForTests ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(config: OidcConfig, options: OidcOptions): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, requestOptions(options)));
}

/** The provider's authorization URL to send the browser to; the PKCE verifier, state and nonce wait in `store`. */
export async function beginSignIn(config: OidcConfig, redirectUri: string, returnTo: string, store: KeyValueStore, options: OidcOptions = {}): Promise<string> {
  const as = await discover(config, options);
  if (!as.authorization_endpoint) throw new Error('the identity provider names no authorization endpoint');
  const pending: Pending = { verifier: oauth.generateRandomCodeVerifier(), state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), returnTo };
  store.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  return url.href;
}

/** The claims of a JWT's payload, unverified (the API verifies it; the app only reads names). */
function payloadOf(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * Back from the provider at `callbackUrl`: checks the state, trades the code and the PKCE
 * verifier for tokens, checks the ID token (issuer, audience, expiry, nonce). Throws on any
 * mismatch; the pending sign-in is spent either way.
 */
export async function completeSignIn(config: OidcConfig, callbackUrl: URL, redirectUri: string, store: KeyValueStore, options: OidcOptions = {}): Promise<OidcSession> {
  const raw = store.getItem(PENDING);
  store.removeItem(PENDING);
  if (!raw) throw new Error('no sign-in is pending in this tab');
  const pending = JSON.parse(raw) as Pending;
  const as = await discover(config, options);
  const client: oauth.Client = { client_id: config.clientId };
  const params = oauth.validateAuthResponse(as, client, callbackUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, pending.verifier, requestOptions(options));
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  const idToken = oauth.getValidatedIdTokenClaims(result);
  if (!idToken) throw new Error('the identity provider returned no ID token');
  const access = payloadOf(result.access_token);
  const queues = strings(access.queues);
  return { token: result.access_token, user: idToken.sub, roles: strings(access.roles), ...(queues.length > 0 ? { queues } : {}), returnTo: pending.returnTo };
}
