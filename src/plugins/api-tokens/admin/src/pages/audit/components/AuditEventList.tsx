import * as React from 'react';
import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { Pagination, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';
import { useAuditApi, type AuditFilters, type AuditPage } from '../../../api/audit';
import { errorMessageOf, isAbort } from '../../../utils/errors';
import { getTranslation } from '../../../utils/getTranslation';
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
  /** A change reloads the page of events (e.g. the subject's `updatedAt` after an edit). */
  refreshKey?: string;
}

/** One page of audit events for these filters, with Strapi's pagination; the page is in the URL (`page`, `pageSize`). */
export const AuditEventList = ({ filters, showSubject, emptyMessage, refreshKey }: AuditEventListProps) => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const api = useAuditApi();
  const [searchParams] = useSearchParams();
  const page = positive(searchParams.get('page'), 1);
  const pageSize = positive(searchParams.get('pageSize'), DEFAULT_PAGE_SIZE);
  const [result, setResult] = React.useState<AuditPage | null>(null);
  const [isLoading, setIsLoading] = React.useState(true);
  const { action, subjectType, subjectId, actor } = filters;

  React.useEffect(() => {
    let active = true;
    setIsLoading(true);
    api
      .listEvents({ action, subjectType, subjectId, actor, page, pageSize })
      .then((next) => active && setResult(next))
      .catch((error) => {
        if (!active || isAbort(error)) return;
        setResult(null);
        toggleNotification({
          type: 'danger',
          message: errorMessageOf(
            error,
            formatMessage({
              id: getTranslation('audit.loadError'),
              defaultMessage: 'The audit events could not be loaded',
            })
          ),
        });
      })
      .finally(() => active && setIsLoading(false));
    return () => {
      active = false;
    };
  }, [api, action, subjectType, subjectId, actor, page, pageSize, refreshKey, formatMessage, toggleNotification]);

  if (isLoading && !result) {
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
    <Flex direction="column" alignItems="stretch" gap={2} aria-busy={isLoading}>
      <AuditTable events={result.data} showSubject={showSubject} />
      <Pagination.Root pageCount={pagination.pageCount} total={pagination.total} defaultPageSize={DEFAULT_PAGE_SIZE}>
        <Pagination.PageSize options={PAGE_SIZES} />
        <Pagination.Links />
      </Pagination.Root>
    </Flex>
  );
};
