/**
 * PyTorch-style printing of tensors: a port of `torch/_tensor_str.py` (PyTorch 2.x)
 * for dense CPU tensors of our three dtypes.
 *
 * `formatTensor` reproduces `str(t)` / `repr(t)` character for character under
 * PyTorch's default print options (precision 4, threshold 1000, edgeitems 3,
 * linewidth 80, sci_mode None):
 *
 *   tensor([0.5740, 0.7480, 0.6495], grad_fn=<ReluBackward0>)
 *   tensor([[-0.0652, -0.0849, -0.0737],
 *           [ 0.2218,  0.2891,  0.2510]])
 *
 * PyTorch formats every element as a Python float (a double, even for float32
 * storage) with Python's correctly rounded, round-half-to-even `{:.4f}` and
 * `{:.4e}`. JavaScript's toFixed/toExponential round exact ties away from zero
 * (0.03125 -> "0.0313" where Python gives "0.0312") and toExponential writes
 * "e-5" rather than "e-05", so the digits here are computed exactly with BigInt.
 */
import type { DType } from './dtype.js'

/** The plain data `formatTensor` needs; `data` is flat, row-major, contiguous. */
export interface Printable {
  shape: readonly number[]
  dtype: DType
  data: ArrayLike<number>
  requiresGrad: boolean
  isLeaf: boolean
  /** Name of the node that created the tensor (`'ReluBackward0'`), or null for a leaf. */
  gradFnName: string | null
}

/** `torch.set_printoptions`: the same names, camel-cased. */
export interface PrintOptions {
  /** Digits after the decimal point (default 4). */
  precision: number
  /** Element count above which a tensor is summarised with `...` (default 1000). */
  threshold: number
  /** Items kept at the start and end of each summarised dimension (default 3). */
  edgeitems: number
  /** Characters per line used to wrap rows (default 80). */
  linewidth: number
  /** Force (true) or forbid (false) scientific notation; null lets the formatter decide. */
  sciMode: boolean | null
}

export const DEFAULT_PRINT_OPTIONS: Readonly<PrintOptions> = Object.freeze({
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sciMode: null,
})

/** PyTorch's default dtype: the one dtype whose name is not printed. */
const DEFAULT_DTYPE: DType = 'float32'

/** `str(tensor)` as PyTorch prints it (`_str_intern`). */
export function formatTensor(t: Printable, options: Partial<PrintOptions> = {}): string {
  const opts: PrintOptions = { ...DEFAULT_PRINT_OPTIONS, ...options }
  const prefix = 'tensor('
  const indent = prefix.length
  const suffixes: string[] = []
  const numel = t.shape.reduce((n, d) => n * d, 1)
  if (t.data.length !== numel) {
    throw new Error(`formatTensor: ${t.data.length} elements cannot have shape [${t.shape.join(', ')}]`)
  }

  let body: string
  if (numel === 0) {
    // Like NumPy: the shape is shown unless it is (0,). With no elements to look at,
    // the dtype is shown whenever it is not the default (int64 included, in PyTorch).
    if (t.shape.length !== 1) suffixes.push(`size=${pythonTuple(t.shape)}`)
    if (t.dtype !== DEFAULT_DTYPE) suffixes.push(`dtype=torch.${t.dtype}`)
    body = '[]'
  } else {
    // bool is "default" too (int64 would be, but we have none): its values say what it is.
    if (t.dtype !== DEFAULT_DTYPE && t.dtype !== 'bool') suffixes.push(`dtype=torch.${t.dtype}`)
    body = tensorStr(t, numel, indent, opts)
  }

  // A tensor made by an op shows its grad_fn; a leaf that requires grad says so.
  if (t.gradFnName !== null) suffixes.push(`grad_fn=<${t.gradFnName}>`)
  else if (t.requiresGrad) suffixes.push('requires_grad=True')

  return addSuffixes(prefix + body, suffixes, indent, opts.linewidth)
}

/** `_add_suffixes`: append `, suffix`, moving a suffix to its own line when it would pass linewidth. */
function addSuffixes(str: string, suffixes: string[], indent: number, linewidth: number): string {
  const parts = [str]
  // PyTorch's own arithmetic: 2 more than the last line's length (1 more than
  // len - rfind, which is also what it gives when there is no newline: -1).
  let lastLineLen = str.length - str.lastIndexOf('\n') + 1
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix)
      lastLineLen = indent + suffix.length
    } else {
      parts.push(', ' + suffix)
      lastLineLen += suffix.length + 2
    }
  }
  parts.push(')')
  return parts.join('')
}

function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
}

