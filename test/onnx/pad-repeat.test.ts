import { describe, expect, it } from 'vitest'
import { F, randn, tensor } from '../../src/index.js'
import { opTypes } from './decode.js'
import { check } from './fn-model.js'

/** repeat and F.pad (constant, reflect, replicate) exported to ONNX Runtime: they passed no attributes, so every export of them failed. */

describe('repeat and F.pad in ONNX Runtime', () => {
  it('repeat as Tile (extra leading repeats as Unsqueeze), with a dynamic batch', async () => {
    const bytes = await check((_, x) => [x.repeat([2, 3]), x.repeat([2, 1, 2])], [randn([2, 3]), randn([4, 3])], true)
    expect(opTypes(bytes).filter((op) => op === 'Tile')).toHaveLength(2)
  })

  it('F.pad constant (a value, a negative pad that crops), reflect and replicate as Pad modes, under PyTorch\'s gradFn names', async () => {
    const x = tensor([[[1, 2, 3], [4, 5, 6]]])
    x.requiresGrad = true
    expect(F.pad(x, [1, 1], { mode: 'reflect' }).gradFn?.name).toBe('ReflectionPad1DBackward0')
    expect(F.pad(x, [1, 1, 1, 0], { mode: 'replicate' }).gradFn?.name).toBe('ReplicationPad2DBackward0')
    expect(F.pad(x, [1, 1]).gradFn?.name).toBe('ConstantPadNdBackward0')
    // The reflect and replicate values, from PyTorch: F.pad(x, [2, 1], mode='reflect') = [[[3, 2, 1, 2, 3, 2], [6, 5, 4, 5, 6, 5]]]
    expect(F.pad(x, [2, 1], { mode: 'reflect' }).toArray()).toEqual([[[3, 2, 1, 2, 3, 2], [6, 5, 4, 5, 6, 5]]])
    const bytes = await check(
      (_, x) => [
        F.pad(x, [1, 2], { value: 0.5 }),
        F.pad(x, [-1, 1, 1, 0]),
        F.pad(x, [2, 1], { mode: 'reflect' }),
        F.pad(x, [1, 1, 1, 0], { mode: 'reflect' }),
        F.pad(x, [0, 2, 1, 1], { mode: 'replicate' }),
      ],
      [randn([2, 3, 4]), randn([5, 3, 4])],
      true,
    )
    expect(opTypes(bytes).filter((op) => op === 'Pad')).toHaveLength(5)
  })
})
