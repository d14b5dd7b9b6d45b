import { noGrad } from '../autograd/grad-mode.js'
import { bumpVersion } from '../autograd/version.js'
import { Parameter } from '../nn/parameter.js'
import { formatShape, sameShape } from '../shape.js'
import { Tensor } from '../tensor.js'

/**
 * A layer's weight, TensorFlow.js's LayerVariable: a named `nn.Parameter` (`'dense/kernel'`).
 * `read()` gives the parameter itself (live: training updates it in place); `write()` copies new
 * values in.
 */
export class LayerVariable {
  constructor(
    /** `'<layer name>/<weight name>'`, as Keras names them (`'dense_1/bias'`). */
    readonly name: string,
    private readonly value: Parameter,
    /** False for weights the optimizer must leave alone. */
    readonly trainable = true,
  ) {}

  get shape(): readonly number[] {
    return this.value.shape
  }

  get dtype(): Parameter['dtype'] {
    return this.value.dtype
  }

  /** The parameter tensor (not a copy). */
  read(): Parameter {
    return this.value
  }

  /** Copy `values` (same shape) into the weight. */
  write(values: Tensor): void {
    if (!(values instanceof Tensor) || !sameShape(values.shape, this.value.shape)) {
      const got = values instanceof Tensor ? `shape ${formatShape(values.shape)}` : String(values)
      throw new Error(`${this.name}: write() needs a tensor of shape ${formatShape(this.value.shape)}, got ${got}`)
    }
    // The source first: the cast may run a kernel that grows wasm memory, which would detach
    // a view of the weight taken before it.
    const source = noGrad(() => values.to(this.value.dtype)).data
    this.value.data.set(source)
    bumpVersion(this.value)
  }

  toString(): string {
    return `<Variable '${this.name}' shape=${formatShape(this.shape)} dtype=${this.dtype}>\n${Tensor.prototype.toString.call(this.value)}`
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}
