import { buildCloudWeb } from '#infra/local/web-app';

/** The infra tests' global setup: the stack's web app asset is the cloud build, made once per run. */
export default async function setup(): Promise<void> {
  await buildCloudWeb();
}
