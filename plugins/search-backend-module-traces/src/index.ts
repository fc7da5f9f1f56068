/**
 * Search backend module that indexes traced services from the traces backend: find the
 * component that serves a route or span name, with its owner and rates.
 *
 * @packageDocumentation
 */
export { searchModuleTracesCollator as default } from './module';
export { TracesCollatorFactory } from './collator/TracesCollatorFactory';
