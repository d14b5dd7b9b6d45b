import { formatExponential, formatFixed } from '../format.js'
import type { Tensor } from '../tensor.js'
import type { Explanation, ExplainStep, ForwardValue, JacobianFactor, ParameterGradient } from './explain.js'
import { checkOptionKeys } from '../options.js'

export interface FormatExplanationOptions {
  /** 'text' (the default) for a terminal; 'markdown' for notebooks and docs: Markdown with LaTeX ($$…$$). */
  format?: 'text' | 'markdown'
  /** Decimals of every printed number, 1 to 12. Default 4, as PyTorch prints. */
  decimals?: number
  /** Rows and columns beyond this many are elided (first and last few shown). Default 12. */
  maxSize?: number
}

/**
 * The walk-through as the seed's §3 would have printed it: the forward pass (3.1), then for
 * each Linear layer from the loss backwards (3.2.1 "Hidden Layer 2 Weight Gradient", 3.2.2
 * "Layer 1 Weight Gradient", ...) its chain of Jacobians, every factor and running product
 * as a matrix, the gradients reshaped to the parameters' shapes with autograd's verdict, and
 * finally the SGD update (3.3).
 *
 * @example
 * console.log(formatExplanation(explain(model, x, target, 'bce')))
 * writeFileSync('walkthrough.md', formatExplanation(e, { format: 'markdown' }))
 */
export function formatExplanation(e: Explanation, options: FormatExplanationOptions = {}): string {
  checkOptionKeys('formatExplanation', options, ['format', 'decimals', 'maxSize'])
  const { format = 'text', decimals = 4, maxSize = 12 } = options
  if (format !== 'text' && format !== 'markdown') throw new Error(`formatExplanation: format must be 'text' or 'markdown', got ${JSON.stringify(format)}`)
  if (!Number.isInteger(decimals) || decimals < 1 || decimals > 12) throw new RangeError(`formatExplanation: decimals must be an integer from 1 to 12, got ${decimals}`)
  if (!Number.isInteger(maxSize) || maxSize < 2) throw new RangeError(`formatExplanation: maxSize must be an integer of at least 2, got ${maxSize}`)
  const r = format === 'text' ? new TextRenderer(decimals, maxSize) : new MarkdownRenderer(decimals, maxSize)
  // Renderers end blocks with blank lines freely: keep one between blocks.
  return `${render(e, r).join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`
}

/** What differs between the text and the Markdown walk-through. */
interface Renderer {
  heading(level: number, title: string): string
  paragraph(text: string, latex?: string): string[]
  /** `lhs = matrix`, with a note (shape, "at a₁") after it. */
  matrix(lhs: Equation, t: Tensor, note?: Equation): string[]
  /** `lhs = value` for a number. */
  scalar(lhs: Equation, value: number): string[]
  /** An equation on its own. */
  equation(eq: Equation): string[]
  code(s: string): string
}

/** The same equation in both notations. */
interface Equation {
  text: string
  latex: string
}

