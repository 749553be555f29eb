/**
 * The embedded card or dashboard: reads its config and token from the page (then drops the token's element), draws
 * each card with the admin's ECharts option function and a table, and takes fresh tokens from its parent frame.
 * Every name and value is written as text, never as HTML.
 */
import * as echarts from 'echarts/core';
import { CHART_PARTS } from '../server/src/shared/chart-parts';
import { CanvasRenderer } from 'echarts/renderers';
import { chartOption } from '../server/src/shared/chart-option';
import type { ChartSpec, ReportInputOptions, ResultColumn } from '../server/src/shared/types';
import { isTokenMessage } from './messages';

echarts.use([...CHART_PARTS, CanvasRenderer]);

type Row = Record<string, unknown>;

interface CardSetup {
  name: string;
  chart: ChartSpec;
  width: number;
  columns: ResultColumn[];
}

interface Config {
  type: 'card' | 'story';
  embedId: string;
  name: string;
  permissions: string[];
  allowedOrigins: string[];
  cards: CardSetup[];
  inputs: ReportInputOptions[];
  dataUrl: string;
  exportUrl: string;
}

interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

interface CardData {
  columns: ResultColumn[];
  rows: Row[];
  pagination: Pagination;
}

interface ViewerFilter {
  column: string;
  operator: string;
  values: string[];
}

const PAGE_SIZE = 25;
const OPERATORS = [
  'EQUALS',
  'NOT_EQUALS',
  'IN',
  'NOT_IN',
  'GREATER_THAN',
  'GREAT_THAN_EQUALS_TO',
  'LESS_THAN',
  'LESS_THAN_EQUALS_TO',
  'BETWEEN',
];

const readJson = <T>(id: string, remove = false): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}`);
  const value = JSON.parse(element.textContent ?? 'null') as T;
  if (remove) element.remove();
  return value;
};

const config = readJson<Config>('embed-config');
/** Only in this closure: never in a URL, a cookie or storage. */
let token = readJson<string>('embed-token', true);

const state = {
  inputs: {} as Record<string, string | string[]>,
  filters: [] as ViewerFilter[],
  page: 1,
  /** The last load was refused for the token: a fresh token reloads. */
  refused: false,
};

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
};

const cellText = (value: unknown) => (value === null || value === undefined ? '' : String(value));

const root = document.getElementById('embed-root')!;
const status = el('p', { className: 'embed-status', text: 'Loading…' });
const charts: echarts.ECharts[] = [];

const table = (data: CardData) => {
  const head = el('tr', {}, ...data.columns.map((column) => el('th', { text: column.name })));
  const body = data.rows.map((row) =>
    el('tr', {}, ...data.columns.map((column) => el('td', { text: cellText(row[column.name]) })))
  );
  return el('table', { className: 'embed-table' }, el('thead', {}, head), el('tbody', {}, ...body));
};

const pager = (pagination: Pagination) => {
  const previous = el('button', { text: 'Previous' });
  const next = el('button', { text: 'Next' });
  previous.type = next.type = 'button';
  previous.disabled = pagination.page <= 1;
  next.disabled = pagination.page >= pagination.pageCount;
  previous.addEventListener('click', () => {
    state.page -= 1;
    void load();
  });
  next.addEventListener('click', () => {
    state.page += 1;
    void load();
  });
  const label = el('span', {
    text: `Page ${pagination.page} of ${Math.max(1, pagination.pageCount)} (${pagination.total} rows)`,
  });
  return el('div', { className: 'embed-pager' }, previous, label, next);
};

const drawCard = (setup: CardSetup, data: CardData, container: HTMLElement, paged: boolean) => {
  container.replaceChildren();
  if (config.type === 'story') container.append(el('h2', { text: setup.name }));
  const option = chartOption(setup.chart, data.columns, data.rows);
  if (option) {
    const target = el('div', { className: 'embed-chart' });
    container.append(target);
    const chart = echarts.init(target, undefined, { renderer: 'canvas' });
    // Tooltips drawn on the canvas: no HTML built from names or values.
    chart.setOption({ ...option, tooltip: { ...(option.tooltip as object), renderMode: 'richText' } });
    charts.push(chart);
  }
  container.append(table(data));
  if (paged) container.append(pager(data.pagination));
};

const cardContainers = config.cards.map((card) => el('section', { className: `embed-card embed-w${card.width}` }));

const showError = (message: string) => {
  status.textContent = message;
  status.hidden = false;
};

async function load() {
  status.textContent = 'Loading…';
  status.hidden = false;
  const response = await fetch(config.dataUrl, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      ...(state.filters.length > 0 ? { filters: state.filters } : {}),
      inputs: state.inputs,
      page: state.page,
      pageSize: PAGE_SIZE,
    }),
    credentials: 'omit',
    cache: 'no-store',
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    state.refused = response.status === 401;
    const code = body?.error?.details?.code;
    showError(
      response.status === 401
        ? `This view's session has ended${code ? ` (${code})` : ''}: waiting for a new token.`
        : `${body?.error?.message ?? `The data could not be loaded (${response.status})`}`
    );
    return;
  }
  state.refused = false;
  status.hidden = true;
  charts.splice(0).forEach((chart) => chart.dispose());
  if (config.type === 'card') {
    drawCard(config.cards[0], { ...body.data, pagination: body.meta.pagination }, cardContainers[0], true);
  } else {
    (body.data as CardData[]).forEach((data, index) =>
      drawCard(config.cards[index], data, cardContainers[index], false)
    );
  }
}

