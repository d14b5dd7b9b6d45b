/** Printing helpers of nn.Module (PyTorch's repr conventions). */

/**
 * A class's name for printing and messages: its own static `displayName` if it declares one,
 * else its `name`. Built-in classes declare it because bundlers rename classes whose names
 * collide (nn.Sequential and keras.Sequential would print as "Sequential2"); a user's subclass
 * inherits no displayName of its own, so it prints under its own name, as in PyTorch.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function className(ctor: Function): string {
  const own = Object.getOwnPropertyDescriptor(ctor, 'displayName')?.value
  return typeof own === 'string' ? own : ctor.name
}

/** Indent every line but the first (PyTorch's `_addindent`). */
export function addIndent(s: string, spaces: number): string {
  const lines = s.split('\n')
  if (lines.length === 1) return s
  const pad = ' '.repeat(spaces)
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n')
}

/** Python's repr of a bool, for extraRepr. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False'
}
