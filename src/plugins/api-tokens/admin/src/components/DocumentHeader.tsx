import * as React from 'react';
import { Button, Flex, LinkButton } from '@strapi/design-system';
import { Pencil, Trash } from '@strapi/icons';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';
import { Link } from 'react-router-dom';

interface DocumentHeaderProps {
  title: string;
  subtitle?: string;
  /** Next to the title, e.g. a status badge. */
  status?: React.ReactNode;
  deleteLabel: string;
  /** Shows the Delete button when given. */
  onDelete?: () => void;
  editLabel: string;
  /** Shows the Edit link (to `edit`). */
  canEdit: boolean;
  /** The page's own actions, after Edit (e.g. "Send now"). */
  children?: React.ReactNode;
}

/** The header of one document's page: back, title, and Delete, Edit and the page's own actions. */
export const DocumentHeader = ({
  title,
  subtitle,
  status,
  deleteLabel,
  onDelete,
  editLabel,
  canEdit,
  children,
}: DocumentHeaderProps) => (
  <>
    <Page.Title>{title}</Page.Title>
    <Layouts.Header
      title={title}
      secondaryAction={status}
      subtitle={subtitle}
      navigationAction={<BackButton fallback=".." />}
      primaryAction={
        <Flex gap={2}>
          {onDelete ? (
            <Button variant="danger-light" size="S" startIcon={<Trash />} onClick={onDelete}>
              {deleteLabel}
            </Button>
          ) : null}
          {canEdit ? (
            <LinkButton tag={Link} to="edit" variant="secondary" size="S" startIcon={<Pencil />}>
              {editLabel}
            </LinkButton>
          ) : null}
          {children}
        </Flex>
      }
    />
  </>
);
