/** Editable list rows carry a client-side `key`, so React keeps each row's fields when rows are removed or reordered. */
let lastKey = 0;
export const newKey = () => `row-${(lastKey += 1)}`;

export const updateRow = <Row extends { key: string }>(rows: Row[], key: string, patch: Partial<Row>): Row[] =>
  rows.map((row) => (row.key === key ? { ...row, ...patch } : row));

export const removeRow = <Row extends { key: string }>(rows: Row[], key: string): Row[] =>
  rows.filter((row) => row.key !== key);
