import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { ENTITY_TRACES_TAB_PATH } from '../../routes';

/** Builds the path of an entity's Traces tab, optionally with search parameters. */
export function useEntityTracesTabLink(): (
  entityRef: string,
  params?: URLSearchParams,
) => string {
  const entityLink = useEntityRefLink();
  return (entityRef, params) => {
    const query = params?.toString();
    return `${entityLink(entityRef)}${ENTITY_TRACES_TAB_PATH}${
      query ? `?${query}` : ''
    }`;
  };
}
