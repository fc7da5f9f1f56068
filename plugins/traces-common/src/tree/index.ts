export * from './criticalPath';
