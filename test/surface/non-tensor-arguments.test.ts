import { describe, expect, it } from 'vitest'
import * as yann from '../../src/index.js'
import { expectError } from '../expect-error.js'

/**
 * A JavaScript caller can pass anything where a tensor goes. Every public function is called
 * with a string, an array and (tensor, string); whatever it throws must name the function,
 * never be a raw error from inside an op ("x.numel is not a function" was, for ~80 of them).
 */
const t = yann.ones([2, 3])
const badCalls: [string, unknown[]][] = [['a string', ['x']], ['an array', [[1, 2]]], ['a tensor and a string', [t, 'x']]]
const PREFIX: Record<string, string> = { loadSafetensors: 'safetensors' } // its format's errors are SafetensorsError

function functionsOf(ns: object): [string, (...a: unknown[]) => unknown][] {
  return Object.entries(ns).filter((e): e is [string, (...a: unknown[]) => unknown] => typeof e[1] === 'function' && !/^[A-Z]/.test(e[0]))
}

describe('non-tensor arguments are errors naming the function', () => {
  for (const [label, ns] of [['yann', yann], ['F', yann.F]] as const) {
    it(`every function of ${label}`, () => {
      const raw: string[] = []
      let refused = 0
      for (const [name, f] of functionsOf(ns)) {
        for (const [what, args] of badCalls) {
          try {
            f(...args)
          } catch (e) {
            refused++
            const message = (e as Error).message
            if (!message.startsWith(`${PREFIX[name] ?? name}:`)) raw.push(`${label}.${name}(${what}): ${message}`)
          }
        }
      }
      expect(raw).toEqual([])
      expect(refused).toBeGreaterThan(label === 'yann' ? 150 : 60)
    })
  }
})

describe('non-tensor arguments to methods are errors naming the method', () => {
  const INTERNAL = new Set(['constructor', 'accumulateGrad', 'setGradFn', 'viewAs', 'lendGradBuffer'])
  it('every method of Tensor', () => {
    const raw: string[] = []
    let refused = 0
    for (const name of Object.getOwnPropertyNames(yann.Tensor.prototype)) {
      const method = Object.getOwnPropertyDescriptor(yann.Tensor.prototype, name)?.value
      if (typeof method !== 'function' || INTERNAL.has(name)) continue
      for (const args of [['x'], [[1, 2]], [0, 'x'], [0, 'x', 'x'], [{}]]) {
        try {
          method.apply(yann.ones([2, 3]), args)
        } catch (e) {
          refused++
          const message = (e as Error).message
          if (!message.startsWith(`${name}:`)) raw.push(`${name}(${JSON.stringify(args)}): ${message}`)
        }
      }
    }
    expect(raw).toEqual([])
    expect(refused).toBeGreaterThan(300)
  })
})

describe('non-tensor inputs to nn modules are errors naming the module or its op', () => {
  const ARGS: Record<string, unknown[]> = {
    Linear: [3, 2], Conv1d: [1, 1, 1], Conv2d: [1, 1, 1], ConvTranspose2d: [1, 1, 1], BatchNorm1d: [2], BatchNorm2d: [2], LayerNorm: [3],
    GroupNorm: [1, 2], Embedding: [4, 2], MaxPool1d: [2], MaxPool2d: [2], AvgPool1d: [2], AvgPool2d: [2], AdaptiveAvgPool2d: [1],
    MultiheadAttention: [4, 2], Unflatten: [1, [1]], Softmax: [1], LogSoftmax: [1],
  }
  // No forward of their own: containers, Identity (returns anything, as PyTorch's), the abstract loss bases.
  const SKIP = new Set(['ModuleList', 'ModuleDict', 'Identity', 'Loss', 'WeightedLoss'])
  it('every module with a forward', () => {
    const raw: string[] = []
    let refused = 0
    for (const [name, C] of Object.entries(yann.nn)) {
      if (typeof C !== 'function' || !/^[A-Z]/.test(name) || SKIP.has(name) || !(C.prototype instanceof yann.nn.Module)) continue
      const m = new (C as new (...a: unknown[]) => { forward(...a: unknown[]): unknown })(...(ARGS[name] ?? []))
      for (const input of ['x', [1, 2]]) {
        try {
          m.forward(input, input)
        } catch (e) {
          refused++
          if (!/^[A-Za-z0-9]+: /.test((e as Error).message)) raw.push(`${name}: ${(e as Error).message}`)
        }
      }
    }
    expect(raw).toEqual([])
    expect(refused).toBeGreaterThan(60)
  })
})

describe('non-tensor arguments: the messages', () => {
  it('a function form names what it got and how to make a tensor', () => {
    expectError(() => yann.sum('x' as never), /^sum:/, 'expected a Tensor', 'a string', 'tensor(')
    expectError(() => yann.F.gelu([1, 2] as never), /^gelu:/, 'an array of length 2')
    expectError(() => yann.var(null as never), /^var:/, 'null') // exported as var, defined as variance
    // Before anything is awaited: thrown where it is passed, not an unhandled rejection.
    expectError(() => yann.ready('x' as never), /^ready:/, 'must be a WebAssembly.Module', 'a string', 'WebAssembly.compile(bytes)')
  })
  it('a second tensor, through the method too', () => {
    expectError(() => t.mm('x' as never), /^mm:/, 'mat2', 'a string')
    expectError(() => t.bool().logicalAnd(3 as never), /^logicalAnd:/, 'other', 'a number')
    expectError(() => yann.minimum(t, 2 as never), /^minimum:/, 'other', 'a number')
    expectError(() => yann.F.batchNorm(t, 'x' as never, null), /^batchNorm:/, 'runningMean', 'a string')
    expectError(() => yann.saveSafetensors({ w: [1, 2] } as never), /^saveSafetensors:/, '"w"', 'an array')
  })
  it('a list argument given as something else', () => {
    expectError(() => yann.expand(t, 'x' as never), /^expand:/, 'sizes must be an array')
    expectError(() => yann.permute(t, 1 as never), /^permute:/, 'dims must be an array')
    expectError(() => yann.reshape(t, '6' as never), /^reshape:/, 'shape must be an array')
    expectError(() => t.unflatten(1, 'x' as never), /^unflatten:/, 'sizes must be an array')
    expectError(() => t.split({} as never), /^split:/, 'splitSize must be an array')
    expectError(() => t.squeeze({} as never), /^squeeze:/, 'a dim list must be an array')
  })
  it('in place: the value written', () => {
    expectError(() => yann.ones([2]).copy_('x' as never), /^copy_:/, 'src must be a Tensor', 'a string')
    expectError(() => yann.ones([2]).add_([1, 2] as never), /^add_:/, 'expected a Tensor or a number')
    expectError(() => yann.ones([2]).clamp_('0' as never), /^clamp_:/, 'min must be a number')
  })
})
