import type { CentreConfig } from '#core/scheduling/centre-config';
import type { Clock } from './clock.ts';
import type { Hasher } from './hasher.ts';
import type { Ids } from './ids.ts';
import type { Metrics } from './metrics.ts';
import type { ObjectStore } from './object-store.ts';
import type { OtpRandom } from './otp-random.ts';
import type { Presigner } from './presigner.ts';
import type { Sealer } from './sealer.ts';
import type { SmsSender } from './sms.ts';
import type { Stores } from './stores.ts';
import type { Workflows } from './workflows.ts';

/**
 * Everything a use-case may reach outside the core. The table's parts (Stores: `profiles`,
 * `requests`, `slots`, `calls`, `codes`, `attachments`, `reconcile`, `calendar`) are fields of their own.
 */
export interface Deps extends Stores {
  sms: SmsSender;
  workflows: Workflows;
  clock: Clock;
  ids: Ids;
  hasher: Hasher;
  sealer: Sealer;
  otpRandom: OtpRandom;
  /** Presigned upload and download URLs of attachments. */
  presigner: Presigner;
  /** The stored attachment files, for the upload check. */
  objects: ObjectStore;
  /** Business metrics (CloudWatch EMF in Lambda). */
  metrics: Metrics;
  /** The centre's calendar: hours, slots, holidays (DEFAULT_CENTRE_CONFIG unless CENTRE_CONFIG overrides it). */
  centre: CentreConfig;
}
