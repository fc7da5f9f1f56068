/** Tempo's (dskit's) longest tenant ID. */
const MAX_TENANT_ID_LENGTH = 150;
const TENANT_ID_CHAR = /^[A-Za-z0-9!\-_.*'()]$/;

/**
 * Why `value` cannot be sent as `X-Scope-OrgID`, or undefined when it can. Tempo takes the
 * tenant IDs of Grafana's dskit: letters, digits and `! - _ . * ' ( )`, at most 150
 * characters, not `.` or `..`; several tenants (a cross-tenant query) are joined with `|`.
 * Anything else (a line break, a non-ASCII letter) could not travel in an HTTP header or
 * would be refused by Tempo with a message that blames nobody.
 */
export function tenantIdProblem(value: string): string | undefined {
  for (const tenant of value.split('|')) {
    if (!tenant) return 'it has an empty tenant ID (around a |)';
    const bad = [...tenant].find(char => !TENANT_ID_CHAR.test(char));
    if (bad) {
      const code = bad.codePointAt(0)!.toString(16).toUpperCase();
      return `the character ${JSON.stringify(bad)} (U+${code.padStart(
        4,
        '0',
      )}) is not allowed; tenant IDs use letters, digits and ! - _ . * ' ( ), several are joined with |`;
    }
    if (tenant.length > MAX_TENANT_ID_LENGTH) {
      return `a tenant ID is longer than ${MAX_TENANT_ID_LENGTH} characters`;
    }
    if (tenant === '.' || tenant === '..') {
      return `'${tenant}' is not a tenant ID`;
    }
  }
  return undefined;
}
