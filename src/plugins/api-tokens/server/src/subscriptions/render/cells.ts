/**
 * How a result value of a column type becomes a cell: in CSV (text spreadsheets read back as numbers and dates), in
 * XLSX (typed cells) and as display text (PDF, HTML). Values arrive as the snapshot store gives them: numbers, a
 * biginteger as an exact string, a date as `YYYY-MM-DD`, a datetime as an ISO string; Dates and epoch milliseconds are
 * accepted too. null and undefined are empty cells everywhere.
 */
import type { ColumnType } from '../../semantic-models/sources';

const NUMERIC = new Set<ColumnType>(['integer', 'biginteger', 'float']);
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INTEGER_TEXT = /^-?\d+$/;
/** The store's datetime form, `YYYY-MM-DDTHH:MM:SS[.sss]Z`: read by slicing, no Date needed. */
const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export const isNumericType = (type: ColumnType) => NUMERIC.has(type);

/** A date or datetime value as a Date; null when it is not one. */
const dateOf = (value: unknown): Date | null => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value) : null;
  if (typeof value !== 'string') return null;
  const day = DATE_ONLY.exec(value);
  const date = day ? new Date(Date.UTC(+day[1], +day[2] - 1, +day[3])) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** `YYYY-MM-DD` of a date value, read as a UTC day (the store keeps dates as that text already). */
const dayText = (value: unknown): string | null => {
  if (typeof value === 'string' && DATE_ONLY.test(value)) return value;
  return dateOf(value)?.toISOString().slice(0, 10) ?? null;
};

/** `YYYY-MM-DD HH:MM:SS` in UTC: the form spreadsheets read as a date and time. */
const dateTimeText = (value: unknown): string | null => {
  if (typeof value === 'string' && UTC_ISO.test(value)) return `${value.slice(0, 10)} ${value.slice(11, 19)}`;
  const iso = dateOf(value)?.toISOString();
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : null;
};

const numberOf = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
};

const booleanText = (value: unknown) =>
  value === true || value === 1 || value === '1' || value === 't' ? 'true' : 'false';

/**
 * A CSV field: numbers as JS numbers and bigintegers as BigInt (csv-stringify writes them plainly, with '.', and never
 * formula-escapes them), dates `YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS` UTC, booleans `true`/`false`.
 */
export const csvCell = (type: ColumnType, value: unknown): string | number | bigint | null => {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'float':
      return numberOf(value) ?? String(value);
    case 'biginteger': {
      const text = typeof value === 'bigint' ? value.toString() : String(value).trim();
      return INTEGER_TEXT.test(text) ? BigInt(text) : (numberOf(text) ?? text);
    }
    case 'boolean':
      return booleanText(value);
    case 'date':
      return dayText(value) ?? String(value);
    case 'datetime':
      return dateTimeText(value) ?? String(value);
    default:
      return String(value);
  }
};

export type XlsxCell = string | number | boolean | Date | null;

/**
 * An XLSX cell: numbers as numbers, a biginteger as a number while it is a safe integer (else its exact text), dates
 * and datetimes as Dates (UTC, which exceljs writes as the serial of that wall time) shown through `xlsxNumFmt`.
 */
export const xlsxCell = (type: ColumnType, value: unknown): XlsxCell => {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'float':
      return numberOf(value) ?? String(value);
    case 'biginteger': {
      const number = numberOf(value);
      return number !== null && Number.isSafeInteger(number) ? number : String(value);
    }
    case 'boolean':
      return booleanText(value) === 'true';
    case 'date':
    case 'datetime':
      return dateOf(value) ?? String(value);
    default: {
      // A line break in a cell is a line feed to Excel (and XML reads a CR LF back as one).
      const text = String(value);
      return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
    }
  }
};

/** The number format of a column's cells, or undefined for Excel's General. */
export const xlsxNumFmt = (type: ColumnType): string | undefined =>
  type === 'date' ? 'yyyy-mm-dd' : type === 'datetime' ? 'yyyy-mm-dd hh:mm:ss' : undefined;

/** Control characters but tab and line breaks: invisible at best, a box or an invalid document at worst. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 10 });

/** Text for a person (PDF, HTML, mail text): numbers with thousands separators, dates as in CSV, nulls empty. */
export const displayCell = (type: ColumnType, value: unknown): string => {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'integer':
    case 'float': {
      const number = numberOf(value);
      return number === null ? String(value) : grouped.format(number);
    }
    case 'biginteger': {
      const text = String(value).trim();
      // BigInt keeps every digit of an integer past 2^53.
      return INTEGER_TEXT.test(text) ? grouped.format(BigInt(text)) : text;
    }
    case 'boolean':
      return booleanText(value);
    case 'date':
      return dayText(value) ?? String(value);
    case 'datetime':
      return dateTimeText(value) ?? String(value);
    default: {
      const text = String(value);
      return CONTROL.test(text) ? text.replace(CONTROL_ALL, '') : text;
    }
  }
};
