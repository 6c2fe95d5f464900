/**
 * Reads a Secrets Manager secret through the AWS Parameters and Secrets Lambda Extension (a layer
 * that serves and caches secrets on localhost), so functions carry no Secrets Manager SDK client.
 * The extension authenticates callers with the function's own session token.
 */
export async function secretFromExtension(secretId: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const token = env.AWS_SESSION_TOKEN;
  if (!token) throw new Error('AWS_SESSION_TOKEN is not set: the secrets extension only runs inside Lambda');
  const response = await fetch(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, {
    headers: { 'X-Aws-Parameters-Secrets-Token': token },
  });
  if (!response.ok) throw new Error(`the secrets extension answered ${response.status}`);
  const body = (await response.json()) as { SecretString?: string };
  if (!body.SecretString) throw new Error('the identity key secret has no string value');
  return body.SecretString;
}
