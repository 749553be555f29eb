import { Flex, Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';
import type { AuditEvent } from '../../../api/audit';
import { TableHead } from '../../../components/TableParts';
import { PLUGIN_ID } from '../../../pluginId';
import { getTranslation } from '../../../utils/getTranslation';
import { Monospace } from '../../../components/Monospace';

interface AuditTableProps {
  events: AuditEvent[];
  /** Off on a subject's own page, where every row has the same subject. */
  showSubject?: boolean;
}

const WHEN: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' };

/** `scopes: a, b · expiresAt: …`: the details on one line (the name is in the subject column). */
const detailsText = (details: AuditEvent['details']) =>
  Object.entries(details ?? {})
    .filter(([key]) => key !== 'name')
    .map(
      ([key, value]) =>
        `${key}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`
    )
    .join(' · ');

/** The admin sections of subjects that have a page (an embed token's `card` is a report, its `story` a dashboard). */
const SUBJECT_SECTIONS: Record<string, string> = { 'api-token': 'tokens', card: 'reports', story: 'dashboards' };

/** The page of a subject the admin panel has one for (not a list of ids, as an issue for several embeds has). */
const subjectPath = (event: AuditEvent) => {
  const section = event.subjectType ? SUBJECT_SECTIONS[event.subjectType] : undefined;
  return section && event.subjectId && !event.subjectId.includes(',')
    ? `/plugins/${PLUGIN_ID}/${section}/${encodeURIComponent(event.subjectId)}`
    : null;
};

export const AuditTable = ({ events, showSubject = true }: AuditTableProps) => {
  const { formatMessage, formatDate } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const headers = [
    t('audit.table.createdAt', 'When'),
    t('audit.table.action', 'Action'),
    ...(showSubject ? [t('audit.table.subject', 'Subject')] : []),
    t('audit.table.actor', 'Actor'),
    t('audit.table.ip', 'IP'),
    t('audit.table.details', 'Details'),
  ];

  return (
    <Table colCount={headers.length} rowCount={events.length + 1}>
      <TableHead headers={headers} />
      <Tbody>
        {events.map((event) => {
          const path = subjectPath(event);
          const subjectName = typeof event.details?.name === 'string' ? event.details.name : null;
          const details = detailsText(event.details);
          return (
            <Tr key={event.id} data-audit-event={event.action}>
              <Td>
                <Typography textColor="neutral800">
                  <time dateTime={event.createdAt}>{formatDate(event.createdAt, WHEN)}</time>
                </Typography>
              </Td>
              <Td>
                <Monospace variant="pi" textColor="neutral800">
                  {event.action}
                </Monospace>
              </Td>
              {showSubject ? (
                <Td maxWidth="24rem">
                  <Flex direction="column" alignItems="flex-start" gap={1}>
                    {path ? (
                      <Link tag={NavLink} to={path}>
                        {subjectName ?? event.subjectId}
                      </Link>
                    ) : (
                      <Typography textColor="neutral800" ellipsis>
                        {subjectName ?? event.subjectId ?? '—'}
                      </Typography>
                    )}
                    {event.subjectType ? (
                      <Monospace variant="pi" textColor="neutral600">
                        {event.subjectType}
                        {subjectName && event.subjectId ? ` · ${event.subjectId}` : ''}
                      </Monospace>
                    ) : null}
                  </Flex>
                </Td>
              ) : null}
              <Td maxWidth="20rem">
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <Typography textColor="neutral800" ellipsis>
                    {event.actorName ?? event.actor ?? t('audit.table.noActor', 'System')}
                  </Typography>
                  {event.actorName && event.actor ? (
                    <Monospace variant="pi" textColor="neutral600">
                      {event.actor}
                    </Monospace>
                  ) : null}
                </Flex>
              </Td>
              <Td>
                <Typography textColor={event.ip ? 'neutral800' : 'neutral500'}>{event.ip ?? '—'}</Typography>
              </Td>
              <Td maxWidth="32rem">
                <Typography
                  variant="pi"
                  textColor={details ? 'neutral800' : 'neutral500'}
                  ellipsis
                  title={details || undefined}
                >
                  {details || '—'}
                </Typography>
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};
