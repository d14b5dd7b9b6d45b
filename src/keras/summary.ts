import type { SymbolicShape } from './layer.js'

export interface SummaryRow {
  name: string
  className: string
  /** null when the layer is not built (no input shape known yet). */
  outputShape: SymbolicShape | null
  params: number
}

export interface SummaryTable {
  modelName: string
  rows: SummaryRow[]
  trainable: number
  nonTrainable: number
}

/** Python's shape tuple: `(None, 3)`, `(None,)`. */
function tuple(shape: SymbolicShape | null): string {
  if (!shape) return 'multiple'
  const items = shape.map((d) => (d === null ? 'None' : String(d)))
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`
}

/** `1234567` → `'1,234,567'` (Python's `{:,}`). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * The lines of Keras's `model.summary()` (tf.keras 2.1's layout for a Sequential model): columns
 * end at `positions` (fractions of `lineLength`, or absolute), rows separated by rules.
 *
 *     Model: "sequential"
 *     _________________________________________________________________
 *     Layer (type)                 Output Shape              Param #
 *     =================================================================
 *     dense (Dense)                (None, 3)                 12
 *     ...
 */
export function summaryLines(table: SummaryTable, lineLength = 65, positions: readonly number[] = [0.45, 0.85, 1]): string[] {
  if (positions.length !== 3) throw new Error(`summary: positions must give the right edge of each of 3 columns, got ${JSON.stringify(positions)}`)
  const edges = positions[positions.length - 1] <= 1 ? positions.map((p) => Math.floor(lineLength * p)) : [...positions]
  const row = (fields: string[]): string => {
    let line = ''
    fields.forEach((field, i) => {
      if (i > 0) line = line.slice(0, -1) + ' '
      line = (line + field).slice(0, edges[i])
      line += ' '.repeat(Math.max(0, edges[i] - line.length))
    })
    return line
  }
  const lines = [`Model: "${table.modelName}"`, '_'.repeat(lineLength), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(lineLength)]
  table.rows.forEach((r, i) => {
    lines.push(row([`${r.name} (${r.className})`, tuple(r.outputShape), String(r.params)]))
    lines.push((i === table.rows.length - 1 ? '=' : '_').repeat(lineLength))
  })
  if (table.rows.length === 0) lines.push('='.repeat(lineLength))
  lines.push(
    `Total params: ${thousands(table.trainable + table.nonTrainable)}`,
    `Trainable params: ${thousands(table.trainable)}`,
    `Non-trainable params: ${thousands(table.nonTrainable)}`,
    '_'.repeat(lineLength),
  )
  return lines
}
