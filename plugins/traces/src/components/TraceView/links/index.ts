export { SpanCatalogLinks } from './SpanCatalogLinks';
