import { errors, validateYupSchema, yup } from '@strapi/utils';

/**
 * Strapi's yup validation (400 with `details.errors[]`), with a message that names every problem
 * instead of "2 errors occurred".
 */
export const validator = <Schema extends yup.AnySchema>(schema: Schema) => {
  const validate = validateYupSchema(schema);
  return async (body: unknown): Promise<yup.InferType<Schema>> => {
    try {
      return await validate(body);
    } catch (error) {
      const details = (error as errors.ValidationError).details as { errors?: { message: string }[] } | undefined;
      const problems = details?.errors;
      if (error instanceof errors.ValidationError && problems && problems.length > 1) {
        error.message = [...new Set(problems.map((problem) => problem.message))].join('; ');
      }
      throw error;
    }
  };
};
