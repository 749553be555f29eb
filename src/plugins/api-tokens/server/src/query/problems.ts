import { fieldErrors } from '../utils/errors';

/** Where a problem is, as Strapi's yup errors say it: `['filters', '1', 'values', '0']`. */
export type Path = string[];

/** `['query', 'filters', '1', 'values', '0']` → `query.filters[1].values[0]`. */
export const showPath = (path: Path) =>
  path.reduce(
    (shown, key, index) => (/^\d+$/.test(key) ? `${shown}[${key}]` : index === 0 ? key : `${shown}.${key}`),
    ''
  );

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Collects every problem of an input, so one 400 names them all. */
export class Problems {
  private readonly list: { path: Path; message: string }[] = [];

  /** `message` follows the path: `add(['limit'], 'must be at least 1')` → "limit must be at least 1". */
  add(path: Path, message: string) {
    this.list.push({ path, message: `${showPath(path)} ${message}` });
  }

  /** Adds a problem for each key of `value` outside `allowed`. */
  unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: Path) {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.add([...path, key], `is not allowed (expected: ${allowed.join(', ')})`);
    }
  }

  /** Whether `value` is an object: a problem when it is not, and one for each key outside `keys`. */
  isShaped(value: unknown, keys: readonly string[], path: Path): value is Record<string, unknown> {
    if (!isObject(value)) {
      this.add(path, `must be an object {${keys.join(', ')}}`);
      return false;
    }
    this.unknownKeys(value, keys, path);
    return true;
  }

  get count() {
    return this.list.length;
  }

  /** A ValidationError (400) naming every problem, if there is any. */
  throwIfAny() {
    if (this.list.length > 0) throw fieldErrors(this.list);
  }
}
