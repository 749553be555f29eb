import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { Pagination } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';
import { useSearchParams } from 'react-router-dom';
import { auditKeys, useAuditApi, type AuditFilters, type AuditQuery } from '../../../api/audit';
import { getTranslation } from '../../../utils/getTranslation';
import { retryUnlessClientError } from '../../../utils/queryRetry';
import { useNotifyLoadError } from '../../../utils/useNotifyLoadError';
import { AuditTable } from './AuditTable';

export const DEFAULT_PAGE_SIZE = 25;
const PAGE_SIZES = ['10', '25', '50', '100'];

/** A positive integer query parameter, or the fallback. */
const positive = (value: string | null, fallback: number) => {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
};

interface AuditEventListProps {
  filters: AuditFilters;
  /** Off on a subject's own page. */
  showSubject?: boolean;
  emptyMessage: string;
}

/** One page of audit events for these filters, with Strapi's pagination; the page is in the URL (`page`, `pageSize`). */
export const AuditEventList = ({ filters, showSubject, emptyMessage }: AuditEventListProps) => {
  const { formatMessage } = useIntl();
  const notifyLoadError = useNotifyLoadError();
  const api = useAuditApi();
  const [searchParams] = useSearchParams();
  const page = positive(searchParams.get('page'), 1);
  const pageSize = positive(searchParams.get('pageSize'), DEFAULT_PAGE_SIZE);
  const { action, subjectType, subjectId, actor } = filters;
  const query: AuditQuery = { action, subjectType, subjectId, actor, page, pageSize };

  const events = useQuery(auditKeys.list(query), () => api.listEvents(query), {
    keepPreviousData: true,
    retry: retryUnlessClientError,
    onError: notifyLoadError(
      formatMessage({ id: getTranslation('audit.loadError'), defaultMessage: 'The audit events could not be loaded' })
    ),
  });
  const result = events.data;

  if (events.isLoading) {
    return (
      <Flex justifyContent="center" padding={6}>
        <Loader small>{formatMessage({ id: getTranslation('audit.loading'), defaultMessage: 'Loading' })}</Loader>
      </Flex>
    );
  }
  if (!result || result.data.length === 0) {
    return (
      <Box padding={4}>
        <Typography textColor="neutral600">{emptyMessage}</Typography>
      </Box>
    );
  }

  const { pagination } = result.meta;
  return (
    <Flex direction="column" alignItems="stretch" gap={2} aria-busy={events.isFetching}>
      <AuditTable events={result.data} showSubject={showSubject} />
      <Pagination.Root pageCount={pagination.pageCount} total={pagination.total} defaultPageSize={DEFAULT_PAGE_SIZE}>
        <Pagination.PageSize options={PAGE_SIZES} />
        <Pagination.Links />
      </Pagination.Root>
    </Flex>
  );
};
