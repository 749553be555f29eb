import { yup } from '@strapi/utils';
import { getService } from '../utils/get-service';
import { bodySchema as body, nameSchema as name, validator } from '../utils/validation';
import { customExpiryProblem, EXPIRY_PRESETS_DAYS } from './expiry';
import { MAX_ALLOWED_IPS, parseRange } from './ip-allowlist';
import { MAX_RESOURCES_PER_KIND, RESOURCE_KINDS } from './resources';

const EXACTLY_ONE_EXPIRY =
  'Provide exactly one of expiresInDays (30, 60 or 90) or expiresAt (a date at most 365 days ahead)';

const description = yup
  .string()
  .typeError('description must be a string')
  .max(500, 'description must be at most 500 characters')
  .nullable();

const expiryFields = {
  expiresInDays: yup
    .number()
    .typeError('expiresInDays must be a number')
    .oneOf([...EXPIRY_PRESETS_DAYS], 'expiresInDays must be one of 30, 60 or 90'),
  expiresAt: yup
    .string()
    .typeError('expiresAt must be a string')
    .test('expiresAt', 'invalid expiresAt', function check(value) {
      if (value === undefined) return true;
      const problem = customExpiryProblem(value, Date.now());
      return problem ? this.createError({ message: problem }) : true;
    }),
};

const documentIds = (kind: string) =>
  yup
    .array()
    .typeError(`resources.${kind} must be an array of documentIds`)
    .of(yup.string().typeError('${path} must be a documentId').required('${path} must be a documentId'))
    .max(MAX_RESOURCES_PER_KIND, `resources.${kind} must list at most ${MAX_RESOURCES_PER_KIND} documentIds`);

/** Existence of each documentId is checked by the service (400 naming `resources.<kind>[i]`). */
const resources = yup
  .object(Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, documentIds(kind)])))
  .typeError(`resources must be an object {${RESOURCE_KINDS.join(', ')}}`)
  .noUnknown(true, `resources: unknown kind(s) \${unknown}; expected ${RESOURCE_KINDS.join(', ')}`)
  .nullable()
  .default(undefined);

const allowedIps = yup
  .array()
  .typeError('allowedIps must be an array of CIDR ranges')
  .of(
    yup
      .string()
      .typeError('${path} must be a CIDR range such as 203.0.113.0/24 or 2001:db8::/32')
      .required('${path} must be a CIDR range such as 203.0.113.0/24 or 2001:db8::/32')
      .test(
        'cidr',
        '${path} "${value}" is not a CIDR range such as 203.0.113.0/24 or 2001:db8::/32',
        (value) => value === undefined || parseRange(value) !== null
      )
  )
  .max(MAX_ALLOWED_IPS, `allowedIps must list at most ${MAX_ALLOWED_IPS} ranges`)
  .nullable();

const restrictionFields = { resources, allowedIps };

const exactlyOneExpiry = function check(this: yup.TestContext, value: any) {
  if (!value || typeof value !== 'object') return true;
  const given = ['expiresInDays', 'expiresAt'].filter((key) => value[key] !== undefined);
  return given.length === 1 || this.createError({ path: given[1] ?? 'expiresInDays', message: EXACTLY_ONE_EXPIRY });
};

const createTokenSchema = body({
  name: name.required('name is required'),
  description,
  scopes: yup
    .array()
    .typeError('scopes must be an array of scope names')
    .of(yup.string().typeError('scopes must be an array of scope names').required())
    .min(1, 'scopes must list at least one scope')
    .required('scopes is required')
    .test('scopes', 'unknown scope', function check(value) {
      if (!Array.isArray(value)) return true;
      const registry = getService('scopes');
      const unknown = value.filter((scope) => typeof scope === 'string' && !registry.has(scope));
      if (unknown.length === 0) return true;
      const known = registry
        .list()
        .map((scope) => scope.uid)
        .join(', ');
      return this.createError({
        message: `scopes has unknown scope(s): ${unknown.join(', ')}. Known scopes: ${known}`,
      });
    }),
  ...restrictionFields,
  ...expiryFields,
}).test('expiry', EXACTLY_ONE_EXPIRY, exactlyOneExpiry);

const UPDATABLE = ['name', 'description', 'resources', 'allowedIps'];

const updateTokenSchema = body({ name, description, ...restrictionFields }).test(
  'not-empty',
  `Provide at least one of ${UPDATABLE.join(', ')}`,
  (value: any) => !value || typeof value !== 'object' || UPDATABLE.some((key) => value[key] !== undefined)
);

const regenerateTokenSchema = body(expiryFields).test('expiry', EXACTLY_ONE_EXPIRY, exactlyOneExpiry);

export const validateCreateToken = validator(createTokenSchema);
export const validateUpdateToken = validator(updateTokenSchema);
export const validateRegenerateToken = validator(regenerateTokenSchema);
