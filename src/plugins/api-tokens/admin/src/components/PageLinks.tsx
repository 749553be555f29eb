import { Dots, NextLink, PageLink, Pagination, PreviousLink } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { pageItems } from '../utils/pageItems';

interface PageLinksProps {
  page: number;
  pageCount: number;
  onPageChange: (page: number) => void;
  /** Pages shown on each side of the current one. */
  siblings?: number;
}

/** The design system's page links as buttons, for a list paged in component state rather than in the URL. */
export const PageLinks = ({ page, pageCount, onPageChange, siblings }: PageLinksProps) => {
  const { formatMessage } = useIntl();
  return (
    <Pagination activePage={page} pageCount={pageCount}>
      <PreviousLink tag="button" type="button" onClick={() => page > 1 && onPageChange(page - 1)}>
        {formatMessage({ id: 'components.pagination.go-to-previous', defaultMessage: 'Go to previous page' })}
      </PreviousLink>
      {pageItems(page, pageCount, siblings).map((item, index) =>
        item === null ? (
          <Dots key={`dots-${index}`} />
        ) : (
          <PageLink key={item} tag="button" type="button" number={item} onClick={() => onPageChange(item)}>
            {formatMessage({ id: 'components.pagination.go-to', defaultMessage: 'Go to page {page}' }, { page: item })}
          </PageLink>
        )
      )}
      <NextLink tag="button" type="button" onClick={() => page < pageCount && onPageChange(page + 1)}>
        {formatMessage({ id: 'components.pagination.go-to-next', defaultMessage: 'Go to next page' })}
      </NextLink>
    </Pagination>
  );
};
