import { float } from '../graph.js'
import { needs, reduceMean, unsupported, type MappingTable, type OpContext } from './types.js'

/**
 * Normalisation. Inputs and attributes the ops pass (an absent weight or bias is left out of
 * the inputs and flagged false):
 * - NativeBatchNormBackward0, inputs [x, runningMean, runningVar, weight?, bias?]:
 *   `{ eps, training, hasWeight, hasBias }`
 * - NativeLayerNormBackward0, inputs [x, weight?, bias?]: `{ normalizedShape, eps, hasWeight, hasBias }`
 * - NativeGroupNormBackward0, inputs [x, weight?, bias?]: `{ numGroups, eps, hasWeight, hasBias }`
 */

interface NormAttributes {
  eps: number
  hasWeight: boolean
  hasBias: boolean
  training?: boolean
  normalizedShape?: number[]
  numGroups?: number
}

/** The weight and bias value names, with constants 1 and 0 of `shape` where absent. */
function affine(c: OpContext, first: number, shape: readonly number[]): [string, string] {
  const a = c.op.attributes as unknown as NormAttributes
  const type = c.op.inputs[0].dtype as 'float32' | 'float64'
  const n = shape.reduce((x, y) => x * y, 1)
  const weight = a.hasWeight ? c.inputs[first] : c.g.constant('ones', type, shape, new Array<number>(n).fill(1))
  const bias = a.hasBias ? c.inputs[first + (a.hasWeight ? 1 : 0)] : c.g.constant('zeros', type, shape, new Array<number>(n).fill(0))
  return [weight, bias]
}

function batchNorm(c: OpContext): string {
  const a = c.op.attributes as unknown as NormAttributes
  if (a.training) {
    throw unsupported(c, 'batch normalisation with batch statistics (training: true); export traces in eval mode, so pass training: this.training (nn.BatchNorm does)')
  }
  const [x, mean, variance] = c.inputs
  const [weight, bias] = affine(c, 3, [c.op.inputs[0].shape[1]])
  return c.g.op('BatchNormalization', [x, weight, bias, mean, variance], { epsilon: float(a.eps) })
}

function layerNorm(c: OpContext): string {
  const a = c.op.attributes as unknown as NormAttributes
  const shape = a.normalizedShape!
  const [weight, bias] = affine(c, 1, shape)
  return c.g.op('LayerNormalization', [c.inputs[0], weight, bias], { axis: -shape.length, epsilon: float(a.eps) })
}

/** Group norm spelled out: [N, G, rest] normalised over the last dim, then the per-channel affine. */
function groupNorm(c: OpContext): string {
  const a = c.op.attributes as unknown as NormAttributes
  const x = c.inputs[0]
  const shape = c.op.inputs[0].shape
  const type = c.op.inputs[0].dtype as 'float32' | 'float64'
  const groups = c.g.op('Reshape', [x, c.g.int64s('shape', [0, a.numGroups!, -1])])
  const mean = reduceMean(c, groups, [2], true)
  const centred = c.g.op('Sub', [groups, mean])
  const variance = reduceMean(c, c.g.op('Mul', [centred, centred]), [2], true)
  const normed = c.g.op('Div', [centred, c.g.op('Sqrt', [c.g.op('Add', [variance, c.g.constant('eps', type, [], [a.eps])])])])
  const back = c.g.op('Reshape', [normed, c.g.op('Shape', [x])])
  // weight and bias [C] broadcast as [C, 1, ...] against [N, C, ...].
  const perChannel = [shape[1], ...shape.slice(2).map(() => 1)]
  const [weight, bias] = affine(c, 1, [shape[1]]).map((v) => c.g.op('Reshape', [v, c.g.int64s('shape', perChannel)]))
  return c.g.op('Add', [c.g.op('Mul', [back, weight]), bias])
}

const AFFINE = ['eps', 'hasWeight', 'hasBias']

export const normOps: MappingTable = {
  NativeBatchNormBackward0: needs([...AFFINE, 'training'], batchNorm),
  NativeLayerNormBackward0: needs([...AFFINE, 'normalizedShape'], layerNorm),
  NativeGroupNormBackward0: needs([...AFFINE, 'numGroups'], groupNorm),
}
