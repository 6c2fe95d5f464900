import { aesSealer, cryptoOtpRandom, hmacHasher } from '#adapters/system';
import { DEFAULT_CENTRE_CONFIG } from '#core/scheduling/centre-config';
import type { Deps } from '#ports/deps';
import { type FixedClock, fixedClock } from './fixed-clock.ts';
import { type MemoryMetrics, memoryMetrics } from './memory-metrics.ts';
import { type MemoryObjects, memoryObjects } from './memory-objects.ts';
import { type MemorySms, memorySms } from './memory-sms.ts';
import { type MemoryStores, memoryStores } from './memory-stores.ts';
import { type MemoryWorkflows, memoryWorkflows } from './memory-workflows.ts';
import { type SequenceIds, sequenceIds } from './sequence-ids.ts';

/** The HMAC key of unit tests: fixed, so hashes are reproducible, and obviously not a real secret. */
export const TEST_HASH_KEY = 'unit-test-identity-hash-key-0123456789abcdef';

/** A full set of in-memory dependencies; the concrete types stay visible for assertions. */
export interface MemoryDeps extends Deps, MemoryStores {
  sms: MemorySms;
  workflows: MemoryWorkflows;
  clock: FixedClock;
  ids: SequenceIds;
  presigner: MemoryObjects;
  objects: MemoryObjects;
  metrics: MemoryMetrics;
}

export function memoryDeps<O extends Partial<Deps> = Record<never, never>>(overrides?: O): Omit<MemoryDeps, keyof O> & O {
  const clock = (overrides?.clock as FixedClock | undefined) ?? fixedClock();
  // One fake bucket behind both ports, as the real bucket is behind both adapters.
  const bucket = memoryObjects();
  const base: MemoryDeps = {
    ...memoryStores(),
    sms: memorySms(clock),
    workflows: memoryWorkflows(),
    clock,
    ids: sequenceIds(),
    hasher: hmacHasher(async () => TEST_HASH_KEY),
    sealer: aesSealer(async () => TEST_HASH_KEY),
    otpRandom: cryptoOtpRandom,
    presigner: bucket,
    objects: bucket,
    metrics: memoryMetrics(),
    centre: DEFAULT_CENTRE_CONFIG,
  };
  return { ...base, ...overrides } as unknown as Omit<MemoryDeps, keyof O> & O;
}
