import { cat, chunk, F, split, stack, where, type Tensor } from '../../src/index.js'
import { ops2Suite } from '../oracle/ops2.js'

/** The PyTorch ops2 cases of issue 13's tensor surface: selection, comparison, reductions, joining, slicing, shape, padding. */

ops2Suite('selection and comparison', {
  where: (a, [x, y]) => where(a.condition, x, y),
  masked_fill: (a, [x]) => x.maskedFill(a.mask, a.value),
  gt: (_, [x, y]) => x.gt(y),
  lt: (_, [x, y]) => x.lt(y),
  ge: (_, [x, y]) => x.ge(y),
  le: (_, [x, y]) => x.le(y),
  eq: (_, [x, y]) => x.eq(y),
  ne: (_, [x, y]) => x.ne(y),
})

ops2Suite('reductions', {
  max_dim: (a, [x]) => x.max(a.dim, { keepdim: a.keepdim }),
  min_dim: (a, [x]) => x.min(a.dim, { keepdim: a.keepdim }),
  amax: (a, [x]) => x.amax(a.dim, { keepdim: a.keepdim }),
  amin: (a, [x]) => x.amin(a.dim, { keepdim: a.keepdim }),
  argmax: (a, [x]) => x.argmax(a.dim, { keepdim: a.keepdim }),
  argmin: (a, [x]) => x.argmin(a.dim, { keepdim: a.keepdim }),
  logsumexp: (a, [x]) => x.logsumexp(a.dim, { keepdim: a.keepdim }),
  var: (a, [x]) => x.var(a.dim, { correction: a.correction, keepdim: a.keepdim }),
  std: (a, [x]) => x.std(a.dim, { correction: a.correction, keepdim: a.keepdim }),
  sum_dims: (a, [x]) => x.sum(a.dim, { keepdim: a.keepdim }),
  mean_dims: (a, [x]) => x.mean(a.dim, { keepdim: a.keepdim }),
  cumsum: (a, [x]) => x.cumsum(a.dim),
  prod: (a, [x]) => x.prod(a.dim),
})

ops2Suite('joining', {
  cat: (a, xs) => cat(xs, a.dim),
  stack: (a, xs) => stack(xs, a.dim),
  split: (a, [x]) => split(x, a.split_size, a.dim),
  chunk: (a, [x]) => chunk(x, a.chunks, a.dim),
})

ops2Suite('slicing', {
  narrow: (a, [x]) => x.narrow(a.dim, a.start, a.length),
  slice_step: (a, [x]) => x.slice(a.dim, a.start, a.end, a.step),
  select: (a, [x]) => x.select(a.dim, a.index),
  index_select: (a, [x]) => x.indexSelect(a.dim, a.index as Tensor),
  gather: (a, [x]) => x.gather(a.dim, a.index as Tensor),
})

ops2Suite('shape and padding', {
  flatten: (a, [x]) => x.flatten(a.start_dim, a.end_dim),
  permute: (a, [x]) => x.permute(a.dims),
  expand: (a, [x]) => x.expand(a.size),
  repeat: (a, [x]) => x.repeat(a.repeats),
  pad: (a, [x]) => F.pad(x, a.pad, { value: a.value }),
})