function render(e: Explanation, r: Renderer): string[] {
  const out: string[] = []
  const model = `Sequential(${e.layers.map((l) => l.description).join(', ')})`
  const reduction = e.loss.reduction ? `, ${e.loss.reduction}` : ''
  const samples = e.batchSize === 1 ? 'one sample' : `a batch of ${e.batchSize} samples explained as one function of all their inputs`
  out.push(r.heading(1, 'Backpropagation as a product of Jacobians'), '')
  out.push(...r.paragraph(`Model: ${r.code(model)}, ${e.dtype}, ${samples}.`))
  out.push(
    ...r.paragraph(
      `Layers: ${e.layers.map((l) => l.name).join(', ')}; loss E: ${e.loss.description}${reduction}.`,
      `Layers: ${e.layers.map((l) => `$${l.latex}$`).join(', ')}; loss $E$: ${e.loss.description}${reduction}.`,
    ),
  )
  out.push(...r.equation({ text: e.loss.formula, latex: e.loss.formulaLatex }), '')

  out.push(r.heading(2, '3.1 Forward Pass'), '')
  for (const v of e.forward) out.push(...block(r.matrix(forwardEquation(v), v.value)))
  out.push(...block(r.matrix({ text: 'l', latex: '\\vec{l}' }, e.target, { text: 'the target', latex: '\\text{the target}' })))
  out.push(...r.scalar({ text: 'E', latex: 'E' }, e.loss.value), '')

  out.push(r.heading(2, '3.2 Backpropagation'), '')
  out.push(
    ...r.paragraph(
      'Each gradient is a product of Jacobians evaluated at the forward values above. J_v(f) is the Jacobian of f with respect to v ' +
        '(one row per output of f, one column per entry of v; weight matrices are flattened row-major), computed by jacobian().',
      'Each gradient is a product of Jacobians evaluated at the forward values above. $J_{v}(f)[u]$ is the Jacobian of $f$ with respect to $v$ at $u$ ' +
        '(one row per output of $f$, one column per entry of $v$; weight matrices are flattened row-major), computed by `jacobian()`.',
    ),
    '',
  )
  const byName = new Map<string, JacobianFactor>()
  e.steps.forEach((step, i) => {
    for (const f of step.factors) byName.set(f.name, f)
    out.push(...renderStep(step, `3.2.${i + 1}`, byName, e, r))
  })

  out.push(r.heading(2, `3.3 SGD Update (lr ${e.lr})`), '')
  out.push(...r.paragraph(`Every parameter p becomes p − ${e.lr}·∂E/∂p:`, `Every parameter $p$ becomes $p - ${e.lr}\\,\\frac{\\partial E}{\\partial p}$:`), '')
  for (const g of [...e.gradients].sort((a, b) => a.layer - b.layer || (a.kind === 'weight' ? -1 : 1))) {
    const label = `Layer ${g.layer} ${g.kind === 'weight' ? 'Weights' : 'Bias'}`
    out.push(
      ...withBlank(
        r.matrix(
          {
            text: `${label}: ${g.symbol} − ${e.lr}·∂E/∂${g.symbol}`,
            latex: `\\text{${label}: } ${g.latex} - ${e.lr}\\,\\frac{\\partial E}{\\partial ${g.latex}}`,
          },
          g.updated,
        ),
      ),
    )
  }
  if (out[out.length - 1] !== '') out.push('')
  out.push(
    ...r.paragraph(
      e.agrees
        ? `Check: every Jacobian product equals autograd's gradient (largest |difference| ${formatDifference(e.maxDifference)}).`
        : `Check FAILED: a Jacobian product differs from autograd's gradient (largest |difference| ${formatDifference(e.maxDifference)}).`,
    ),
  )
  return out
}

function forwardEquation(v: ForwardValue): Equation {
  return v.formula ? { text: `${v.name} = ${v.formula}`, latex: `${v.latex} = ${v.formulaLatex}` } : { text: v.name, latex: v.latex }
}

function renderStep(step: ExplainStep, section: string, byName: Map<string, JacobianFactor>, e: Explanation, r: Renderer): string[] {
  const out: string[] = [r.heading(3, `${section} ${step.title}`), '']
  // The chain of each parameter, written out in full.
  for (const g of step.gradients) out.push(...r.equation(chainEquation(g, byName)))
  out.push('')
  for (const f of step.factors) {
    out.push(
      ...r.matrix({ text: f.name, latex: `${f.latex}\\big[${latexOfValue(e, f.at)}\\big]` }, f.value, {
        text: `at ${f.at}, ${f.shape[0]}×${f.shape[1]}`,
        latex: `${f.shape[0]} \\times ${f.shape[1]}`,
      }),
      '',
    )
  }
  for (const p of step.products) {
    const [prefix, last] = splitChain(p.factors, e)
    out.push(
      ...r.matrix(
        { text: `${p.name} = ${prefix.text} · ${last.text}`, latex: `${p.latex} = ${prefix.latex} \\, ${last.latex}` },
        p.value,
        {
          text: `${p.value.shape[0]}×${p.value.shape[1]}${p.agrees ? '' : `; autograd DIFFERS by ${formatDifference(p.maxDifference)}`}`,
          latex: `${p.value.shape[0]} \\times ${p.value.shape[1]}${p.agrees ? '' : `\\text{; autograd DIFFERS by ${formatDifference(p.maxDifference)}}`}`,
        },
      ),
      '',
    )
  }
  for (const g of step.gradients) out.push(...renderGradient(g, e, r))
  return out
}

