import { yup } from '@strapi/utils';
import type { DashboardBody } from '../shared/types';
import { embedSchema } from '../utils/embed';
import { bodySchema as body, nameSchema as name, UNKNOWN_KEYS, validator } from '../utils/validation';

export const MAX_ITEMS = 24;

const item = yup
  .object({
    report: yup.string().typeError('${path} must be a string').required('${path} is required'),
    width: yup
      .number()
      .typeError('${path} must be a number')
      .integer('${path} must be an integer')
      .min(1, '${path} must be at least 1')
      .max(12, '${path} must be at most 12 (the grid has 12 columns)')
      .required('${path} is required'),
  })
  .typeError('items must hold objects')
  .noUnknown(true, UNKNOWN_KEYS);

const items = yup
  .array()
  .of(item)
  .typeError('items must be an array')
  .max(MAX_ITEMS, `items takes at most ${MAX_ITEMS} reports`);

const validateCreateShape = validator(
  body({ name: name.required('name is required'), items: items.required('items is required'), embed: embedSchema })
);
const validateUpdateShape = validator(
  body({ name, items, embed: embedSchema }).test(
    'not-empty',
    'Provide at least one of: name, items, embed',
    (value: any) => !value || typeof value !== 'object' || Object.keys(value).length > 0
  )
);

export const validateCreateDashboard = async (raw: unknown) => (await validateCreateShape(raw)) as DashboardBody;
export const validateUpdateDashboard = async (raw: unknown) =>
  (await validateUpdateShape(raw)) as Partial<DashboardBody>;
