import type { InputValues } from './reports';

/**
 * The query string of a data route: `inputs[name]=value` (a multi-select repeats `inputs[name][]=`), then `page` and
 * `pageSize`. An undefined input is left out (the report's default applies); an empty one asks for no filter. Encoded here because the admin's fetch client does not encode `params` objects, and an option such as
 * "R&D" would otherwise split the query.
 */
export const dataParams = ({
  inputs = {},
  page,
  pageSize,
}: {
  inputs?: InputValues;
  page?: number;
  pageSize?: number;
}): string => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(inputs)) {
    if (value === undefined) continue;
    // An empty value (a cleared control) asks for no filter; an absent one for the report's default.
    if (Array.isArray(value) && value.length > 0) for (const item of value) search.append(`inputs[${name}][]`, item);
    else search.append(`inputs[${name}]`, Array.isArray(value) ? '' : value);
  }
  if (page !== undefined) search.set('page', String(page));
  if (pageSize !== undefined) search.set('pageSize', String(pageSize));
  return search.toString();
};
