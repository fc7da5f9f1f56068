/** The text that replaces a masked value, so a reader sees that something was there. */
export const MASKED_VALUE = '[masked]';
