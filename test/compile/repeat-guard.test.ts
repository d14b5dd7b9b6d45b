import { describe, expect, test } from 'vitest'
import { compile, nn, optim, type Tensor } from '../../src/index.js'
import { interpreterStats } from '../../src/compile/wasm-replay.js'
import { batch, expectSameAsEager, type Setup } from './helpers.js'
import { trainingStep } from './setups.js'

/**
 * A wasm replay skips the optimiser's step (which writes its kernels' arguments) when the step
 * would repeat its last run (src/compile/repeat-guard.ts): every change it could see must make
 * it run, in the very call, with eager's numbers.
 */
const onWasm = process.env.YANN_BACKEND === 'wasm'
const inputs = (i: number): [Tensor, Tensor] => batch(i, [5, 4], [5, 2], 'float32')

function net(momentum = 0.5): Setup {
  const model = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2))
  return trainingStep(model, new optim.SGD(model.parameters(), { lr: 0.1, momentum }))
}

/** The optimiser steps the wasm replay ran live at each of `calls` calls of `step` on net()'s inputs (none on ts: its JS replay runs the step itself). */
function liveSteps(step: (x: Tensor, y: Tensor) => Tensor, calls: number, between?: (i: number) => void): number[] {
  const runs: number[] = []
  for (let i = 0; i < calls; i++) {
    between?.(i)
    const before = interpreterStats.optimiserSteps
    step(...inputs(i))
    runs.push(interpreterStats.optimiserSteps - before)
  }
  return runs
}

describe('compile: the optimiser step a wasm replay skips when it would repeat', () => {
  const changes = (i: number, s: Setup): void => {
    const group = (s.opts[0] as optim.SGD).paramGroups[0]
    if (i === 6) group.lr = 0.03
    if (i === 8) group.momentum = 0.8
    if (i === 10) group.weightDecay = 0.01
    if (i === 12) group.lr = 0
    if (i === 13) group.lr = -0 // a change only Object.is sees
  }

  test('options changed between calls (lr, momentum, weight decay) take effect in that call, as eager', () => {
    expectSameAsEager(() => net(), inputs, 16, changes)
    expectSameAsEager(() => net(0), inputs, 16, changes)
  })

  test('SGD: skipped while nothing changes, run in the call after a change', () => {
    const s = net()
    const runs = liveSteps(compile(s.step), 15, (i) => changes(i, s))
    // Calls 0 and 1 record (.grad null, then set); 2 runs the step, which then repeats until a change.
    expect(runs).toEqual(onWasm ? [0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0] : runs.map(() => 0))
  })

  test('options set through Object.assign, or on a group put in paramGroups by hand, take effect as eager', () => {
    const edit = (i: number, s: Setup): void => {
      const opt = s.opts[0] as optim.SGD
      if (i === 3) Object.assign(opt.paramGroups[0], { lr: 0.05, momentum: 0.7 })
      if (i === 5) opt.paramGroups[0] = { ...opt.paramGroups[0], lr: 0.02 } // a plain object: its writes are not counted
      if (i === 8) opt.paramGroups[0].lr = 0.04
      if (i === 10) opt.paramGroups[0].momentum = 0.2
    }
    expectSameAsEager(() => net(), inputs, 13, edit)
    const s = net()
    const runs = liveSteps(compile(s.step), 9, (i) => edit(i, s))
    // A group the optimiser did not make runs the step at every call.
    expect(runs).toEqual(onWasm ? [0, 0, 1, 1, 0, 1, 1, 1, 1] : runs.map(() => 0))
  })

  test('an option cannot change behind the count: redefining or deleting it throws; setting the same value is no change', () => {
    const s = net()
    const group = (s.opts[0] as optim.SGD).paramGroups[0]
    expect(() => Object.defineProperty(group, 'lr', { value: 0.5 })).toThrow(TypeError)
    expect(() => delete (group as Partial<typeof group>).lr).toThrow(TypeError)
    expect(group.lr).toBe(0.1)
    expect(Object.keys(group)).toEqual(['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'params'])
    expect({ ...group, params: [] }).toEqual({ lr: 0.1, momentum: 0.5, dampening: 0, nesterov: false, weightDecay: 0, params: [] })
    const runs = liveSteps(compile(s.step), 6, (i) => {
      if (i >= 3) group.lr = 0.1
    })
    expect(runs).toEqual(onWasm ? [0, 0, 1, 0, 0, 0] : runs.map(() => 0))
  })

  test('state loaded or edited by hand between calls is seen, as eager', () => {
    let saved: optim.OptimizerStateDict | null = null
    const edit = (i: number, s: Setup): void => {
      const opt = s.opts[0] as optim.SGD
      if (i === 3) saved = structuredClone({ ...opt.stateDict(), state: {} })
      if (i === 5) opt.loadStateDict(saved!) // no momentum buffers: the next step is a first step again
      if (i === 9) for (const st of opt.state.values()) st.momentumBuffer = st.momentumBuffer!.clone()
    }
    expectSameAsEager(() => net(), inputs, 14, edit)
  })

  test('a subclass of SGD (whose step may read more) runs its step at every call', () => {
    class MySGD extends optim.SGD {}
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2))
    const s = trainingStep(model, new MySGD(model.parameters(), { lr: 0.1 }))
    expect(liveSteps(compile(s.step), 6)).toEqual(onWasm ? [0, 0, 1, 1, 1, 1] : [0, 0, 0, 0, 0, 0])
  })

  test('Adam (whose step counts advance) runs its step at every call', () => {
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2))
    const s = trainingStep(model, new optim.Adam(model.parameters(), { lr: 0.01 }))
    expect(liveSteps(compile(s.step), 6)).toEqual(onWasm ? [0, 0, 1, 1, 1, 1] : [0, 0, 0, 0, 0, 0])
  })
})
