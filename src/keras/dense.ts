import { linearInOut } from '../ops/matmul.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { getActivation, type Activation, type ActivationIdentifier } from './activations.js'
import { getInitializer, type Initializer, type InitializerIdentifier } from './initializers.js'
import { Layer, LAYER_ARGS, type LayerArgs, type SymbolicShape } from './layer.js'
import type { Parameter } from '../nn/parameter.js'
import { checkOptionKeys } from '../options.js'

export interface DenseLayerArgs extends LayerArgs {
  /** Output features. */
  units: number
  /** Default 'linear' (none). */
  activation?: ActivationIdentifier
  /** Default true. */
  useBias?: boolean
  /** Default 'glorotUniform', Keras's default. */
  kernelInitializer?: InitializerIdentifier
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier
}

/**
 * A fully connected layer: y = activation(x·K + b), Keras's Dense.
 *
 * The kernel K is `[in, out]`: one column per unit. This is the transpose of `nn.Linear`'s
 * `[out, in]` weight (y = x·Wᵀ + b), so the same numbers put in a Keras kernel and in a
 * PyTorch weight make different layers: the seed's WEIGHTS1 acts transposed in its Keras
 * version.
 *
 * Shapes: x `[batch, in]` (or `[..., in]`) → y `[batch, units]`.
 */
export class Dense extends Layer {
  readonly units: number
  readonly activation: Activation
  readonly useBias: boolean
  readonly kernelInitializer: Initializer
  readonly biasInitializer: Initializer
  /** `[in, units]`; null until built. */
  kernel: Parameter | null = null
  /** `[units]`; null until built, and without a bias. */
  bias: Parameter | null = null

  constructor(args: DenseLayerArgs) {
    if (typeof args !== 'object' || args === null) throw new TypeError('dense: expected an arguments object such as { units: 3 }')
    checkOptionKeys('dense', args, [...LAYER_ARGS, 'units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer'])
    super(args, 'Dense')
    const what = `Dense '${this.name}'`
    if (!Number.isInteger(args.units) || args.units <= 0) throw new TypeError(`${what}: units must be a positive integer, got ${args.units}`)
    this.units = args.units
    this.activation = getActivation(args.activation, what)
    this.useBias = args.useBias ?? true
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform', `${what} kernelInitializer`)
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', `${what} biasInitializer`)
  }

  getClassName(): string {
    return 'Dense'
  }

  build(inputShape: SymbolicShape): void {
    const inDim = inputShape[inputShape.length - 1]
    if (inputShape.length < 2 || inDim === null || !(inDim > 0)) {
      throw new Error(`Dense '${this.name}': cannot build for input shape ${formatSymbolic(inputShape)}; the last dim must be a known size`)
    }
    this.kernel = this.addWeight('kernel', [inDim, this.units], this.kernelInitializer)
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer)
  }

  /** x·K + b, before the activation. */
  logits(x: Tensor): Tensor {
    const kernel = this.kernel
    if (!kernel) throw new Error(`Dense '${this.name}' is not built yet: call apply(x), or give the model an inputShape`)
    if (!(x instanceof Tensor)) throw new TypeError(`Dense '${this.name}': input must be a Tensor, got ${x === null ? 'null' : typeof x}`)
    const inDim = kernel.shape[0]
    if (x.ndim < 2 || x.shape[x.ndim - 1] !== inDim) {
      throw new Error(
        `Dense '${this.name}': expected input of shape [batch, ${inDim}] (kernel ${formatShape(kernel.shape)}), got ${formatShape(x.shape)}` +
          (x.ndim === 1 && x.shape[0] === inDim ? `; add the batch dim: x.reshape([1, ${inDim}])` : ''),
      )
    }
    // F.linear's path for an [in, out] kernel: the bias fused, gradients into the parameters' buffers.
    return linearInOut(x.dtype === kernel.dtype ? x : x.to(kernel.dtype), kernel, this.bias ?? null)
  }

  call(x: Tensor): Tensor {
    return this.activation.apply(this.logits(x))
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units]
  }
}

export function formatSymbolic(shape: SymbolicShape): string {
  return `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`
}
