import * as React from 'react';
import { Box, Button, Checkbox, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { Key } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { useMutation, useQuery } from 'react-query';
import { embedKeys, useEmbedsApi, viewerPaths, type EmbedPermission, type EmbedType } from '../../../api/embeds';
import { DateText } from '../../../components/DateText';
import { Monospace } from '../../../components/Monospace';
import { TextField } from '../../../components/TextField';
import { errorMessageOf, fieldErrorsByPath } from '../../../utils/errors';
import { getTranslation } from '../../../utils/getTranslation';
import { retryUnlessClientError } from '../../../utils/queryRetry';
import { FilterFields } from '../../reports/components/FilterFields';
import type { FilterDraft } from '../../reports/reportDraft';
import { decodeClaims } from '../claims';

/** The playground's tokens live at most this long (the server caps them too). */
const MAX_MINUTES = 15;
const OPTIONAL_PERMISSIONS: EmbedPermission[] = ['FILTER', 'EXPORT'];

interface EmbedPlaygroundProps {
  type: EmbedType;
  embedId: string;
}

/**
 * Mints a test token with the admin's own rights and opens the viewer in an iframe as an external page would: a hidden
 * form POSTs `embedToken` into it. The token stays in this component's memory, never in a URL or a log.
 */
export const EmbedPlayground = ({ type, embedId }: EmbedPlaygroundProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const api = useEmbedsApi();
  const frameName = `embed-playground-${type}-${embedId}`;
  const formRef = React.useRef<HTMLFormElement>(null);
  const [permissions, setPermissions] = React.useState<EmbedPermission[]>(['READ']);
  const [filters, setFilters] = React.useState<FilterDraft[]>([]);
  const [minutes, setMinutes] = React.useState(String(MAX_MINUTES));

  const target = useQuery(embedKeys.target(type, embedId), () => api.playgroundTarget(type, embedId), {
    retry: retryUnlessClientError,
  });
  const mint = useMutation(() =>
    api.mint({
      type,
      embedId,
      permissions,
      filters: filters
        .filter((row) => row.column)
        .map(({ column, operator, values }) => ({ column, operator, values: values.filter((value) => value !== '') })),
      sessionLength: Number(minutes),
    })
  );
  const issued = mint.data;

  // Each new token is posted into the frame once it is in the form.
  React.useEffect(() => {
    if (issued) formRef.current?.submit();
  }, [issued]);

  const errors = fieldErrorsByPath(mint.error);
  const errorOf = (key: string) => errors[key.replace(/^query\./, '')];
  const generalError =
    mint.isError && Object.keys(errors).length === 0
      ? errorMessageOf(mint.error, t('embeds.playground.mintError', 'The token could not be minted'))
      : null;
  const claims = issued ? decodeClaims(issued.authentication) : null;

  const togglePermission = (permission: EmbedPermission, on: boolean) =>
    setPermissions((current) =>
      on ? [...current.filter((entry) => entry !== permission), permission] : current.filter((p) => p !== permission)
    );

  return (
    <Box background="neutral100" hasRadius padding={5} data-testid="embed-playground">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="delta" tag="h3">
            {t('embeds.playground.title', 'Playground')}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {t(
              'embeds.playground.hint',
              'Mints a test token with your own rights (at most {max} minutes, audited) and shows the viewer exactly as an external page would.',
              { max: MAX_MINUTES }
            )}
          </Typography>
        </Flex>
        <Grid.Root gap={4}>
          <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
            <Typography variant="pi" fontWeight="bold" textColor="neutral800">
              {t('embeds.playground.permissions', 'Permissions')}
            </Typography>
            <Flex gap={4} paddingTop={2} data-testid="embed-playground-permissions">
              <Checkbox checked disabled name="permissions.READ">
                READ
              </Checkbox>
              {OPTIONAL_PERMISSIONS.map((permission) => (
                <Checkbox
                  key={permission}
                  name={`permissions.${permission}`}
                  checked={permissions.includes(permission)}
                  onCheckedChange={(checked: boolean | 'indeterminate') =>
                    togglePermission(permission, checked === true)
                  }
                >
                  {permission}
                </Checkbox>
              ))}
            </Flex>
            {errors.permissions ? (
              <Typography variant="pi" textColor="danger600" role="alert">
                {errors.permissions}
              </Typography>
            ) : null}
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <TextField
              name="sessionLength"
              label={t('embeds.playground.sessionLength', 'Session length (minutes)')}
              hint={t('embeds.playground.sessionLength.hint', 'At most {max}', { max: MAX_MINUTES })}
              error={errors.sessionLength}
              value={minutes}
              onChange={setMinutes}
            />
          </Grid.Item>
        </Grid.Root>
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography variant="pi" fontWeight="bold" textColor="neutral800">
            {t('embeds.playground.filters', 'Row filters (ANDed into every query of the viewer)')}
          </Typography>
          {target.isLoading ? (
            <Loader small>{t('reports.loading', 'Loading')}</Loader>
          ) : target.isError ? (
            <Typography textColor="danger600" role="alert">
              {errorMessageOf(target.error, t('embeds.playground.targetError', 'The embed could not be loaded'))}
            </Typography>
          ) : (
            <FilterFields
              rows={filters}
              columns={target.data?.columns ?? []}
              errorOf={errorOf}
              onChange={(rows) => setFilters(rows)}
            />
          )}
        </Flex>
        {generalError || errors.embedId || errors.filters ? (
          <Typography textColor="danger600" role="alert" data-testid="embed-playground-error">
            {generalError ?? errors.embedId ?? errors.filters}
          </Typography>
        ) : null}
        <Flex gap={2}>
          <Button startIcon={<Key />} loading={mint.isLoading} onClick={() => mint.mutate()}>
            {t('embeds.playground.mint', 'Mint a test token and open the viewer')}
          </Button>
        </Flex>
        {issued && claims ? (
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Flex gap={2}>
              <Typography variant="sigma" textColor="neutral600">
                {t('embeds.playground.expiration', 'Expires')}
              </Typography>
              <DateText date={new Date(issued.expiration).toISOString()} mode="both" data-testid="embed-expiration" />
            </Flex>
            <Flex direction="column" alignItems="stretch" gap={1}>
              <Typography variant="sigma" textColor="neutral600">
                {t('embeds.playground.claims', 'Claims (the token’s decoded payload)')}
              </Typography>
              <Box background="neutral0" hasRadius padding={3} overflow="auto">
                <Monospace variant="pi" textColor="neutral800" tag="pre" data-testid="embed-claims">
                  {JSON.stringify(claims, null, 2)}
                </Monospace>
              </Box>
            </Flex>
          </Flex>
        ) : null}
        {/* The external page's flow: a form POST of embedToken into the frame, never the token in a URL. */}
        <form
          ref={formRef}
          method="post"
          action={viewerPaths(type, embedId)[0]}
          target={frameName}
          style={{ display: 'none' }}
          data-testid="embed-playground-form"
        >
          <input type="hidden" name="embedToken" value={issued?.authentication ?? ''} readOnly />
        </form>
        <Box background="neutral0" hasRadius borderColor="neutral200" style={{ display: issued ? 'block' : 'none' }}>
          <iframe
            name={frameName}
            title={t('embeds.playground.frame', 'The embedded viewer')}
            data-testid="embed-playground-frame"
            style={{ width: '100%', height: '32rem', border: 0 }}
          />
        </Box>
      </Flex>
    </Box>
  );
};
