import { Typography, type TypographyProps } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { getTranslation } from '../utils/getTranslation';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "5 minutes ago" / "in 3 hours" / "now". */
export const useRelativeTime = () => {
  const { formatRelativeTime } = useIntl();
  return (date: string | Date, now = Date.now()) => {
    const seconds = Math.round((new Date(date).getTime() - now) / 1000);
    const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
    return formatRelativeTime(Math.round(seconds / size), unit, { numeric: 'auto' });
  };
};

/** "1 Dec 2026, 10:32:07": to the second, so runs started within one minute read apart. */
export const ABSOLUTE: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' };

interface DateTextProps extends Omit<TypographyProps, 'children'> {
  date: string | null | undefined;
  /**
   * `relative` shows "5 minutes ago" with the date as a tooltip; `absolute` shows "12 Jun 2026, 10:00:05"; `both`
   * shows "12 Jun 2026, 10:00:05 · 5 minutes ago".
   */
  mode?: 'relative' | 'absolute' | 'both';
  /** What a missing date reads as; "Never" unless told. */
  emptyLabel?: string;
}

export const DateText = ({ date, mode = 'relative', emptyLabel, ...props }: DateTextProps) => {
  const { formatMessage, formatDate } = useIntl();
  const relative = useRelativeTime();
  if (!date) {
    return (
      <Typography textColor="neutral500" {...props}>
        {emptyLabel ?? formatMessage({ id: getTranslation('models.never'), defaultMessage: 'Never' })}
      </Typography>
    );
  }
  const absolute = formatDate(date, ABSOLUTE);
  return (
    <Typography textColor="neutral800" {...props}>
      <time dateTime={new Date(date).toISOString()} title={absolute}>
        {mode === 'both' ? `${absolute} · ${relative(date)}` : mode === 'absolute' ? absolute : relative(date)}
      </time>
    </Typography>
  );
};
