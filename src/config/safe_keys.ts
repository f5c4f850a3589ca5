import { ConfigError, inFile } from './errors.js';
import { childPath, isMapping } from './paths.js';

/**
 * Keys that change what every object is rather than holding a value: assigning them while merging
 * or overriding would replace a mapping's prototype or reach `Object.prototype`.
 */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.includes(key);
}

/** A mapping key that is a reserved JavaScript name, refused wherever user data enters. */
export class ReservedKeyError extends ConfigError {
  override readonly name = 'ReservedKeyError';
  readonly key: string;

  /** `item` is the `--cfg-options` item that holds the key, when it came from one. */
  constructor(file: string, path: string, key: string, item?: string) {
    const where = item !== undefined ? `--cfg-options item '${item}': key '${key}' at ${path}` : `Key '${key}' at ${path}${inFile(file)}`;
    super(
      `${where} is not allowed: ${RESERVED_KEYS.map((k) => `'${k}'`).join(', ')} are reserved JavaScript names that would ` +
        'change the prototype of every object. Rename or remove the key.',
      { file, path, value: key, expected: `a key other than ${RESERVED_KEYS.join(', ')}` },
    );
    this.key = key;
  }
}

/**
 * The first reserved key in a parsed YAML/JSON tree (own keys of every mapping, list items
 * included), with its dotted path below `base`; undefined when there is none.
 */
export function findReservedKey(value: unknown, base = ''): { path: string; key: string } | undefined {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findReservedKey(item, childPath(base, i));
      if (found) return found;
    }
    return undefined;
  }
  if (!isMapping(value)) return undefined;
  for (const key of Object.keys(value)) {
    const path = childPath(base, key);
    if (isReservedKey(key)) return { path, key };
    const found = findReservedKey(value[key], path);
    if (found) return found;
  }
  // A parser that assigned `__proto__` instead of defining it leaves no own key but a new prototype.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return { path: childPath(base, '__proto__'), key: '__proto__' };
  return undefined;
}

/** Throw ReservedKeyError naming `file` (or '--cfg-options') and the path if `value` holds a reserved key. */
export function assertNoReservedKeys(value: unknown, file: string, base = '', item?: string): void {
  const found = findReservedKey(value, base);
  if (found) throw new ReservedKeyError(file, found.path, found.key, item);
}