/** ∂E/∂W₂ = J_a₂(E) · J_z₂(σ₂) · J_W₂(L₂). */
function chainEquation(g: ParameterGradient, byName: Map<string, JacobianFactor>): Equation {
  return {
    text: `∂E/∂${g.symbol} = ${g.factors.join(' · ')}`,
    latex: `\\frac{\\partial E}{\\partial ${g.latex}} = ${g.factors.map((n) => byName.get(n)?.latex ?? n).join(' \\, ')}`,
  }
}

/**
 * A chain as "what was already computed" and its last factor: the running product named by the
 * earlier factors (∂E/∂z₂ for J_a₂(E)·J_z₂(σ₂)), or the single factor itself.
 */
function splitChain(factors: string[], e: Explanation): [Equation, Equation] {
  const head = factors.slice(0, -1)
  const last = factors[factors.length - 1]
  const latexOf = (name: string): string => e.steps.flatMap((s) => s.factors).find((f) => f.name === name)?.latex ?? name
  const known = e.steps.flatMap((s) => s.products).find((p) => sameList(p.factors, head))
  const prefix = known ? { text: known.name, latex: known.latex } : { text: head.join(' · '), latex: head.map(latexOf).join(' \\, ') }
  return [prefix, { text: last, latex: latexOf(last) }]
}

function renderGradient(g: ParameterGradient, e: Explanation, r: Renderer): string[] {
  const [prefix, last] = splitChain(g.factors, e)
  const [m, n] = g.product.shape
  const reshaped = g.grad.ndim === 2
  const verdict = g.agrees ? 'matches' : 'DIFFERS from'
  return [
    ...r.matrix(
      { text: `∂E/∂${g.symbol} = ${prefix.text} · ${last.text}`, latex: `\\frac{\\partial E}{\\partial ${g.latex}} = ${prefix.latex} \\, ${last.latex}` },
      g.grad,
      {
        text: `${m}×${n}${reshaped ? `, reshaped to ${g.symbol}'s shape ${g.grad.shape.join('×')}` : ''}`,
        latex: `${m} \\times ${n}${reshaped ? `\\text{, reshaped to } ${g.grad.shape.join(' \\times ')}` : ''}`,
      },
    ),
    ...r.paragraph(
      `This ${verdict} autograd's ${g.key}.grad: largest |difference| ${formatDifference(g.maxDifference)}.`,
      `This ${verdict} autograd's \`${g.key}.grad\`: largest $|\\text{difference}|$ ${formatDifference(g.maxDifference)}.`,
    ),
    '',
  ]
}

/** Lines followed by one blank line. */
function withBlank(lines: string[]): string[] {
  return [...lines, '']
}

/** A matrix of several lines gets a blank line after it; a one-line vector does not. */
function block(lines: string[]): string[] {
  return lines.length > 1 && lines[lines.length - 1] !== '' ? [...lines, ''] : lines
}

