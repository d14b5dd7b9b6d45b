/**
 * The second set of PyTorch op cases (test/fixtures/pytorch-ops2.json, a copy of
 * shared/fixtures; see its README, "Second set"). One harness for every area's test file:
 *
 *   ops2Suite('elementwise', { sin: (_, [x]) => x.sin(), ... })
 *
 * runs every case of the named ops on the current backend: the output (or outputs, or
 * `{ values, indices }`) against PyTorch's, then the gradient of Σ sum(output_i · R_i)
 * with respect to every input whose recorded gradient is not null. Tolerances are the
 * README's: float64 |got − want| ≤ 1e-9 + 1e-7·|want|, float32 ≤ 1e-5 + 1e-4·|want|.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Tensor, tensor } from '../../src/index.js'

export type FloatDType = 'float32' | 'float64'

/** A fixture tensor: data flat row-major; non-finite floats are the strings 'nan', 'inf', '-inf'. */
export interface RawTensor {
  shape: number[]
  data: (number | string | boolean)[]
  dtype?: 'int64' | 'bool'
}

export interface Ops2Case {
  name: string
  op: string
  dtype: FloatDType
  args: Record<string, unknown>
  inputs: RawTensor[]
  output?: RawTensor
  outputs?: RawTensor[]
  R: RawTensor[]
  grads: (RawTensor | null)[]
  indices?: RawTensor
  [extra: string]: unknown
}

/** What an op under test returns: one tensor, a list (split/chunk), or values with indices (max_dim). */
export type Ops2Result = Tensor | Tensor[] | { values: Tensor; indices?: Tensor; extra?: Record<string, Tensor> }

/** Applies yann's op. `args` has every tensor-valued argument already decoded (int64 → int32, bool → bool). */
export type Ops2Fn = (args: Record<string, any>, inputs: Tensor[], c: Ops2Case) => Ops2Result

const fixture = JSON.parse(readFileSync(new URL('../fixtures/pytorch-ops2.json', import.meta.url), 'utf8')) as {
  meta: { cases: number }
  cases: Ops2Case[]
}
export const ops2Cases = fixture.cases

function isRaw(v: unknown): v is RawTensor {
  return typeof v === 'object' && v !== null && Array.isArray((v as RawTensor).shape) && Array.isArray((v as RawTensor).data)
}

function number(v: number | string | boolean): number {
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 1 : 0
  return v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v)
}

/** A fixture tensor as a yann tensor: int64 → int32, bool → bool, floats in `dtype`. */
export function decode(raw: RawTensor, dtype: FloatDType): Tensor {
  const target = raw.dtype === 'int64' ? 'int32' : raw.dtype === 'bool' ? 'bool' : dtype
  return tensor(raw.data.map(number), { dtype: target as never }).reshape(raw.shape)
}

function decodeArgs(args: Record<string, unknown>, dtype: FloatDType): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(args)) out[k] = isRaw(v) ? decode(v, dtype) : v
  return out
}

function tolerance(dtype: FloatDType, want: number): number {
  return dtype === 'float64' ? 1e-9 + 1e-7 * Math.abs(want) : 1e-5 + 1e-4 * Math.abs(want)
}

/** Every element outside tolerance, as readable strings (empty when all match). Integer and bool results must be exact. */
export function mismatches(got: Tensor, want: RawTensor, dtype: FloatDType): string[] {
  if (got.shape.join() !== want.shape.join()) return [`shape [${got.shape}] vs PyTorch [${want.shape}]`]
  const wantDType = want.dtype === 'int64' ? 'int32' : want.dtype === 'bool' ? 'bool' : dtype
  if (got.dtype !== wantDType) return [`dtype ${got.dtype} vs ${wantDType}`]
  const exact = want.dtype !== undefined
  const bad: string[] = []
  want.data.forEach((raw, i) => {
    const w = number(raw)
    const g = Number(got.data[i])
    const ok = Number.isNaN(w) ? Number.isNaN(g) : !Number.isFinite(w) ? g === w : exact ? g === w : Math.abs(g - w) <= tolerance(dtype, w)
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${g}, PyTorch ${w}`)
  })
  return bad
}

/** Runs every case of the ops in `fns` (keys are the fixture's PyTorch op names). */
export function ops2Suite(area: string, fns: Record<string, Ops2Fn>): void {
  describe(`PyTorch ops2 cases: ${area}`, () => {
    for (const op of Object.keys(fns)) {
      it(`the fixture has cases for ${op}`, () => expect(ops2Cases.some((c) => c.op === op)).toBe(true))
    }
    const cases = ops2Cases.filter((c) => c.op in fns)
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const inputs = c.inputs.map((raw, k) => {
        const t = decode(raw, c.dtype)
        if (c.grads[k] !== null) t.requiresGrad = true
        return t
      })
      const result = fns[c.op](decodeArgs(c.args, c.dtype), inputs, c)
      const outs = Array.isArray(result) ? result : result instanceof Tensor ? [result] : [result.values]
      const wants = c.outputs ?? [c.output!]
      expect(outs.length, 'number of outputs').toBe(wants.length)
      outs.forEach((o, i) => expect(mismatches(o, wants[i], c.dtype), `output ${i}`).toEqual([]))
      if (!Array.isArray(result) && !(result instanceof Tensor)) {
        if (c.indices) expect(mismatches(result.indices!, c.indices, c.dtype), 'indices').toEqual([])
        for (const [key, t] of Object.entries(result.extra ?? {})) expect(mismatches(t, c[key] as RawTensor, c.dtype), key).toEqual([])
      }
      if (!c.grads.some((g) => g !== null)) return
      let total: Tensor | null = null
      outs.forEach((o, i) => {
        const term = o.mul(decode(c.R[i], c.dtype)).sum()
        total = total ? total.add(term) : term
      })
      ;(total as unknown as Tensor).backward()
      c.grads.forEach((want, k) => {
        if (want === null) return
        expect(inputs[k].grad, `grad of input ${k}`).not.toBeNull()
        expect(mismatches(inputs[k].grad!, want, c.dtype), `grad of input ${k}`).toEqual([])
      })
    })
  })
}
