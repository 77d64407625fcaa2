import { FieldProblem } from './domain-errors';

/**
 * Deepest nesting of objects and arrays a request may hold. The deepest shape of the API (a
 * window's days inside a schedule inside a configuration) is four levels; free-form `context`
 * and `metadata` get the rest. Deeper input would only serve to exhaust the stack of the
 * recursive steps that follow (class-transformer, JSON.stringify).
 */
export const MOST_NESTING_LEVELS = 32;

/** Keys that reach an object's prototype when assigned or merged, rejected at every depth. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface Visit {
  value: unknown;
  /** Levels of objects and arrays around `value`, counting itself. */
  level: number;
  parent: Visit | null;
  key: string | number;
}

/**
 * The first problem with the shape of a parsed JSON request (too deep, or a reserved key), or
 * null. Walks with a queue rather than recursion, so that no input can overflow the stack here.
 */
export function jsonShapeProblem(value: unknown): FieldProblem | null {
  const pending: Visit[] = [{ value, level: 1, parent: null, key: '' }];

  while (pending.length > 0) {
    const visit = pending.pop() as Visit;
    if (typeof visit.value !== 'object' || visit.value === null) {
      continue;
    }
    if (visit.level > MOST_NESTING_LEVELS) {
      return { field: topField(visit), problem: `nests deeper than ${MOST_NESTING_LEVELS} levels` };
    }
    const entries: [string | number, unknown][] = Array.isArray(visit.value)
      ? visit.value.map((item, index) => [index, item])
      : Object.entries(visit.value);
    for (const [key, item] of entries) {
      const child = { value: item, level: visit.level + 1, parent: visit, key };
      if (typeof key === 'string' && RESERVED_KEYS.has(key)) {
        return { field: pathOf(child), problem: 'is a reserved name and not a known field' };
      }
      pending.push(child);
    }
  }

  return null;
}

/** The field of the request that holds `visit`: its outermost named ancestor. */
function topField(visit: Visit): string {
  let outermost = visit;
  while (outermost.parent?.parent) {
    outermost = outermost.parent;
  }

  return outermost.parent ? pathOf(outermost) : 'body';
}

function pathOf(visit: Visit): string {
  const keys: (string | number)[] = [];
  for (let step: Visit | null = visit; step?.parent; step = step.parent) {
    keys.unshift(step.key);
  }

  return keys.reduce<string>(
    (path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key),
    '',
  );
}
