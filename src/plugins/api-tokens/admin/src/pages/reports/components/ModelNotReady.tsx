import { Box, EmptyStateLayout, LinkButton } from '@strapi/design-system';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { PLUGIN_ID } from '../../../pluginId';
import { getTranslation } from '../../../utils/getTranslation';

/** A report over a model that has never been refreshed (409 `MODEL_NOT_READY`): no data until someone refreshes it. */
export const ModelNotReady = ({ modelId, modelName }: { modelId: string; modelName?: string }) => {
  const { formatMessage } = useIntl();
  return (
    <Box data-testid="model-not-ready">
      <EmptyStateLayout
        icon={<EmptyDocuments width="10rem" />}
        content={formatMessage(
          {
            id: getTranslation('reports.modelNotReady'),
            defaultMessage: 'No data yet: the model “{name}” has not been refreshed. Refresh it to see this report.',
          },
          { name: modelName ?? modelId }
        )}
        action={
          <LinkButton tag={Link} to={`/plugins/${PLUGIN_ID}/semantic-models/${modelId}`} variant="secondary">
            {formatMessage({ id: getTranslation('reports.modelNotReady.open'), defaultMessage: 'Open the model' })}
          </LinkButton>
        }
      />
    </Box>
  );
};
