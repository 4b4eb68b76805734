/**
 * API paths as `RestApi` takes them (`/customers/{customerId}`) and the readable, stable logical ids
 * derived from them (`CustomersByCustomerId`), which become part of every Terraform address.
 */

export function normalisePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (trimmed === '') return '/';
  if (!/^(\/(\{[A-Za-z0-9_.+-]+\}|[A-Za-z0-9_.:-]+))+$/.test(trimmed)) {
    throw new Error(`Invalid API path "${path}": use segments like /customers/{customerId}.`);
  }
  return trimmed;
}

/** `/customers/{customerId}/email` -> `CustomersByCustomerIdEmail`, stable and readable in the plan. */
export function logicalSuffix(path: string): string {
  if (path === '/') return 'Root';
  return path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith('{') ? `by ${segment}` : segment))
    .map((segment) => segment.replace(/[^A-Za-z0-9]/g, ' ').trim())
    .map((segment) => segment.split(/\s+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''))
    .join('');
}
