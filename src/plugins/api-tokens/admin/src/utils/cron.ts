import cronstrue from 'cronstrue';

/** The plugin's cron rule: exactly five fields (minute, hour, day of month, month, day of week), no seconds. */
export const CRON_FIELD_COUNT = 5;

export const hasFiveFields = (cron: string) => cron.trim().split(/\s+/).length === CRON_FIELD_COUNT;

/**
 * A cron in plain language with its zone, e.g. "At 02:30 (Europe/Berlin)"; null for a cron that is not five valid
 * fields (the editor shows the error instead).
 */
export const describeCron = (cron: string, timezone: string): string | null => {
  if (!hasFiveFields(cron)) return null;
  try {
    return `${cronstrue.toString(cron.trim(), { use24HourTimeFormat: true, throwExceptionOnParseError: true })} (${timezone})`;
  } catch {
    return null;
  }
};
