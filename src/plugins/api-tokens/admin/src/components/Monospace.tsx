import { Typography } from '@strapi/design-system';
import { styled } from 'styled-components';

/** Typography in a monospace font; breaks anywhere so long tokens wrap. */
export const Monospace = styled(Typography)`
  font-family: 'SFMono-Regular', ui-monospace, Menlo, Consolas, 'Liberation Mono', monospace;
  word-break: break-all;
`;