/** `_tensor_str`: the bracketed contents of a non-empty tensor. */
function tensorStr(t: Printable, numel: number, indent: number, opts: PrintOptions): string {
  const summarize = numel > opts.threshold
  const strides = rowMajorStrides(t.shape)
  // The formatter sees only the elements that will be printed (get_summarized_data).
  const shown = summarize ? summarizedValues(t, strides, opts.edgeitems) : Array.from(t.data)
  const formatter = new Formatter(shown, t.dtype !== 'int32' && t.dtype !== 'bool', opts, t.dtype === 'bool')
  return tensorStrWithFormatter(t, strides, 0, 0, indent, summarize, formatter, opts)
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length)
  let s = 1
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s
    s *= shape[d]
  }
  return strides
}

/** Indices kept along a dimension of `size`: all, or the first and last `edgeitems`. */
function keptIndices(size: number, summarize: boolean, edgeitems: number): number[] | null {
  if (!summarize || size <= 2 * edgeitems) return null
  const head = Array.from({ length: edgeitems }, (_, i) => i)
  const tail = Array.from({ length: edgeitems }, (_, i) => size - edgeitems + i)
  return [...head, ...tail]
}

/** `get_summarized_data`, flattened: the values of the printed corner blocks. */
function summarizedValues(t: Printable, strides: number[], edgeitems: number): number[] {
  const out: number[] = []
  const walk = (dim: number, offset: number): void => {
    if (dim === t.shape.length) {
      out.push(t.data[offset])
      return
    }
    const size = t.shape[dim]
    const kept = keptIndices(size, true, edgeitems)
    if (kept) for (const i of kept) walk(dim + 1, offset + i * strides[dim])
    else for (let i = 0; i < size; i++) walk(dim + 1, offset + i * strides[dim])
  }
  walk(0, 0)
  return out
}

/** `_tensor_str_with_formatter` for the sub-tensor starting at `offset` in dimension `dim`. */
function tensorStrWithFormatter(
  t: Printable,
  strides: number[],
  dim: number,
  offset: number,
  indent: number,
  summarize: boolean,
  formatter: Formatter,
  opts: PrintOptions,
): string {
  const rank = t.shape.length - dim
  if (rank === 0) return formatter.format(t.data[offset])
  if (rank === 1) return vectorStr(t, offset, t.shape[dim], indent, summarize, formatter, opts)

  const size = t.shape[dim]
  const sub = (i: number): string =>
    tensorStrWithFormatter(t, strides, dim + 1, offset + i * strides[dim], indent + 1, summarize, formatter, opts)
  const kept = keptIndices(size, summarize, opts.edgeitems)
  const slices = kept
    ? [...kept.slice(0, opts.edgeitems).map(sub), '...', ...kept.slice(opts.edgeitems).map(sub)]
    : Array.from({ length: size }, (_, i) => sub(i))
  // One blank line between matrices, two between 3-D blocks, ...
  return '[' + slices.join(',' + '\n'.repeat(rank - 1) + ' '.repeat(indent + 1)) + ']'
}

/** `_vector_str`: a 1-D row, wrapped to the line width. */
function vectorStr(
  t: Printable,
  offset: number,
  size: number,
  indent: number,
  summarize: boolean,
  formatter: Formatter,
  opts: PrintOptions,
): string {
  // Each element takes its width plus ", ".
  const elementLength = formatter.width() + 2
  const perLine = Math.max(1, Math.floor((opts.linewidth - indent) / elementLength))
  const fmt = (i: number): string => formatter.format(t.data[offset + i])

  const kept = keptIndices(size, summarize, opts.edgeitems)
  const items = kept
    ? [...kept.slice(0, opts.edgeitems).map(fmt), ' ...', ...kept.slice(opts.edgeitems).map(fmt)]
    : Array.from({ length: size }, (_, i) => fmt(i))

  const lines: string[] = []
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '))
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']'
}

/**
 * `_Formatter`: looks at every printed value once to choose a mode and a width.
 * - integer dtype: `str(v)`;
 * - floats that are all whole numbers ("int mode"): `1.`, `-3.`;
 * - scientific `1.0000e-05` when the nonzero finite magnitudes span more than
 *   1000x, exceed 1e8, or go below 1e-4 (whole numbers never do);
 * - otherwise fixed `0.5740`.
 * Every element is right-aligned to the widest nonzero finite value.
 */
class Formatter {
  private intMode = true
  private sciMode = false
  private maxWidth = 1

