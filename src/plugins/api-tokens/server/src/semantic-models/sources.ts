import { errors } from '@strapi/utils';

/** `biginteger` values travel as strings, so none loses precision past 2^53. */
export const COLUMN_TYPES = ['string', 'integer', 'biginteger', 'float', 'boolean', 'date', 'datetime'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface Column {
  name: string;
  type: ColumnType;
  /** The values a `string` column may hold (a Strapi enumeration): filters accept only these. */
  enum?: string[];
}

export type Row = Record<string, unknown>;

/** A problem with a source definition, naming the field (e.g. `source.fields`). */
export interface SourceProblem {
  path: string;
  message: string;
}

/** The admin who saves or reads a model: their CASL ability (`ctx.state.userAbility`) and user. */
export interface SourceReader {
  ability: unknown;
  user?: { id: number };
}

/** Why an admin may not read a source: answered as a 403 PolicyError with `details: {code, ...details}`. */
export interface SourceDenial {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A kind of data a semantic model can be built on. The built-in one is `content-type`; teams register more
 * (an SQL query, an HTTP JSON feed, …) with `strapi.plugin('api-tokens').service('sources').register(...)`.
 */
export interface SourceType<Definition extends { type: string } = any> {
  type: string;
  displayName: string;
  /** Null when the definition is usable, else what is wrong with it. */
  validate(definition: Definition): Promise<SourceProblem | null> | SourceProblem | null;
  /**
   * Null when the admin may read what the definition reads, else why not. Asked when an admin creates, updates,
   * previews or reads the values of a model; a scheduled or API refresh runs the model as saved. A source type
   * without it is open to every admin holding the semantic-model actions.
   */
  authorize?(definition: Definition, reader: SourceReader): Promise<SourceDenial | null> | SourceDenial | null;
  /** The snapshot's columns, in order. Their names are the model's field names. */
  columns(definition: Definition): Promise<Column[]> | Column[];
  /** The rows, in pages of about `pageSize`, streamed so memory stays flat. */
  read(definition: Definition, options: { pageSize: number }): AsyncIterable<Row[]>;
}

const sources = () => {
  const registry = new Map<string, SourceType>();

  return {
    register(source: SourceType) {
      if (!/^[a-z][a-z0-9-]*$/.test(source?.type ?? '')) {
        throw new errors.ApplicationError(`Invalid source type "${source?.type}": expected lower-case kebab-case`);
      }
      if (registry.has(source.type)) {
        throw new errors.ApplicationError(`Source type "${source.type}" is already registered`);
      }
      registry.set(source.type, source);
    },
    get: (type: string): SourceType | undefined => registry.get(type),
    list: () => [...registry.values()].map(({ type, displayName }) => ({ type, displayName })),
  };
};

export type SourcesService = ReturnType<typeof sources>;
export default sources;
