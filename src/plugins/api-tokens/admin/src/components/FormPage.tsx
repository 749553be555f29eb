import * as React from 'react';
import { Button, Flex } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';

interface FormPageProps {
  title: string;
  subtitle: string;
  /** Where the back button leads when there is no history. */
  backTo: string;
  submitLabel: string;
  /** False hides the submit button, for someone who may only read. */
  canSubmit?: boolean;
  isSubmitting: boolean;
  onSubmit: (event: React.FormEvent) => void;
  /** The form's sections. */
  children: React.ReactNode;
  /** Dialogs and modals outside the form. */
  overlays?: React.ReactNode;
}

/** The plugin's create and edit screens: a form with a header (back, title, submit) over its sections. */
export const FormPage = ({
  title,
  subtitle,
  backTo,
  submitLabel,
  canSubmit = true,
  isSubmitting,
  onSubmit,
  children,
  overlays,
}: FormPageProps) => (
  <Page.Main>
    <Page.Title>{title}</Page.Title>
    <form noValidate onSubmit={onSubmit} aria-label={title}>
      <Layouts.Header
        title={title}
        subtitle={subtitle}
        navigationAction={<BackButton fallback={backTo} />}
        primaryAction={
          canSubmit ? (
            <Button type="submit" startIcon={<Check />} loading={isSubmitting} size="S">
              {submitLabel}
            </Button>
          ) : null
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {children}
        </Flex>
      </Layouts.Content>
    </form>
    {overlays}
  </Page.Main>
);
