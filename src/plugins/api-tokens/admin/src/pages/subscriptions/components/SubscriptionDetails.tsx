import { Flex, Grid, Link, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import type { Subscription } from '../../../api/subscriptions';
import { Card } from '../../../components/Card';
import { ScheduleText } from '../../../components/ScheduleText';
import { DetailItem } from '../../../components/DetailItem';
import { getTranslation } from '../../../utils/getTranslation';
import { itemPath } from '../../../utils/paths';
import { useFormatLabel } from '../useFormatLabel';
import { InputValuesText } from './InputValuesText';

/** What a subscription delivers, to whom, how and when. */
export const SubscriptionDetails = ({ subscription }: { subscription: Subscription }) => {
  const { formatMessage } = useIntl();
  const formatLabel = useFormatLabel();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { target } = subscription;
  const none = t('subscriptions.page.none', 'None');
  const targetPath = itemPath(target.type === 'dashboard' ? 'dashboards' : 'reports', target.id);

  return (
    <Card title={t('subscriptions.page.details', 'Details')} testId="subscription-details">
      <Grid.Root gap={5}>
        <DetailItem
          col={6}
          s={12}
          label={
            target.type === 'dashboard'
              ? t('subscriptions.page.dashboard', 'Dashboard')
              : t('subscriptions.page.report', 'Report')
          }
        >
          {subscription.targetName !== null ? (
            <Link tag={RouterLink} to={targetPath}>
              {subscription.targetName}
            </Link>
          ) : (
            <Typography textColor="danger600">{t('subscriptions.page.targetDeleted', 'Deleted')}</Typography>
          )}
        </DetailItem>
        <DetailItem col={3} s={6} label={t('subscriptions.page.format', 'Format')}>
          <Typography textColor="neutral800">{formatLabel(subscription.format)}</Typography>
        </DetailItem>
        <DetailItem col={3} s={6} label={t('subscriptions.page.channel', 'Channel')}>
          <Typography textColor="neutral800">{subscription.channel}</Typography>
        </DetailItem>
        <DetailItem col={6} s={12} label={t('subscriptions.page.schedule', 'Schedule')}>
          <ScheduleText
            schedule={subscription.schedule}
            noneLabel={t('subscriptions.schedule.none', 'Only when triggered')}
            nextAt={subscription.nextRunAt}
            disabledReason={subscription.scheduleDisabledReason}
          />
        </DetailItem>
        <DetailItem col={6} s={12} label={t('subscriptions.page.delivery', 'Delivery')}>
          <Typography textColor="neutral800">
            {t(
              'subscriptions.page.deliveryText',
              'Up to {attempts, plural, one {# attempt} other {# attempts}}; missed runs are {policy, select, once {sent once} other {skipped}}; {skip, select, true {nothing is sent when empty} other {sent even when empty}}.',
              {
                attempts: subscription.maxAttempts,
                policy: subscription.missedRunPolicy,
                skip: String(subscription.skipIfEmpty),
              }
            )}
          </Typography>
        </DetailItem>
        <DetailItem col={12} label={t('subscriptions.page.inputs', 'Input values')}>
          <InputValuesText
            values={subscription.inputs}
            emptyLabel={t('subscriptions.page.inputs.none', 'The defaults')}
          />
        </DetailItem>
        <DetailItem
          col={12}
          label={t('subscriptions.page.recipients', 'Recipients ({count})', {
            count: subscription.recipients.length,
          })}
        >
          <Flex tag="ul" direction="column" alignItems="flex-start" gap={1} data-testid="subscription-recipients">
            {subscription.recipients.map((recipient) => (
              <Flex tag="li" key={recipient.email} gap={2} wrap="wrap">
                <Typography textColor="neutral800" fontWeight="semiBold">
                  {recipient.email}
                </Typography>
                {recipient.inputs && Object.keys(recipient.inputs).length > 0 ? (
                  <InputValuesText values={recipient.inputs} emptyLabel="" />
                ) : null}
              </Flex>
            ))}
          </Flex>
        </DetailItem>
        <DetailItem col={12} label={t('subscriptions.page.subject', 'Subject')}>
          <Typography textColor={subscription.subject ? 'neutral800' : 'neutral500'}>
            {subscription.subject ?? subscription.targetName ?? none}
          </Typography>
        </DetailItem>
        {subscription.message ? (
          <DetailItem col={12} label={t('subscriptions.page.message', 'Message')}>
            <Typography textColor="neutral800" style={{ whiteSpace: 'pre-wrap' }}>
              {subscription.message}
            </Typography>
          </DetailItem>
        ) : null}
      </Grid.Root>
    </Card>
  );
};
