import type * as z from 'zod/mini';

/**
 * Just enough zod introspection for tests that derive inputs from the request schemas: the
 * sub-schema at a JSON path, whether a key is required, whether an object refuses unknown keys,
 * and a value of the right shape (not necessarily valid by the domain rules) for any schema.
 */
type JsonPath = readonly (string | number)[];

interface Def {
  type: string;
  innerType?: z.ZodMiniType;
  in?: z.ZodMiniType;
  shape?: Record<string, z.ZodMiniType>;
  catchall?: z.ZodMiniType;
  element?: z.ZodMiniType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: z.ZodMiniType[];
  format?: string;
}

function defOf(schema: z.ZodMiniType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema under optional/nullable/default/pipe wrappers. */
export function unwrap(schema: z.ZodMiniType): z.ZodMiniType {
  let current = schema;
  for (let i = 0; i < 20; i += 1) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else break;
  }
  return current;
}

export function schemaAt(root: z.ZodMiniType, path: JsonPath): z.ZodMiniType | undefined {
  let current: z.ZodMiniType | undefined = root;
  for (const key of path) {
    if (!current) return undefined;
    const def = defOf(unwrap(current));
    if (def.type === 'object' && typeof key === 'string') current = def.shape?.[key];
    else if (def.type === 'array' && typeof key === 'number') current = def.element;
    else return undefined;
  }
  return current;
}

export function isRequired(schema: z.ZodMiniType | undefined): boolean {
  return schema !== undefined && !schema.safeParse(undefined).success;
}

/** An object schema that refuses keys it does not know (zod's strictObject). */
export function isStrictObject(schema: z.ZodMiniType | undefined): boolean {
  if (!schema) return false;
  const def = defOf(unwrap(schema));
  return def.type === 'object' && def.catchall !== undefined && defOf(def.catchall).type === 'never';
}

/** A value of the schema's shape: required keys only, first enum value, one array element. */
export function skeleton(schema: z.ZodMiniType, depth = 0): unknown {
  if (depth > 20) return null;
  const s = unwrap(schema);
  const def = defOf(s);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(def.shape ?? {})) if (isRequired(child)) out[key] = skeleton(child, depth + 1);
      return out;
    }
    case 'array':
      return def.element ? [skeleton(def.element, depth + 1)] : [];
    case 'string':
      return def.format === 'datetime' ? new Date().toISOString() : 'x';
    case 'number':
    case 'int':
    case 'bigint':
      return 1;
    case 'boolean':
      return true;
    case 'enum':
      return Object.values(def.entries ?? {})[0] ?? 'x';
    case 'literal':
      return def.values?.[0] ?? null;
    case 'union':
      return def.options?.[0] ? skeleton(def.options[0], depth + 1) : null;
    default:
      return null;
  }
}
