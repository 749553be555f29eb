import * as React from 'react';
import { Badge, Button, Flex, Grid, IconButton, Toggle, Typography } from '@strapi/design-system';
import { Duplicate, Play } from '@strapi/icons';
import { useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useMutation, useQueryClient, type QueryKey } from 'react-query';
import { useEmbedsApi, viewerPaths, type EmbedType } from '../../../api/embeds';
import { Card } from '../../../components/Card';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { DateText } from '../../../components/DateText';
import { DetailItem } from '../../../components/DetailItem';
import { Monospace } from '../../../components/Monospace';
import type { EmbedSettings } from '../../../../../server/src/shared/types';
import { EMBED_PERMISSIONS } from '../../../permissions';
import { copyText } from '../../../utils/clipboard';
import { errorMessageOf } from '../../../utils/errors';
import { getTranslation } from '../../../utils/getTranslation';
import { EmbedPlayground } from './EmbedPlayground';

interface EmbedPanelProps {
  type: EmbedType;
  documentId: string;
  embed: EmbedSettings;
  /** Who may update the report (or dashboard): enable, disable and revoke. */
  canUpdate: boolean;
  /** The page's query of the report (or dashboard), refreshed after a change here. */
  detailKey: QueryKey;
}

/** A report's or dashboard's Embed panel: enabled, embed id, origins, viewer URLs, revoke-all and the playground. */
export const EmbedPanel = ({ type, documentId, embed, canUpdate, detailKey }: EmbedPanelProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { toggleNotification } = useNotification();
  const api = useEmbedsApi();
  const queryClient = useQueryClient();
  const {
    allowedActions: { canPlayground },
  } = useRBAC(EMBED_PERMISSIONS);
  const [confirming, setConfirming] = React.useState(false);
  const [playing, setPlaying] = React.useState(false);
  const [saving, setSaving] = React.useState(false);

  const revoke = useMutation(() => api.revokeTokens(type, documentId), {
    onSuccess: () => {
      toggleNotification({
        type: 'success',
        message: t('embeds.panel.revoked', 'Every token issued before now is refused'),
      });
      queryClient.invalidateQueries(detailKey);
    },
    onError: (error) =>
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(error, t('embeds.panel.revokeError', 'The tokens could not be revoked')),
      }),
  });

  const toggle = async (enabled: boolean) => {
    setSaving(true);
    try {
      queryClient.setQueryData(detailKey, await api.setEnabled(type, documentId, embed, enabled));
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(error, t('embeds.panel.saveError', 'The embed settings could not be saved')),
      });
    } finally {
      setSaving(false);
    }
  };

  const copy = async (text: string) => {
    const copied = await copyText(text);
    toggleNotification({
      type: copied ? 'success' : 'warning',
      message: copied
        ? t('embeds.panel.copied', 'Copied to the clipboard')
        : t('embeds.panel.copyFailed', 'Could not copy: select the text instead'),
    });
  };

  const { embedId, enabled } = embed;
  const origin = window.location.origin;
  const urls = embedId ? viewerPaths(type, embedId).map((path) => `${origin}${path}`) : [];

  return (
    <Card
      title={t('embeds.panel.title', 'Embed')}
      testId="embed-panel"
      actions={
        <Badge active={enabled} data-testid="embed-status">
          {enabled ? t('embeds.panel.enabled', 'Enabled') : t('embeds.panel.disabled', 'Disabled')}
        </Badge>
      }
    >
      <Grid.Root gap={5}>
        <DetailItem label={t('embeds.panel.embedding', 'Embedding')} col={4} s={12}>
          <Toggle
            name="embed.enabled"
            aria-label={t('embeds.panel.embedding', 'Embedding')}
            onLabel={t('reports.editor.embed.on', 'On')}
            offLabel={t('reports.editor.embed.off', 'Off')}
            checked={enabled}
            disabled={!canUpdate || saving}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => toggle(event.target.checked)}
          />
        </DetailItem>
        <DetailItem label={t('embeds.panel.embedId', 'Embed id')} col={4} s={12}>
          {embedId ? (
            <Flex gap={1}>
              <Monospace textColor="neutral800" data-testid="embed-panel-id">
                {embedId}
              </Monospace>
              <IconButton
                variant="ghost"
                label={t('embeds.panel.copyId', 'Copy the embed id')}
                onClick={() => copy(embedId)}
              >
                <Duplicate />
              </IconButton>
            </Flex>
          ) : (
            <Typography textColor="neutral600">
              {t('embeds.panel.noId', 'Drawn when embedding is first enabled')}
            </Typography>
          )}
        </DetailItem>
        <DetailItem label={t('embeds.panel.cutoff', 'Tokens refused if issued before')} col={4} s={12}>
          <DateText
            date={embed.revokedBefore}
            mode="both"
            emptyLabel={t('embeds.panel.noCutoff', 'Never revoked')}
            data-testid="embed-cutoff"
          />
        </DetailItem>
        <DetailItem label={t('embeds.panel.origins', 'Allowed origins')} col={6} s={12}>
          {embed.allowedOrigins.length > 0 ? (
            <Flex direction="column" alignItems="flex-start" gap={1} data-testid="embed-origins">
              {embed.allowedOrigins.map((allowed) => (
                <Monospace key={allowed} variant="pi" textColor="neutral800">
                  {allowed}
                </Monospace>
              ))}
            </Flex>
          ) : (
            <Typography textColor="neutral600" data-testid="embed-origins">
              {t('embeds.panel.selfOnly', 'None: only this app’s own pages may frame the viewer')}
            </Typography>
          )}
        </DetailItem>
        <DetailItem label={t('embeds.panel.urls', 'Viewer URLs (form-POST embedToken)')} col={6} s={12}>
          {urls.length > 0 ? (
            <Flex direction="column" alignItems="flex-start" gap={1} data-testid="embed-urls">
              {urls.map((url) => (
                <Flex key={url} gap={1}>
                  <Monospace variant="pi" textColor="neutral800">
                    {url}
                  </Monospace>
                  <IconButton
                    variant="ghost"
                    size="S"
                    label={t('embeds.panel.copyUrl', 'Copy {url}', { url })}
                    onClick={() => copy(url)}
                  >
                    <Duplicate />
                  </IconButton>
                </Flex>
              ))}
            </Flex>
          ) : (
            <Typography textColor="neutral600">—</Typography>
          )}
        </DetailItem>
      </Grid.Root>
      <Flex gap={2} wrap="wrap">
        {canUpdate && embedId ? (
          <Button variant="danger-light" onClick={() => setConfirming(true)} loading={revoke.isLoading}>
            {t('embeds.panel.revoke', 'Revoke all tokens issued before now')}
          </Button>
        ) : null}
        {canPlayground && enabled && embedId ? (
          <Button variant="secondary" startIcon={<Play />} onClick={() => setPlaying((open) => !open)}>
            {playing
              ? t('embeds.panel.closePlayground', 'Close the playground')
              : t('embeds.panel.openPlayground', 'Open the playground')}
          </Button>
        ) : null}
      </Flex>
      {playing && enabled && embedId ? <EmbedPlayground type={type} embedId={embedId} /> : null}
      <ConfirmDialog
        open={confirming}
        title={t('embeds.panel.revokeTitle', 'Revoke all tokens?')}
        description={t(
          'embeds.panel.revokeDescription',
          'Every embed token issued before now for this {kind} stops working at once, wherever it is shown. Apps must mint new ones.',
          { kind: type === 'card' ? 'report' : 'dashboard' }
        )}
        cancelLabel={t('embeds.panel.cancel', 'Cancel')}
        confirmLabel={t('embeds.panel.revokeConfirm', 'Revoke')}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          await revoke.mutateAsync().catch(() => undefined);
          setConfirming(false);
        }}
      />
    </Card>
  );
};
