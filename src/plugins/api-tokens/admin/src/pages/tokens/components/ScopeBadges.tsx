import { Badge, Flex } from '@strapi/design-system';
import type { Scope } from '../../../api/tokens';

interface ScopeBadgesProps {
  scopes: string[];
  /** Scope definitions by uid, for their display names. */
  known: Map<string, Scope>;
}

export const ScopeBadges = ({ scopes, known }: ScopeBadgesProps) => (
  <Flex gap={1} wrap="wrap">
    {scopes.map((uid) => (
      <Badge key={uid} title={uid} variant="secondary" size="S">
        {known.get(uid)?.displayName ?? uid}
      </Badge>
    ))}
  </Flex>
);
