import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { TABLE } from '../../functions/adapters/dynamodb/table-definition.ts';
import { FUNCTIONS, type FunctionId } from '../../infra/functions.ts';
import { KEY_PREFIXES, type KeyFamily, type StoreCalls, familiesOf, matchesKeyPattern, storeCallPairs, tableAccessOf } from '../../infra/key-prefixes.ts';
import { REPO } from './support.ts';

/** Key builders that return a string which is not a partition key value. */
const NOT_PARTITIONS = new Set(['requestIdOf']);
const PARTITION_ATTRIBUTES = [TABLE.partitionKey, ...TABLE.indexes.map((i) => i.partitionKey)];


/** Every partition value keys.ts can build, with the builder and the attribute it lands in. */
function partitionValues(): { builder: string; attribute: string; value: string }[] {
  const out: { builder: string; attribute: string; value: string }[] = [];
  for (const [builder, def] of Object.entries(keys)) {
    if (NOT_PARTITIONS.has(builder)) continue;
    // Arguments that look like what callers pass; any string would do, `#` inside one included.
    const result: unknown = typeof def === 'function' ? (def as (...a: string[]) => unknown)(...Array.from({ length: def.length }, (_, i) => `arg${i}#x`)) : def;
    if (typeof result === 'string') out.push({ builder, attribute: 'partition', value: result });
    else if (result && typeof result === 'object') {
      for (const attribute of PARTITION_ATTRIBUTES) {
        const value = (result as Record<string, unknown>)[attribute];
        if (typeof value === 'string') out.push({ builder, attribute, value });
      }
    } else throw new Error(`keys.${builder} builds neither a key nor a partition: list it in NOT_PARTITIONS if it is a parser`);
  }
  return out;
}

const families = Object.keys(KEY_PREFIXES) as KeyFamily[];
const like = matchesKeyPattern;

describe('KEY_PREFIXES mirrors the key module (a new key family fails here, not in production)', () => {
  const values = partitionValues();

  it('finds the key builders', () => {
    expect(values.length).toBeGreaterThanOrEqual(15);
    expect(values.map((v) => v.builder)).toEqual(expect.arrayContaining(['profile', 'request', 'otp', 'queueIndex', 'requestCheck', 'checkPartition']));
  });

  it.each(values.map((v) => [`${v.builder} (${v.attribute}) ${v.value}`, v.value] as const))('%s falls in a family', (_, value) => {
    expect(familiesOf(value).length).toBeGreaterThan(0);
  });

  it('every family is built by some key builder (none is stale)', () => {
    for (const family of families) {
      expect(values.some((v) => KEY_PREFIXES[family].patterns.some((p) => like(p, v.value))), family).toBe(true);
    }
  });

  it('families that are index partitions name a real index of TABLE, and their builders write that index', () => {
    const indexes = new Map<string, string>(TABLE.indexes.map((i) => [i.name, i.partitionKey]));
    for (const family of families) {
      const def: { patterns: readonly string[]; index?: string } = KEY_PREFIXES[family];
      if (def.index === undefined) continue;
      const attribute = indexes.get(def.index);
      expect(attribute, `${family}: index ${def.index}`).toBeDefined();
      // Exactly: the family's values come from that index's key attribute, or a builder of its partition.
      const built = values.filter((v) => def.patterns.some((p) => like(p, v.value)) && v.attribute !== TABLE.partitionKey);
      expect(built.length, family).toBeGreaterThan(0);
    }
  });

  it('the matcher is the StringLike IAM applies', () => {
    expect(like('USER#*#REQ', 'USER#u1#REQ')).toBe(true);
    expect(like('USER#*#REQ', 'USER#u1#CALL')).toBe(false);
    expect(like('CHECK', 'CHECKS')).toBe(false);
    expect(like('REQ#*', 'NUM#REQ#1')).toBe(false);
  });

  it('tableAccessOf unions the families of the calls, reads apart from writes', () => {
    expect(tableAccessOf({ codes: ['getOtp', 'putOtp'] })).toEqual({ readPatterns: ['OTP#*'], writePatterns: ['OTP#*'], indexes: [] });
    expect(tableAccessOf({ slots: ['listQueue'], reconcile: ['listDueChecks'] })).toEqual({ readPatterns: ['CHECK', 'QUEUE#*'], writePatterns: [], indexes: ['GSI1', 'GSI2'] });
    // A call that writes across parts in one transaction names the other parts' families too.
    expect(tableAccessOf({ calls: ['confirmCall'] })).toEqual({ readPatterns: [], writePatterns: ['CALL#*', 'OTP#*'], indexes: [] });
    expect(tableAccessOf({})).toEqual({ readPatterns: [], writePatterns: [], indexes: [] });
  });
});

/**
 * The store calls each function's code makes, by part: its entry bundled with the store's adapters
 * left out, then read for `.<part>.<method>(` (use-cases reach a part as `deps.<part>`).
 */
async function storeCallsOf(id: FunctionId): Promise<Record<string, string[]>> {
  const result = await build({
    entryPoints: [`${REPO}${FUNCTIONS[id].entry}`],
    absWorkingDir: REPO,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    // The parts' own code names every method; the SDK is irrelevant to what the function calls.
    external: ['#adapters/dynamodb/*', '@aws-sdk/*', '@smithy/*'],
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  const calls: Record<string, string[]> = {};
  for (const { part, method } of storeCallPairs()) {
    if (new RegExp(`\\.${part}\\.${method}\\(`).test(text)) (calls[part] ??= []).push(method);
  }
  return sorted(calls);
}

function sorted(calls: StoreCalls | Record<string, readonly string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(calls as Record<string, readonly string[]>)
      .filter(([, methods]) => methods.length > 0)
      .map(([part, methods]) => [part, [...methods].sort()] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

describe('FUNCTIONS[id].store lists exactly the store calls its code makes, by part', () => {
  it('finds calls in a bundle by part (a call through the wrong part would not count)', async () => {
    expect(await storeCallsOf('httpTranscript')).toEqual({ calls: ['getCall'], requests: ['getRequest'] });
  }, 60_000);

  it('no method name is in two parts (a call names one part)', () => {
    const methods = storeCallPairs().map((p) => p.method);
    expect(new Set(methods).size).toBe(methods.length);
  });

  it.each(Object.keys(FUNCTIONS) as FunctionId[])('%s', async (id) => {
    expect(await storeCallsOf(id)).toEqual(sorted(FUNCTIONS[id].store ?? {}));
  }, 60_000);
});
