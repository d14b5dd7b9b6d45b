import { stridesOf } from '../shape.js'
import { Tensor } from '../tensor.js'

/** Dynamic axes: which dims stay symbolic, and the second, varied input that reveals them. */

/** Dim index → symbolic name. */
export type Axes = Record<number, string>

type Spec = Record<string, Record<number, string> | number[]>

function axesOf(name: string, value: Spec[string], ndim: number | null): Axes {
  const entries: [number, string][] = Array.isArray(value)
    ? value.map((d) => [d, `${name}_dim${d}`])
    : value !== null && typeof value === 'object'
      ? Object.entries(value).map(([d, s]) => [Number(d), s])
      : []
  if (entries.length === 0 && !(Array.isArray(value) || (value !== null && typeof value === 'object'))) {
    throw new TypeError(`exportOnnx: dynamicAxes.${name} must be a list of dims ([0, 1]) or dims with names ({ 0: 'batch' }), got ${JSON.stringify(value)}`)
  }
  const axes: Axes = {}
  for (const [d, symbol] of entries) {
    const ok = Number.isInteger(d) && d >= 0 && (ndim === null || d < ndim)
    if (!ok || typeof symbol !== 'string' || symbol === '') {
      throw new RangeError(`exportOnnx: dynamicAxes.${name}: dim ${d} (${JSON.stringify(symbol)}) must be a dim index from 0${ndim === null ? '' : ` to ${ndim - 1}`} with a non-empty name`)
    }
    axes[d] = symbol
  }
  return axes
}

/** The dynamic axes of each input. */
export function parseDynamicAxes(spec: Spec, inputNames: readonly string[], inputs: readonly Tensor[]): Axes[] {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new TypeError(`exportOnnx: dynamicAxes must be an object like { input: { 0: 'batch' } }, got ${JSON.stringify(spec)}`)
  }
  return inputNames.map((name, i) => (name in spec ? axesOf(name, spec[name], inputs[i].ndim) : {}))
}

/** Every key of dynamicAxes must name an input or an output. */
export function checkOutputAxes(spec: Spec, inputNames: readonly string[], outputNames: readonly string[]): void {
  for (const key of Object.keys(spec)) {
    if (!inputNames.includes(key) && !outputNames.includes(key)) {
      throw new Error(`exportOnnx: dynamicAxes names '${key}', which is neither an input (${inputNames.join(', ')}) nor an output (${outputNames.join(', ')}); pass inputNames/outputNames or use these names`)
    }
  }
}

/** The dynamic axes given for an output. */
export function outputAxes(name: string, spec: Spec | undefined): Axes {
  return spec && name in spec ? axesOf(name, spec[name], null) : {}
}

/**
 * An output's dims: a number where both traces agree, else a symbol: the one given for the
 * output, or the input's whose size changed the same way, or `<name>_dim<k>`.
 */
export function symbolicDims(
  t: Tensor,
  other: Tensor,
  given: Axes,
  inputs: readonly Tensor[],
  varied: readonly Tensor[],
  dynamic: readonly Axes[],
  name: string,
): (number | string)[] {
  return t.shape.map((d, k) => {
    if (given[k] !== undefined) return given[k]
    if (d === other.shape[k]) return d
    for (let i = 0; i < inputs.length; i++) {
      for (const [j, symbol] of Object.entries(dynamic[i])) {
        if (inputs[i].shape[Number(j)] === d && varied[i].shape[Number(j)] === other.shape[k]) return symbol
      }
    }
    return `${name}_dim${k}`
  })
}

/**
 * The sizes of the second trace: each symbol moves by its own step (1 for the first symbol,
 * 2 for the next, ...; down where the size allows, else up), so two dynamic axes traced at
 * the same size still differ in the second trace and every size there names its axis.
 */
export function variedSizes(inputs: readonly Tensor[], dynamic: readonly Axes[]): Record<number, number>[] {
  const steps = new Map<string, number>()
  return dynamic.map((axes, i) => {
    const sizes: Record<number, number> = {}
    for (const [k, symbol] of Object.entries(axes)) {
      if (!steps.has(symbol)) steps.set(symbol, steps.size + 1)
      const step = steps.get(symbol)!
      const d = inputs[i].shape[Number(k)]
      sizes[Number(k)] = d > step ? d - step : d + step
    }
    return sizes
  })
}

/**
 * A copy of `t` with the dims in `sizes` resized (elements repeat where a dim grows) and its
 * elements in reverse order (floats also mapped by v ↦ 0.25 − 1.5·v). Index tensors stay
 * valid: their values are the example's own.
 */
export function variedInput(t: Tensor, sizes: Record<number, number>): Tensor {
  const shape = t.shape.map((d, k) => sizes[k] ?? d)
  const strides = stridesOf(t.shape)
  const n = shape.reduce((a, b) => a * b, 1)
  const Ctor = t.data.constructor as new (n: number) => typeof t.data
  const out = new Ctor(n)
  // Floats also change sign and scale (so sums and signs differ); integers may be indices: kept.
  const float = t.dtype === 'float32' || t.dtype === 'float64'
  const index = new Array<number>(shape.length).fill(0)
  for (let flat = 0; flat < n; flat++) {
    let source = 0
    for (let k = 0; k < shape.length; k++) source += (index[k] % t.shape[k]) * strides[k]
    out[n - 1 - flat] = float ? 0.25 - 1.5 * t.data[source] : t.data[source]
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) break
      index[k] = 0
    }
  }
  return new Tensor(out, shape)
}