const inputControl = (input: ReportInputOptions) => {
  const select = el('select');
  select.name = input.name;
  select.multiple = input.type === 'multi-select';
  if (!select.multiple && !input.required) select.append(el('option', { text: '(all)' }));
  (select.firstChild as HTMLOptionElement | null)?.setAttribute('value', '');
  const defaults = input.default === null ? [] : typeof input.default === 'string' ? [input.default] : input.default;
  for (const value of input.options) {
    const option = el('option', { text: cellText(value) });
    option.value = cellText(value);
    option.selected = defaults.includes(option.value);
    select.append(option);
  }
  select.addEventListener('change', () => {
    const chosen = [...select.selectedOptions].map((option) => option.value);
    state.inputs[input.name] = select.multiple ? chosen : (chosen[0] ?? '');
    state.page = 1;
    void load();
  });
  return el('label', { text: input.name }, select);
};

const filterControls = () => {
  const columns = config.cards[0]?.columns ?? [];
  const column = el('select');
  column.name = 'filter-column';
  for (const { name } of columns) {
    const option = el('option', { text: name });
    option.value = name;
    column.append(option);
  }
  const operator = el('select');
  operator.name = 'filter-operator';
  for (const name of OPERATORS) {
    const option = el('option', { text: name.replace(/_/g, ' ').toLowerCase() });
    option.value = name;
    operator.append(option);
  }
  const values = el('input');
  values.name = 'filter-values';
  values.placeholder = 'value, value…';
  const apply = el('button', { text: 'Filter' });
  apply.type = 'button';
  const clear = el('button', { text: 'Clear filters' });
  clear.type = 'button';
  const active = el('span', { className: 'embed-status' });
  const show = () => {
    active.textContent = state.filters
      .map((filter) => `${filter.column} ${filter.operator} ${filter.values.join(', ')}`)
      .join(' · ');
  };
  apply.addEventListener('click', () => {
    const list = values.value
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value !== '');
    state.filters.push({ column: column.value, operator: operator.value, values: list });
    state.page = 1;
    show();
    void load();
  });
  clear.addEventListener('click', () => {
    state.filters = [];
    state.page = 1;
    show();
    void load();
  });
  return [
    el('label', { text: 'Column' }, column),
    el('label', { text: 'Operator' }, operator),
    el('label', { text: 'Values' }, values),
    apply,
    clear,
    active,
  ];
};

/** A form POST of the token into a download: the token stays out of the URL. */
const exportCsv = () => {
  const form = el('form');
  form.method = 'POST';
  form.action = config.exportUrl;
  form.hidden = true;
  const fields: Record<string, string> = {
    embedToken: token,
    inputs: JSON.stringify(state.inputs),
    ...(state.filters.length > 0 ? { filters: JSON.stringify(state.filters) } : {}),
  };
  for (const [name, value] of Object.entries(fields)) {
    const field = el('input');
    field.type = 'hidden';
    field.name = name;
    field.value = value;
    form.append(field);
  }
  document.body.append(form);
  form.submit();
  form.remove();
};

const render = () => {
  const bar = el('div', { className: 'embed-bar' });
  bar.append(...config.inputs.map(inputControl));
  if (config.permissions.includes('FILTER')) bar.append(...filterControls());
  if (config.permissions.includes('EXPORT') && config.exportUrl) {
    const button = el('button', { text: 'Export CSV' });
    button.type = 'button';
    button.addEventListener('click', exportCsv);
    bar.append(button);
  }
  const title = el('h1', { className: 'embed-title', text: config.name });
  root.replaceChildren(title, bar, status, el('div', { className: 'embed-grid' }, ...cardContainers));
};

window.addEventListener('message', (event) => {
  // Only the framing page, from an allowed origin, may hand over a token.
  if (event.source !== window.parent || !config.allowedOrigins.includes(event.origin)) return;
  if (!isTokenMessage(event.data)) return;
  token = event.data.token;
  if (state.refused) void load();
});

window.addEventListener('resize', () => charts.forEach((chart) => chart.resize()));

render();
load().catch((error) => showError(`The data could not be loaded: ${error}`));
