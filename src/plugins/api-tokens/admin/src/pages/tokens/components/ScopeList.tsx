import { Flex, Typography } from '@strapi/design-system';
import type { Scope } from '../../../api/tokens';
import { Monospace } from '../../../components/Monospace';

interface ScopeListProps {
  scopes: string[];
  /** Scope definitions by uid, for their names and descriptions. */
  known: Map<string, Scope>;
}

/** A token's scopes, each with its name, uid and description (read-only). */
export const ScopeList = ({ scopes, known }: ScopeListProps) => (
  <Flex tag="ul" direction="column" alignItems="stretch" gap={2}>
    {scopes.map((uid) => {
      const scope = known.get(uid);
      return (
        <Flex
          tag="li"
          key={uid}
          direction="column"
          alignItems="flex-start"
          gap={1}
          padding={3}
          hasRadius
          borderColor="neutral200"
          data-scope={uid}
        >
          <Typography fontWeight="bold" textColor="neutral800">
            {scope?.displayName ?? uid}
          </Typography>
          <Monospace variant="pi" textColor="neutral600">
            {uid}
          </Monospace>
          {scope?.description ? (
            <Typography variant="pi" textColor="neutral600">
              {scope.description}
            </Typography>
          ) : null}
        </Flex>
      );
    })}
  </Flex>
);
