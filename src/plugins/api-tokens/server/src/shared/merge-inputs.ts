/**
 * A dashboard's shared inputs: its reports' inputs merged by name. Pure, so the server's `GET /dashboards/:id/inputs`
 * and the admin's editor (whose dashboard is not saved yet) merge alike.
 */
import type { ReportInputOptions } from './types';

/** The most options an input offers. */
export const MAX_INPUT_OPTIONS = 1000;

const byValue = (a: unknown, b: unknown) => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * The first report's column and default, required when any report requires it, a single-select when any report's is
 * one, and the union of the options (sorted, capped).
 */
export const mergeInputs = (lists: ReportInputOptions[][]): ReportInputOptions[] => {
  const byName = new Map<string, ReportInputOptions>();
  for (const input of lists.flat()) {
    const merged = byName.get(input.name);
    if (!merged) {
      byName.set(input.name, { ...input });
      continue;
    }
    merged.required ||= input.required;
    if (input.type === 'single-select') merged.type = 'single-select';
    merged.default ??= input.default;
    const seen = new Set(merged.options.map(String));
    const added = input.options.filter((option) => !seen.has(String(option)));
    if (added.length > 0) merged.options = [...merged.options, ...added].sort(byValue).slice(0, MAX_INPUT_OPTIONS);
  }
  return [...byName.values()];
};
