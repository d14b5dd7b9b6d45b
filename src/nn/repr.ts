/** Printing helpers of nn.Module (PyTorch's repr conventions). */

export { className } from '../class-name.js'

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

/** PyTorch's module repr from its name, its extraRepr() and its children (null ones print as None). */
export function moduleRepr(name: string, extra: string, children: Iterable<[string, { toString(): string } | null]>): string {
  const extraLines = extra ? extra.split('\n') : []
  const childLines: string[] = []
  for (const [key, m] of children) childLines.push(`(${key}): ${addIndent(m === null ? 'None' : m.toString(), 2)}`)
  const lines = [...extraLines, ...childLines]
  if (lines.length === 0) return `${name}()`
  // Most built-in modules fit on one line.
  if (extraLines.length === 1 && childLines.length === 0) return `${name}(${extraLines[0]})`
  return `${name}(\n  ${lines.join('\n  ')}\n)`
}