function latexOfValue(e: Explanation, name: string): string {
  return e.forward.find((v) => v.name === name)?.latex ?? name
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function formatDifference(d: number): string {
  return d === 0 ? '0' : formatExponential(d, 1)
}

// ---- numbers ------------------------------------------------------------------------------

/** Indices shown along a dim of `size`: all, or the first and last few with null for the gap. */
function shown(size: number, maxSize: number): (number | null)[] {
  if (size <= maxSize) return Array.from({ length: size }, (_, i) => i)
  const edge = Math.floor(maxSize / 2)
  return [...Array.from({ length: edge }, (_, i) => i), null, ...Array.from({ length: edge }, (_, i) => size - edge + i)]
}

/** The tensor as rows of formatted cells (a vector is one row; a scalar one cell). */
function cells(t: Tensor, decimals: number, maxSize: number): { rows: (string | null)[][]; vector: boolean } {
  const data = t.data
  const number = (v: number): string => formatFixed(v === 0 ? 0 : v, decimals) // never "-0.0000" for an exact zero
  if (t.ndim <= 1) {
    const n = t.ndim === 0 ? 1 : t.shape[0]
    return { rows: [shown(n, maxSize).map((j) => (j === null ? null : number(data[j])))], vector: true }
  }
  const cols = t.shape[t.ndim - 1]
  const rows = t.numel() / cols
  return {
    rows: shown(rows, maxSize).map((i) =>
      i === null ? [null] : shown(cols, maxSize).map((j) => (j === null ? null : number(data[i * cols + j]))),
    ),
    vector: false,
  }
}

class TextRenderer implements Renderer {
  constructor(
    private readonly decimals: number,
    private readonly maxSize: number,
  ) {}

  heading(_level: number, title: string): string {
    return title
  }

  paragraph(text: string): string[] {
    return wrap(text, 100)
  }

  equation(eq: Equation): string[] {
    return [eq.text]
  }

  code(s: string): string {
    return s
  }

  scalar(lhs: Equation, value: number): string[] {
    return [`${lhs.text} = ${formatFixed(value, this.decimals)}`]
  }

  /**
   * A vector as `[0.5740, 0.7480]`, a matrix as PyTorch prints one, each column right-aligned:
   *   [[-0.0652, -0.0849],
   *    [ 0.2218,  0.2891]]
   */
  matrix(lhs: Equation, t: Tensor, note?: Equation): string[] {
    const { rows, vector } = cells(t, this.decimals, this.maxSize)
    const width = Math.max(...rows.flat().map((c) => (c === null ? 0 : c.length)))
    const line = (row: (string | null)[]): string => row.map((c) => (c === null ? '...' : c.padStart(width))).join(', ')
    const title = `${lhs.text}${note ? ` (${note.text})` : ''}`
    if (vector) return [`${title} = [${line(rows[0])}]`]
    const body = rows.map((row, i) => {
      const open = i === 0 ? '[[' : ' ['
      const close = i === rows.length - 1 ? ']]' : '],'
      return row.length === 1 && row[0] === null ? ' ...,' : `${open}${line(row)}${close}`
    })
    return [`${title} =`, ...body]
  }
}

/** Break `text` at spaces into lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  lines.push(line)
  return lines
}

class MarkdownRenderer implements Renderer {
  constructor(
    private readonly decimals: number,
    private readonly maxSize: number,
  ) {}

  heading(level: number, title: string): string {
    return `${'#'.repeat(level + 1)} ${title}`
  }

  paragraph(text: string, latex?: string): string[] {
    return [latex ?? text, '']
  }

  equation(eq: Equation): string[] {
    return [`$$${eq.latex}$$`, '']
  }

  code(s: string): string {
    return `\`${s}\``
  }

  scalar(lhs: Equation, value: number): string[] {
    return [`$$${lhs.latex} = ${formatFixed(value, this.decimals)}$$`, '']
  }

  /** `$$lhs = \left[\begin{array}{rrr} … \end{array}\right] \quad (note)$$`. */
  matrix(lhs: Equation, t: Tensor, note?: Equation): string[] {
    const { rows } = cells(t, this.decimals, this.maxSize)
    const cols = Math.max(...rows.map((r) => r.length))
    const body = rows
      .map((row) => (row.length === 1 && row[0] === null && cols > 1 ? Array(cols).fill('\\vdots') : row.map((c) => (c === null ? '\\cdots' : c))).join(' & '))
      .join(' \\\\ ')
    const array = `\\left[\\begin{array}{${'r'.repeat(cols)}} ${body} \\end{array}\\right]`
    return [`$$${lhs.latex} = ${array}${note ? ` \\quad (${note.latex})` : ''}$$`, '']
  }
}
