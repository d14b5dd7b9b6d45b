import { needs, unsupported, type MappingTable, type OpContext } from './types.js'

/**
 * Convolution and pooling over the trailing 1 or 2 spatial dims of [N, C, ...]. Attributes the
 * ops pass (sizes per spatial dim; `pads` in ONNX's order: every dim's start, then every end):
 * - ConvolutionBackward0, inputs [x, weight, bias?]: `{ stride, pads, dilation, groups,
 *   transposed, outputPadding }` (transposed: weight [inC, outC/groups, ...k])
 * - MaxPool2DWithIndicesBackward0 / MaxPool1DWithIndicesBackward0: `{ kernelSize, stride, pads,
 *   dilation, ceilMode }`
 * - AvgPool2DBackward0 / AvgPool1DBackward0: `{ kernelSize, stride, pads, ceilMode, countIncludePad }`
 * - AdaptiveAvgPool2DBackward0: none (the windows follow from the shapes)
 */

interface ConvAttributes {
  stride: number[]
  pads: number[]
  dilation: number[]
  groups: number
  transposed?: boolean
  outputPadding?: number[]
}

function conv(c: OpContext): string {
  const a = c.op.attributes as unknown as ConvAttributes
  const w = c.op.inputs[1]
  const attributes = { kernel_shape: w.shape.slice(2), strides: a.stride, pads: a.pads, dilations: a.dilation, group: a.groups }
  if (!a.transposed) return c.g.op('Conv', c.inputs, attributes)
  return c.g.op('ConvTranspose', c.inputs, { ...attributes, output_padding: a.outputPadding ?? a.stride.map(() => 0) })
}

interface PoolAttributes {
  kernelSize: number[]
  stride: number[]
  pads: number[]
  dilation?: number[]
  ceilMode?: boolean
  countIncludePad?: boolean
}

function maxPool(c: OpContext): string {
  const a = c.op.attributes as unknown as PoolAttributes
  return c.g.op('MaxPool', c.inputs, {
    kernel_shape: a.kernelSize,
    strides: a.stride,
    pads: a.pads,
    dilations: a.dilation ?? a.kernelSize.map(() => 1),
    ceil_mode: a.ceilMode ? 1 : 0,
  })
}

function avgPool(c: OpContext): string {
  const a = c.op.attributes as unknown as PoolAttributes
  return c.g.op('AveragePool', c.inputs, {
    kernel_shape: a.kernelSize,
    strides: a.stride,
    pads: a.pads,
    ceil_mode: a.ceilMode ? 1 : 0,
    count_include_pad: a.countIncludePad === false ? 0 : 1,
  })
}

/**
 * PyTorch's adaptive windows [⌊i·n/m⌋, ⌈(i+1)·n/m⌉) as an averaging matrix [m, n]: the output
 * is A_h · x · A_wᵀ over the last two dims, exact for any sizes. [1, 1] is GlobalAveragePool.
 */
function adaptiveAvgPool(c: OpContext): string {
  const input = c.op.inputs[0].shape
  const out = c.op.output.shape
  const [h, w] = input.slice(-2)
  const [oh, ow] = out.slice(-2)
  if (oh === 1 && ow === 1 && input.length === 4) return c.g.op('GlobalAveragePool', c.inputs)
  if (c.other.inputs[0].shape.slice(-2).some((d, i) => d !== [h, w][i])) {
    throw unsupported(c, 'adaptive average pooling of a spatial size that follows a dynamic axis; keep height and width static')
  }
  const type = c.op.inputs[0].dtype as 'float32' | 'float64'
  const rows = c.g.constant('adaptive_rows', type, [oh, h], windows(h, oh))
  const cols = c.g.constant('adaptive_cols', type, [w, ow], transpose(windows(w, ow), ow, w))
  return c.g.op('MatMul', [c.g.op('MatMul', [rows, c.inputs[0]]), cols])
}

function windows(n: number, m: number): number[] {
  const a = new Array<number>(m * n).fill(0)
  for (let i = 0; i < m; i++) {
    const start = Math.floor((i * n) / m)
    const end = Math.ceil(((i + 1) * n) / m)
    for (let j = start; j < end; j++) a[i * n + j] = 1 / (end - start)
  }
  return a
}

function transpose(a: number[], rows: number, cols: number): number[] {
  const t = new Array<number>(a.length)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j]
  return t
}

const POOL = ['kernelSize', 'stride', 'pads']

export const convOps: MappingTable = {
  ConvolutionBackward0: needs(['stride', 'pads', 'dilation', 'groups'], conv),
  MaxPool2DWithIndicesBackward0: needs(POOL, maxPool),
  MaxPool1DWithIndicesBackward0: needs(POOL, maxPool),
  AvgPool2DBackward0: needs(POOL, avgPool),
  AvgPool1DBackward0: needs(POOL, avgPool),
  AdaptiveAvgPool2DBackward0: adaptiveAvgPool,
}
