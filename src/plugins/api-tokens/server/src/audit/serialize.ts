import type { Core } from '@strapi/strapi';
import { TOKEN_UID } from '../tokens/service';
import type { AuditEvent } from './types';

type Row = Record<string, any>;

/** The distinct ids behind the actors `<prefix><id>` of these rows. */
const actorIds = (rows: Row[], prefix: string): string[] => [
  ...new Set(
    rows
      .map((row) => row.actor)
      .filter((actor): actor is string => typeof actor === 'string' && actor.startsWith(prefix))
      .map((actor) => actor.slice(prefix.length))
  ),
];

/** `actor` → display name, with one query for the admins and one for the tokens of the whole page. */
const actorNames = async (strapi: Core.Strapi, rows: Row[]): Promise<Map<string, string>> => {
  const adminIds = actorIds(rows, 'admin:').map(Number).filter(Number.isSafeInteger);
  const tokenIds = actorIds(rows, 'token:');
  const [admins, tokens] = await Promise.all([
    adminIds.length > 0
      ? strapi.db
          .query('admin::user')
          .findMany({ where: { id: { $in: adminIds } }, select: ['id', 'firstname', 'lastname', 'username'] })
      : [],
    tokenIds.length > 0
      ? strapi.db
          .query(TOKEN_UID)
          .findMany({ where: { documentId: { $in: tokenIds } }, select: ['documentId', 'name'] })
      : [],
  ]);
  const names = new Map<string, string>();
  for (const admin of admins) {
    const name = [admin.firstname, admin.lastname].filter(Boolean).join(' ') || admin.username;
    if (name) names.set(`admin:${admin.id}`, name);
  }
  for (const token of tokens) names.set(`token:${token.documentId}`, token.name);
  return names;
};

/** A page of audit rows as the admin API returns them, each actor with its name. */
export const serializeEvents = async (strapi: Core.Strapi, rows: Row[]): Promise<AuditEvent[]> => {
  const names = await actorNames(strapi, rows);
  return rows.map((row) => ({
    id: row.id,
    action: row.action,
    subjectType: row.subjectType ?? null,
    subjectId: row.subjectId ?? null,
    actor: row.actor ?? null,
    actorName: (row.actor && names.get(row.actor)) ?? null,
    ip: row.ip ?? null,
    details: row.details ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
  }));
};
