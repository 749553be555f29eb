import { errors } from '@strapi/utils';

export const COLUMN_TYPES = ['string', 'integer', 'float', 'boolean', 'date', 'datetime'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface Column {
  name: string;
  type: ColumnType;
}

export type Row = Record<string, unknown>;

/** A problem with a source definition, naming the field (e.g. `source.fields`). */
export interface SourceProblem {
  path: string;
  message: string;
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
