import { errors } from '@strapi/utils';
import type { Column, SourceReader } from '../semantic-models/sources';
import { fieldErrors } from '../utils/errors';
import { getService, PLUGIN_ID } from '../utils/get-service';
import { sharedColumns } from './auth-request';
import type { PlaygroundInput } from './admin-validation';
import type { EmbedTarget, EmbedType, IssuedEmbedToken } from './types';

/** The playground's tokens live at most this long, whatever `embed.maxSessionMinutes` allows. */
export const PLAYGROUND_MAX_MINUTES = 15;

const READ_ACTIONS: Record<EmbedType, string> = {
  card: `plugin::${PLUGIN_ID}.reports.read`,
  story: `plugin::${PLUGIN_ID}.dashboards.read`,
};

export interface PlaygroundAdmin extends SourceReader {
  user: { id: number };
  ip?: string | null;
}

/** What the playground shows of an embed before minting: its name and the columns its filters may use. */
export interface PlaygroundTarget extends EmbedTarget {
  columns: Column[];
}

interface Issue {
  path: string[];
  message: string;
}

/** `authorizations[0].token` → `embedId`, `authorizations[0].filters[1]` → `filters[1]`: the playground's own fields. */
const playgroundPath = (path: string[]): string[] => {
  if (path[0] !== 'authorizations') return path;
  if (path.length <= 2) return ['filters'];
  const rest = path.slice(2);
  return rest[0] === 'token' ? ['embedId', ...rest.slice(1)] : rest;
};

const playgroundMessage = (message: string) =>
  message.replace(/^authorizations\[0\]\.token\b/, 'embedId').replace(/^authorizations\[0\]\./, '');

const ability = (admin: SourceReader) => admin.ability as { can(action: string): boolean };

const playground = () => {
  const embeds = () => getService('embeds');

  /**
   * An embed the admin may read: 404 when no embed has this id, 403 without the report's (or dashboard's) read
   * permission or the model's source access; the columns every card has.
   */
  const readableTarget = async (type: EmbedType, embedId: string, admin: SourceReader): Promise<PlaygroundTarget> => {
    const row = await embeds().findTargetRow(type, embedId);
    if (!row)
      throw new errors.NotFoundError(`No ${type === 'card' ? 'report' : 'dashboard'} has the embed id "${embedId}"`);
    if (!ability(admin).can(READ_ACTIONS[type])) {
      throw new errors.PolicyError(`Reading this ${type === 'card' ? 'report' : 'dashboard'} is not allowed`);
    }
    const target = embeds().targetOf(type, row);
    if (type === 'card') {
      const report = await getService('reports').prepare(row, admin);
      return { ...target, columns: report.model.columns };
    }
    const reports = await getService('dashboards').prepareReports(row, admin);
    return { ...target, columns: sharedColumns([...reports.values()].map((report) => report.model.columns)) };
  };

  return {
    readableTarget,

    /**
     * A test token minted with the admin's own rights: the embed must be one they may read, the session is capped at
     * 15 minutes, and issue() audits it with the actor `admin:<id>`. Problems are 400s naming the playground's fields.
     */
    async mint(input: PlaygroundInput, admin: PlaygroundAdmin): Promise<IssuedEmbedToken> {
      const { type, embedId, permissions, filters, sessionLength } = input;
      try {
        await readableTarget(type, embedId, admin);
      } catch (error) {
        if (error instanceof errors.NotFoundError) {
          throw fieldErrors([{ path: ['embedId'], message: `embedId "${embedId}" is not the embed id of a ${type}` }]);
        }
        throw error;
      }
      const actor = `admin:${admin.user.id}`;
      const body = {
        ...(sessionLength === undefined ? {} : { sessionLength }),
        authorizations: [{ token: embedId, permissions, ...(filters === undefined ? {} : { filters }) }],
      };
      try {
        return await embeds().issue(type, body, {
          subject: actor,
          actor,
          ip: admin.ip ?? null,
          maxSessionMinutes: PLAYGROUND_MAX_MINUTES,
        });
      } catch (error) {
        const issues = ((error as errors.ValidationError).details as { errors?: Issue[] } | undefined)?.errors;
        if (!(error instanceof errors.ValidationError) || !issues) throw error;
        throw fieldErrors(
          issues.map(({ path, message }) => ({ path: playgroundPath(path), message: playgroundMessage(message) }))
        );
      }
    },
  };
};

export type EmbedPlaygroundService = ReturnType<typeof playground>;
export default playground;
