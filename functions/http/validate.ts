import type * as z from 'zod/mini';
import type { Lazy } from '#functions/lazy';
import { type FieldProblem, ValidationError } from '#core/errors';

/** Runs a zod schema and turns every issue into a contract field problem (path like `identity.snils`). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

export function issuesToProblems(issues: readonly z.core.$ZodIssue[], input: unknown): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] => {
    const path = joinPath(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, code: 'unexpected', message: 'This field is not part of the API.' }));
      case 'invalid_type':
        return [
          valueAt(input, issue.path) === undefined
            ? { path, code: 'required', message: 'This field is required.' }
            : { path, code: 'invalid_type', message: issue.message },
        ];
      case 'too_big':
        return [{ path, code: 'too_long', message: issue.message }];
      case 'too_small':
        return [{ path, code: 'too_short', message: issue.message }];
      case 'invalid_union':
        // A discriminated union (CreateRequest on `channel`) that found no option: the problem is the discriminator.
        if (issue.discriminator !== undefined) {
          const options = (issue as { options?: unknown[] }).options ?? [];
          return [
            valueAt(input, issue.path) === undefined
              ? { path, code: 'required', message: 'This field is required.' }
              : { path, code: 'invalid_value', message: `Invalid option: expected one of ${options.map((o) => JSON.stringify(o)).join('|')}` },
          ];
        }
        return [{ path, code: 'invalid', message: issue.message }];
      case 'invalid_value':
        return [{ path, code: 'invalid_value', message: issue.message }];
      case 'invalid_format':
        return [{ path, code: 'invalid_format', message: issue.message }];
      default:
        return [{ path, code: 'invalid', message: issue.message }];
    }
  });
}

/**
 * `at` names where a scalar came from (a header or parameter) when the schema has no path of its own.
 * The schema is built on its first parse (schemas.ts, `lazy`).
 */
export function parseWith<S extends z.ZodMiniType>(schema: Lazy<S>, input: unknown, at = ''): z.output<S> {
  const result = schema().safeParse(input);
  if (!result.success) {
    const problems = issuesToProblems(result.error.issues, input).map((p) => ({ ...p, path: [at, p.path].filter(Boolean).join('.') }));
    throw new ValidationError(problems);
  }
  return result.data;
}
