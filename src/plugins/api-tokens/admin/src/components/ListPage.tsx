import * as React from 'react';
import { EmptyStateLayout, LinkButton } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Layouts, Page } from '@strapi/strapi/admin';
import { Link } from 'react-router-dom';

interface ListPageProps {
  title: string;
  subtitle: string;
  /** The label of the button that opens the `new` route; shown only when `canCreate`. */
  createLabel: string;
  canCreate: boolean;
  isEmpty: boolean;
  /** What the empty state says, with and without the create permission. */
  emptyMessage: string;
  emptyMessageNoCreate: string;
  /** The list (a table), shown when not empty. */
  children: React.ReactNode;
  /** Dialogs and modals the list opens. */
  overlays?: React.ReactNode;
}

/** The plugin's list screens: a header with the create button, the list or an empty state, and its dialogs. */
export const ListPage = ({
  title,
  subtitle,
  createLabel,
  canCreate,
  isEmpty,
  emptyMessage,
  emptyMessageNoCreate,
  children,
  overlays,
}: ListPageProps) => {
  const createButton = (variant: 'default' | 'secondary') => (
    <LinkButton tag={Link} to="new" variant={variant} startIcon={<Plus />} size={variant === 'default' ? 'S' : 'M'}>
      {createLabel}
    </LinkButton>
  );

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header title={title} subtitle={subtitle} primaryAction={canCreate ? createButton('default') : null} />
      <Layouts.Content>
        {isEmpty ? (
          <EmptyStateLayout
            icon={<EmptyDocuments width="16rem" />}
            content={canCreate ? emptyMessage : emptyMessageNoCreate}
            action={canCreate ? createButton('secondary') : undefined}
          />
        ) : (
          children
        )}
      </Layouts.Content>
      {overlays}
    </Page.Main>
  );
};
