export * from './criticalPath';
export * from './spanTree';