  constructor(
    values: readonly number[],
    private readonly floating: boolean,
    private readonly opts: PrintOptions,
    private readonly bool = false,
  ) {
    if (!floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, this.text(v).length)
      return
    }
    const nonzeroFinite = values.filter((v) => Number.isFinite(v) && v !== 0)
    // Only zeros, nans and infs: int mode, width 1 (and PyTorch skips the sci_mode override here).
    if (nonzeroFinite.length === 0) return

    let min = Infinity
    let max = 0
    for (const v of nonzeroFinite) {
      const a = Math.abs(v)
      if (a < min) min = a
      if (a > max) max = a
    }
    this.intMode = nonzeroFinite.every((v) => v === Math.ceil(v))
    this.sciMode = opts.sciMode ?? (max / min > 1000 || max > 1e8 || min < 1e-4)

    const p = opts.precision
    for (const v of nonzeroFinite) {
      const width = this.sciMode
        ? formatExponential(v, p).length
        : this.intMode
          ? formatFixed(v, 0).length + 1 // room for the trailing '.'
          : formatFixed(v, p).length
      if (width > this.maxWidth) this.maxWidth = width
    }
  }

  width(): number {
    return this.maxWidth
  }

  format(value: number): string {
    let s: string
    if (!this.floating) s = this.text(value)
    else if (this.sciMode) s = formatExponential(value, this.opts.precision)
    else if (this.intMode) s = formatFixed(value, 0) + (Number.isFinite(value) ? '.' : '')
    else s = formatFixed(value, this.opts.precision)
    return s.padStart(this.maxWidth)
  }

  /** An integer's or a bool's text, as Python's str() writes it. */
  private text(value: number): string {
    return this.bool ? (value ? 'True' : 'False') : String(value)
  }
}

// ---------------------------------------------------------------------------
// Python float formatting, exactly: `'{:.{p}f}'.format(x)` and `'{:.{p}e}'.format(x)`.

/** Python's spelling of non-finite values (nan never carries a sign). */
function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf'
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0) // Python keeps the sign of -0.0: '-0.0000'
}

const f64 = new Float64Array(1)
const u64 = new BigUint64Array(f64.buffer)

/** |x| = mant * 2^exp exactly, for finite x. */
function decompose(x: number): { mant: bigint; exp: number } {
  f64[0] = Math.abs(x)
  const bits = u64[0]
  const biased = Number(bits >> 52n)
  const frac = bits & 0xfffffffffffffn
  return biased === 0 ? { mant: frac, exp: -1074 } : { mant: frac | (1n << 52n), exp: biased - 1075 }
}

/** |x| * 10^k as an exact fraction num/den. */
function scaled(x: number, k: number): { num: bigint; den: bigint } {
  const { mant, exp } = decompose(x)
  let num = mant
  let den = 1n
  if (exp >= 0) num <<= BigInt(exp)
  else den <<= BigInt(-exp)
  if (k >= 0) num *= 10n ** BigInt(k)
  else den *= 10n ** BigInt(-k)
  return { num, den }
}

/** num/den rounded to an integer, ties to even (as Python's float formatting does). */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den
  const twice = 2n * (num % den)
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n
  return q
}

/** `'{:.{p}f}'.format(x)`. */
export function formatFixed(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFinite(x)
  const { num, den } = scaled(x, p)
  const digits = roundHalfEven(num, den).toString().padStart(p + 1, '0')
  const intPart = digits.slice(0, digits.length - p)
  const body = p > 0 ? `${intPart}.${digits.slice(digits.length - p)}` : intPart
  return (isNegative(x) ? '-' : '') + body
}

/** `'{:.{p}e}'.format(x)`: one digit, p decimals, an exponent of at least two digits. */
export function formatExponential(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFinite(x)
  const sign = isNegative(x) ? '-' : ''
  let e = 0
  let n = 0n
  if (x !== 0) {
    const lo = 10n ** BigInt(p)
    const hi = lo * 10n
    // Find e with 10^p <= |x| * 10^(p-e) < 10^(p+1); log10 is at most one off.
    e = Math.floor(Math.log10(Math.abs(x)))
    for (;;) {
      const { num, den } = scaled(x, p - e)
      const q = num / den
      if (q < lo) e -= 1
      else if (q >= hi) e += 1
      else {
        n = roundHalfEven(num, den)
        break
      }
    }
    if (n === hi) {
      // 9.99996 -> 10.0000: renormalise.
      n = lo
      e += 1
    }
  }
  const digits = n.toString().padStart(p + 1, '0')
  const mantissa = p > 0 ? `${digits[0]}.${digits.slice(1)}` : digits
  const exponent = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
  return `${sign}${mantissa}e${exponent}`
}
