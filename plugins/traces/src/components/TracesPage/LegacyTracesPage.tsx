import { Header, Page } from '@backstage/core-components';
import { TracesPage } from './TracesPage';

/** The traces page with the page chrome that legacy apps expect from a routable extension. */
export function LegacyTracesPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Traces"
        subtitle="Distributed traces across all services"
      />
      <TracesPage />
    </Page>
  );
}
