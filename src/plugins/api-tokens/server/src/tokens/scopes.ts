import { errors } from '@strapi/utils';

export interface ScopeDefinition {
  /** `<area>:<verb>`, e.g. `semantic-models:refresh`. */
  uid: string;
  displayName: string;
  description?: string;
}

export const SCOPE_PATTERN = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;

export const BUILT_IN_SCOPES: ScopeDefinition[] = [
  {
    uid: 'subscriptions:execute',
    displayName: 'Execute a subscription job',
    description: 'Trigger subscription runs and poll or cancel them',
  },
  {
    uid: 'semantic-models:refresh',
    displayName: 'Refresh a semantic model',
    description: 'Trigger snapshot refreshes and poll or cancel them',
  },
  {
    uid: 'embed-tokens:create',
    displayName: 'Issue embed tokens',
    description: 'Issue signed embed tokens for cards and dashboards',
  },
];

/** The scopes tokens can carry: the built-in ones plus those that apps and plugins register. */
const scopes = () => {
  const registry = new Map<string, ScopeDefinition>();

  const register = (definition: ScopeDefinition | ScopeDefinition[]) => {
    for (const scope of Array.isArray(definition) ? definition : [definition]) {
      if (!SCOPE_PATTERN.test(scope?.uid ?? '')) {
        throw new errors.ApplicationError(
          `Invalid scope uid "${scope?.uid}": expected "<area>:<verb>" in lower-case kebab-case`
        );
      }
      if (registry.has(scope.uid)) {
        throw new errors.ApplicationError(`Scope "${scope.uid}" is already registered`);
      }
      registry.set(scope.uid, {
        uid: scope.uid,
        displayName: scope.displayName || scope.uid,
        ...(scope.description ? { description: scope.description } : {}),
      });
    }
  };

  register(BUILT_IN_SCOPES);

  return {
    register,
    has: (uid: string) => registry.has(uid),
    list: (): ScopeDefinition[] => [...registry.values()],
  };
};

export type ScopesService = ReturnType<typeof scopes>;
export default scopes;
