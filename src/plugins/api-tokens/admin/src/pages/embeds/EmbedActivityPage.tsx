import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { Layouts, Page, Pagination } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';
import { useSearchParams } from 'react-router-dom';
import { embedKeys, useEmbedsApi } from '../../api/embeds';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useNotifyLoadError } from '../../utils/useNotifyLoadError';
import { DEFAULT_PAGE_SIZE } from '../audit/components/AuditEventList';
import { AuditTable } from '../audit/components/AuditTable';

const PAGE_SIZES = ['10', '25', '50', '100'];

const positive = (value: string | null, fallback: number) => {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : fallback;
};

/** /plugins/api-tokens/embed-activity: embed tokens issued, used and revoked, from the audit log, newest first. */
export const EmbedActivityPage = () => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const api = useEmbedsApi();
  const notifyLoadError = useNotifyLoadError();
  const [searchParams] = useSearchParams();
  const query = {
    page: positive(searchParams.get('page'), 1),
    pageSize: positive(searchParams.get('pageSize'), DEFAULT_PAGE_SIZE),
  };
  const events = useQuery(embedKeys.activity(query), () => api.activity(query), {
    keepPreviousData: true,
    retry: retryUnlessClientError,
    onError: notifyLoadError(t('embeds.activity.loadError', 'The embed activity could not be loaded')),
  });
  const title = t('embeds.activity.title', 'Embed activity');
  const result = events.data;

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={t(
          'embeds.activity.subtitle',
          'Embed tokens issued (by API tokens and the playground), used by viewers (sampled) and revoked. Newest first.'
        )}
      />
      <Layouts.Content>
        {events.isLoading ? (
          <Flex justifyContent="center" padding={6}>
            <Loader small>{t('audit.loading', 'Loading')}</Loader>
          </Flex>
        ) : !result || result.data.length === 0 ? (
          <Box padding={4}>
            <Typography textColor="neutral600">
              {t('embeds.activity.empty', 'No embed token has been issued or used yet.')}
            </Typography>
          </Box>
        ) : (
          <Flex direction="column" alignItems="stretch" gap={2} aria-busy={events.isFetching}>
            <AuditTable events={result.data} />
            <Pagination.Root
              pageCount={result.meta.pagination.pageCount}
              total={result.meta.pagination.total}
              defaultPageSize={DEFAULT_PAGE_SIZE}
            >
              <Pagination.PageSize options={PAGE_SIZES} />
              <Pagination.Links />
            </Pagination.Root>
          </Flex>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};
