import { Dots, NextLink, PageLink, Pagination, PreviousLink } from '@strapi/design-system';
import { useIntl } from 'react-intl';

interface PageLinksProps {
  page: number;
  pageCount: number;
  onPageChange: (page: number) => void;
  /** Pages shown on each side of the current one. */
  siblings?: number;
}

/** The pages to show: the first, the last, the current one with its siblings, and `null` where pages are skipped. */
export const pageItems = (page: number, pageCount: number, siblings = 1): (number | null)[] => {
  const shown = new Set([1, pageCount]);
  for (let candidate = page - siblings; candidate <= page + siblings; candidate += 1) {
    if (candidate >= 1 && candidate <= pageCount) shown.add(candidate);
  }
  const sorted = [...shown].sort((a, b) => a - b);
  const items: (number | null)[] = [];
  sorted.forEach((candidate, index) => {
    const previous = sorted[index - 1];
    // One missing page is shown rather than replaced by dots.
    if (previous !== undefined && candidate - previous === 2) items.push(previous + 1);
    else if (previous !== undefined && candidate - previous > 2) items.push(null);
    items.push(candidate);
  });
  return items;
};

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
