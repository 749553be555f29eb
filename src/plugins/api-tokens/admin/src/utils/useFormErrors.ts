import * as React from 'react';

export type FormErrors<Field extends string> = Partial<Record<Field, string>>;

/** A form's messages by field, and clearError() for the field the user just edited. */
export const useFormErrors = <Field extends string>() => {
  const [errors, setErrors] = React.useState<FormErrors<Field>>({});
  const clearError = React.useCallback(
    (field: Field) =>
      setErrors((current) => {
        if (!(field in current)) return current;
        const { [field]: _removed, ...rest } = current;
        return rest as FormErrors<Field>;
      }),
    []
  );
  return { errors, setErrors, clearError };
};
