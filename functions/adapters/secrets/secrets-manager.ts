import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Reads a secret's string once per cold start (the caller caches the promise). */
export async function secretsManagerValue(secretId: string): Promise<string> {
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString) throw new Error('the identity key secret has no string value');
  return out.SecretString;
}
