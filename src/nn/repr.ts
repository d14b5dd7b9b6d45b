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
