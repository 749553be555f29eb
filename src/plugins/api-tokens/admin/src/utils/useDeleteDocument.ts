import * as React from 'react';
import { useNotification } from '@strapi/strapi/admin';
import { useQueryClient, type QueryKey } from 'react-query';
import { useIntl, type MessageDescriptor } from 'react-intl';
import { errorMessageOf } from './errors';

interface Named {
  documentId: string;
  name: string;
}

interface DeleteDocumentOptions {
  remove: (documentId: string) => Promise<unknown>;
  keys: { list: () => QueryKey; detail: (documentId: string) => QueryKey };
  /** `success` gets the deleted document's `{name}`; `error` is shown when the server gives no message. */
  messages: { success: MessageDescriptor; error: MessageDescriptor };
  onDeleted?: () => void;
}

/**
 * The delete confirmed in a delete dialog: the document being confirmed, and the delete itself, which drops it from
 * the cached list and says so (or shows the server's message, e.g. a 409).
 */
export const useDeleteDocument = <T extends Named>({ remove, keys, messages, onDeleted }: DeleteDocumentOptions) => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const queryClient = useQueryClient();
  const [deleting, setDeleting] = React.useState<T | null>(null);

  const confirmDelete = async () => {
    if (!deleting) return;
    try {
      await remove(deleting.documentId);
      queryClient.setQueryData<T[] | undefined>(keys.list(), (list) =>
        list?.filter((row) => row.documentId !== deleting.documentId)
      );
      queryClient.removeQueries(keys.detail(deleting.documentId));
      void queryClient.invalidateQueries(keys.list());
      toggleNotification({ type: 'success', message: formatMessage(messages.success, { name: deleting.name }) });
      setDeleting(null);
      onDeleted?.();
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessageOf(error, formatMessage(messages.error)) });
    }
  };

  return { deleting, setDeleting, confirmDelete };
};
