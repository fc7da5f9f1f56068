export * from './exploreUrls';
export { readGrafanaSettings } from './grafanaSettings';
export { useGrafanaSettings } from './useGrafanaSettings';
