export { telemetryModule } from './telemetryModule';
