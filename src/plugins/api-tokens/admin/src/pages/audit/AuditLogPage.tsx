import * as React from 'react';
import { Flex } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';
import type { AuditFilters } from '../../api/audit';
import { getTranslation } from '../../utils/getTranslation';
import { AuditEventList } from './components/AuditEventList';
import { AuditFilterForm } from './components/AuditFilterForm';

const FILTER_KEYS = ['action', 'subjectType', 'subjectId', 'actor'] as const;

/** /plugins/api-tokens/audit: every audit event, filtered by the URL's `action`, `subjectType`, `subjectId`, `actor`. */
export const AuditLogPage = () => {
  const { formatMessage } = useIntl();
  const [searchParams, setSearchParams] = useSearchParams();
  const title = formatMessage({ id: getTranslation('audit.title'), defaultMessage: 'Audit log' });

  const action = searchParams.get('action') ?? undefined;
  const subjectType = searchParams.get('subjectType') ?? undefined;
  const subjectId = searchParams.get('subjectId') ?? undefined;
  const actor = searchParams.get('actor') ?? undefined;
  const filters = React.useMemo(
    () => ({ action, subjectType, subjectId, actor }),
    [action, subjectType, subjectId, actor]
  );

  /** New filters start again at page 1 and keep the page size. */
  const applyFilters = (next: AuditFilters) => {
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) if (next[key]) params.set(key, next[key]!);
    const pageSize = searchParams.get('pageSize');
    if (pageSize) params.set('pageSize', pageSize);
    setSearchParams(params);
  };

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={formatMessage({
          id: getTranslation('audit.subtitle'),
          defaultMessage:
            'What happened to tokens and other reporting objects, who did it and from where. Newest first.',
        })}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <AuditFilterForm value={filters} onApply={applyFilters} />
          <AuditEventList
            filters={filters}
            emptyMessage={formatMessage({
              id: getTranslation('audit.empty'),
              defaultMessage: 'No audit events match these filters.',
            })}
          />
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
