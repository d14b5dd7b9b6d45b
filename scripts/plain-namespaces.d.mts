/** `code` with esbuild's namespace objects made plain objects filled at the end of the file, and how many. */
export function plainNamespaces(code: string, helpers?: string[]): { code: string; rewritten: number }
/** Rewrites `entry` and the files it imports in place; returns how many namespace objects were rewritten. */
export function plainNamespacesOf(entry: string): number
