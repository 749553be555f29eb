import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig } from '../config';
import { DASHBOARD_UID } from '../dashboards/service';
import { REPORT_UID } from '../reports/service';
import { MODEL_UID } from '../semantic-models/service';
import { SUBSCRIPTION_UID } from '../subscriptions/service';
import { getService } from '../utils/get-service';
import { fieldErrors } from '../utils/errors';
import type { AuthenticatedToken } from './service';

export const RESOURCE_KINDS = ['models', 'subscriptions', 'embeds'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** The documentIds a token is restricted to, per kind; a kind left out (or the whole object null) is unrestricted. */
export type TokenResources = Partial<Record<ResourceKind, string[]>>;

export const MAX_RESOURCES_PER_KIND = 100;

/** Where each kind's documentIds live, and what a 403 calls one. An embed is an embeddable report or dashboard. */
const KINDS: Record<ResourceKind, { uids: string[]; label: string }> = {
  models: { uids: [MODEL_UID], label: 'semantic model' },
  subscriptions: { uids: [SUBSCRIPTION_UID], label: 'subscription' },
  embeds: { uids: [REPORT_UID, DASHBOARD_UID], label: 'embed' },
};

/** The resource kind of a run's target, by run kind; runs of other kinds are not restricted by resource. */
export const RUN_RESOURCE_KINDS: Record<string, ResourceKind> = { refresh: 'models', subscription: 'subscriptions' };

/** Drops empty kinds and repeats: null when nothing is restricted, so a token saved with `{}` stays unrestricted. */
export const normalizeResources = (resources: TokenResources | null | undefined): TokenResources | null => {
  const out: TokenResources = {};
  for (const kind of RESOURCE_KINDS) {
    const ids = resources?.[kind];
    if (Array.isArray(ids) && ids.length > 0) out[kind] = [...new Set(ids)];
  }
  return Object.keys(out).length > 0 ? out : null;
};

/** 400 naming `resources.<kind>[i]` for each documentId that is not a model, subscription, report or dashboard. */
export const assertResourcesExist = async (strapi: Core.Strapi, resources: TokenResources | null) => {
  const problems: { path: string[]; message: string }[] = [];
  for (const kind of RESOURCE_KINDS) {
    const ids = resources?.[kind] ?? [];
    if (ids.length === 0) continue;
    const found = new Set<string>();
    for (const uid of KINDS[kind].uids) {
      const rows = await strapi.db.query(uid).findMany({ where: { documentId: { $in: ids } }, select: ['documentId'] });
      for (const row of rows) found.add(row.documentId);
    }
    ids.forEach((id, index) => {
      if (!found.has(id)) {
        problems.push({
          path: ['resources', kind, String(index)],
          message: `resources.${kind}[${index}] "${id}" is not the documentId of a ${KINDS[kind].label}`,
        });
      }
    });
  }
  if (problems.length > 0) throw fieldErrors(problems);
};

/** Whether the token may act on this target. */
export const isTargetAllowed = (token: AuthenticatedToken, kind: ResourceKind, documentId: string) => {
  const allowed = token.resources?.[kind];
  return !allowed || allowed.includes(documentId);
};

/**
 * The one check of a request's target against the restrictions of `ctx.state.apiToken` (set by the has-scope
 * policy): 403 naming the target (and `alias`, e.g. the embed id asked for) otherwise, audited as a denial (sampled).
 */
export const assertTargetAllowed = (ctx: any, kind: ResourceKind, documentId: string, alias?: string) => {
  const token = ctx.state.apiToken as AuthenticatedToken;
  if (isTargetAllowed(token, kind, documentId)) return;
  const { request } = ctx;
  getService('audit').recordSampled(
    `resource:${token.id}:${kind}:${documentId}`,
    {
      action: 'token.denied',
      subjectType: 'api-token',
      subjectId: token.documentId,
      actor: `token:${token.documentId}`,
      ip: request.ip ?? null,
      details: { reason: 'resource', method: request.method, path: request.path, kind, target: documentId },
    },
    getConfig().deniedAuditSampleSeconds
  );
  // A PolicyError keeps its message; Strapi replaces other 403s with a bare "Forbidden".
  const named = `the ${KINDS[kind].label} "${documentId}"${alias ? ` (${alias})` : ''}`;
  throw new errors.PolicyError(`This API token is not allowed on ${named}`, { kind, target: documentId });
};
