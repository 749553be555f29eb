import { errors } from '@strapi/utils';

/** The `details.errors` of the ValidationError `fn` throws. */
export const problemsOf = (fn: () => unknown): { path: string[]; message: string }[] => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(errors.ValidationError);
    const problems = ((error as errors.ValidationError).details as { errors: unknown }).errors as {
      path: string[];
      message: string;
    }[];
    expect(problems.length).toBeGreaterThan(0);
    // The error's own message names every problem.
    for (const problem of problems) expect((error as Error).message).toContain(problem.message);
    return problems;
  }
  throw new Error('expected a ValidationError');
};
