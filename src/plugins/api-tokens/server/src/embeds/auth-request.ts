import { collectFilters } from '../query/filters';
import { isObject, Problems, type Path } from '../query/problems';
import type { Column } from '../semantic-models/sources';
import { EMBED_PERMISSIONS, type EmbedGrant, type EmbedPermission, type EmbedTarget, type EmbedType } from './types';

export const MAX_AUTHORIZATIONS = 20;

const REQUEST_KEYS = ['sessionLength', 'authorizations'] as const;
/** Domo's keys this server does not implement: asking for nothing (absent, null, []) is fine, anything else a 400. */
export const UNSUPPORTED_KEYS = ['policies', 'datasetRedirects', 'sqlFilters'] as const;
const AUTHORIZATION_KEYS = ['token', 'permissions', 'filters', ...UNSUPPORTED_KEYS] as const;

/** What issuing needs to know of an embed: the target, and each card's columns (a card has one, a story one per card). */
export interface ResolvedEmbed {
  target: EmbedTarget;
  columns: Column[][];
}

/** Looks an embed id up: null when no embed of `type` has it; otherwise the target and its cards' columns, or why not. */
export type ResolveEmbed = (type: EmbedType, embedId: string) => Promise<ResolvedEmbed | { problem: string } | null>;

export interface CheckedAuthRequest {
  /** Minutes; undefined for the default. */
  sessionLength?: number;
  grants: EmbedGrant[];
  targets: EmbedTarget[];
}

const checkPermissions = (raw: unknown, path: Path, problems: Problems): EmbedPermission[] => {
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.add(path, `must be a non-empty array of ${EMBED_PERMISSIONS.join(', ')}`);
    return [];
  }
  const permissions: EmbedPermission[] = [];
  let unknown = 0;
  raw.forEach((value, index) => {
    const permission = EMBED_PERMISSIONS.find((candidate) => candidate === value);
    if (!permission) {
      unknown += 1;
      problems.add([...path, String(index)], `must be one of ${EMBED_PERMISSIONS.join(', ')}`);
    } else if (!permissions.includes(permission)) permissions.push(permission);
  });
  // Repeats are fine (["FILTER", "FILTER"] still lacks READ); with an unknown entry, that entry is the problem.
  if (unknown === 0 && !permissions.includes('READ')) problems.add(path, 'must include READ');
  return permissions;
};

/** The columns every card has, with the same type: a story's filters apply to each card. */
export const sharedColumns = (lists: Column[][]): Column[] => {
  const [first = [], ...rest] = lists;
  return first.filter((column) =>
    rest.every((list) => list.some((other) => other.name === column.name && other.type === column.type))
  );
};

/**
 * Checks a `POST /v1/<cards|stories>/embed/auth` body, failing closed: every problem is a 400 naming its path
 * (`authorizations[0].filters[1].values[0]`), and nothing is issued unless every authorization is sound.
 */
export const checkAuthRequest = async (
  body: unknown,
  type: EmbedType,
  resolve: ResolveEmbed
): Promise<CheckedAuthRequest> => {
  const problems = new Problems();
  const grants: EmbedGrant[] = [];
  const targets: EmbedTarget[] = [];
  if (!isObject(body)) {
    problems.add(['body'], `must be an object {${REQUEST_KEYS.join(', ')}}`);
    problems.throwIfAny();
  }
  const request = body as Record<string, unknown>;
  // Named at the top level, as `sessionLength` and `authorizations` are.
  problems.unknownKeys(request, REQUEST_KEYS, []);

  const { sessionLength } = request;
  if (sessionLength !== undefined && !(Number.isInteger(sessionLength) && (sessionLength as number) > 0)) {
    problems.add(['sessionLength'], 'must be a positive integer (minutes)');
  }

  const { authorizations } = request;
  if (!Array.isArray(authorizations) || authorizations.length < 1 || authorizations.length > MAX_AUTHORIZATIONS) {
    problems.add(['authorizations'], `must be an array of 1 to ${MAX_AUTHORIZATIONS} {token, permissions, filters?}`);
    problems.throwIfAny();
  }

  for (const [index, entry] of (authorizations as unknown[]).entries()) {
    const at = ['authorizations', String(index)];
    if (!problems.isShaped(entry, AUTHORIZATION_KEYS, at)) continue;
    for (const key of UNSUPPORTED_KEYS) {
      const value = entry[key];
      const asksNothing = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
      if (!asksNothing) problems.add([...at, key], 'is not supported by this server; send it empty or leave it out');
    }
    const permissions = checkPermissions(entry.permissions, [...at, 'permissions'], problems);

    const embedId = entry.token;
    if (typeof embedId !== 'string' || embedId === '') {
      problems.add([...at, 'token'], 'must be the embed id of a card or story');
      continue;
    }
    const resolved = await resolve(type, embedId);
    if (resolved === null) {
      const other = type === 'card' ? 'story' : 'card';
      const wrongType = await resolve(other, embedId);
      problems.add(
        [...at, 'token'],
        wrongType !== null
          ? `"${embedId}" is the embed id of a ${other}; use /v1/${other === 'card' ? 'cards' : 'stories'}/embed/auth`
          : `"${embedId}" is not the embed id of a ${type}`
      );
      continue;
    }
    if ('problem' in resolved) {
      problems.add([...at, 'token'], resolved.problem);
      continue;
    }
    if (!resolved.target.enabled) {
      problems.add([...at, 'token'], `embedding of "${resolved.target.name}" is not enabled`);
      continue;
    }
    const before = problems.count;
    const filters = entry.filters === null ? [] : entry.filters;
    collectFilters(filters, sharedColumns(resolved.columns), [...at, 'filters'], problems);
    if (problems.count > before) continue;
    grants.push({
      token: embedId,
      type,
      permissions,
      filters: ((filters ?? []) as Record<string, any>[]).map((filter) => {
        const operator = filter.operator ?? filter.operand;
        return {
          column: filter.column,
          operator: operator === 'GREATER_THAN_EQUALS_TO' ? 'GREAT_THAN_EQUALS_TO' : operator,
          values: filter.values,
        };
      }),
    });
    targets.push(resolved.target);
  }
  problems.throwIfAny();
  return { sessionLength: sessionLength as number | undefined, grants, targets };
};
