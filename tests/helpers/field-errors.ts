import type supertest from 'supertest';

/** `['query', 'filters', '0', 'values', '1']` → `query.filters[0].values[1]`. */
export const shownPath = (path: string[]) =>
  path.reduce(
    (shown, key, index) => (/^\d+$/.test(key) ? `${shown}[${key}]` : index === 0 ? key : `${shown}.${key}`),
    ''
  );

/** A 400 in Strapi's error body whose `details.errors` name `field` (or a field inside it: `query.limit` for `query`). */
export const expectFieldError = (res: supertest.Response, field: string) => {
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
  const paths: string[] = res.body.error.details.errors.map((error: { path: string[] }) => shownPath(error.path));
  expect(paths.some((path) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`))).toBe(
    true
  );
};
