import { F, type Tensor } from '../../src/index.js'
import { ops2Suite } from '../oracle/ops2.js'


type Args = Record<string, any>
const opt = (b: Tensor | undefined, a: Args) => (a.bias === false ? null : (b ?? null))

ops2Suite('convolution', {
  conv1d: (a: Args, [x, w, b]) => F.conv1d(x, w, opt(b, a), { stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups }),
  conv2d: (a: Args, [x, w, b]) => F.conv2d(x, w, opt(b, a), { stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups }),
  conv_transpose2d: (a: Args, [x, w, b]) => F.convTranspose2d(x, w, b ?? null, { stride: a.stride, padding: a.padding, outputPadding: a.output_padding }),
})

ops2Suite('pooling', {
  max_pool2d: (a: Args, [x]) =>
    F.maxPool2d(x, a.kernel_size, { stride: a.stride, padding: a.padding, ceilMode: a.ceil_mode, returnIndices: true }),
  avg_pool2d: (a: Args, [x]) =>
    F.avgPool2d(x, a.kernel_size, { stride: a.stride, padding: a.padding, ceilMode: a.ceil_mode, countIncludePad: a.count_include_pad }),
  adaptive_avg_pool2d: (a: Args, [x]) => F.adaptiveAvgPool2d(x, a.output_size),
})

ops2Suite('normalisation', {
  batch_norm_train: (a: Args, [x, w, b]) => {
    const rm = a.running_mean as Tensor
    const rv = a.running_var as Tensor
    const values = F.batchNorm(x, rm, rv, w, b, { training: true, momentum: a.momentum, eps: a.eps })
    return { values, extra: { running_mean_after: rm, running_var_after: rv } }
  },
  batch_norm_eval: (a: Args, [x, w, b]) => F.batchNorm(x, a.running_mean, a.running_var, w, b, { training: false, eps: a.eps }),
  layer_norm: (a: Args, [x, w, b]) => F.layerNorm(x, a.normalized_shape, a.affine ? w : null, a.affine ? b : null, { eps: a.eps }),
  group_norm: (a: Args, [x, w, b]) => F.groupNorm(x, a.num_groups, w, b, { eps: a.eps }),
})
