import { isFloat, type FloatDType } from '../dtype.js'
import { copyArray, markGradLeaf, structureChanged } from '../compile/hooks.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { ParameterMemory, parameterStorage } from '../parameter-memory.js'

export { ParameterMemory, parameterStorage, liveParameterBlocks, StateTensor, stateTensor } from '../parameter-memory.js'

// ---- Parameter -------------------------------------------------------------------------------

/**
 * A tensor that is a module's learnable parameter, like torch.nn.Parameter: a leaf that requires
 * grad (unless `requiresGrad` is false), found by `module.parameters()` once registered with
 * `module.registerParameter(name, p)`.
 *
 * The values of `data` are copied into parameter memory (see parameterStorage: the wasm heap once
 * the wasm backend is loaded): a Parameter never shares elements with the tensor it was made from,
 * and a training step updates it in place, copying no weights.
 *
 * Its gradient also lives in parameter memory, in one buffer allocated by the first backward()
 * and kept for the parameter's life. `zeroGrad()` still sets `.grad = null` (PyTorch's default),
 * and the next backward() writes into the same buffer through a new `.grad` tensor: as with
 * PyTorch's `zero_grad(set_to_none=False)`, a gradient tensor kept from an earlier step is
 * overwritten. Keep a copy across steps with `p.grad.clone()`.
 *
 * `module.dispose()` (or `p.dispose()`) frees the values and the gradient buffer; using the
 * parameter afterwards is an error. Unreachable parameters are freed by the garbage collector.
 *
 * @example
 * const w = new nn.Parameter(yann.zeros([3, 5]))   // requiresGrad: true, isLeaf: true
 */
export class Parameter extends Tensor {
  private readonly memory: ParameterMemory
  private gradMemory: ParameterMemory | null = null
  /** The backward() sweep that last lent gradMemory to an op (lendGradBuffer). */
  private lentIn = 0

  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) {
      throw new TypeError(`Parameter: expected a Tensor, got ${data === null ? 'null' : typeof data}; wrap numbers with yann.tensor(...) first`)
    }
    if (!isFloat(data.dtype)) {
      throw new TypeError(`Parameter: parameters must be float32 or float64, got ${data.dtype} of shape [${data.shape.join(', ')}]`)
    }
    const memory = parameterStorage(data.dtype, data.numel())
    memory.data.set(data.data)
    super(memory, data.shape)
    this.memory = memory
    this.requiresGrad = requiresGrad
    structureChanged() // compiled plans made before never saw this parameter
    markGradLeaf(this) // (freezing it later makes them stale too)
  }

  /**
   * @internal Leaves' gradients accumulate here in backward(). With no `.grad`, the gradient is
   * written into this parameter's own gradient buffer (allocated once, on first use; unless the
   * op computed it there already, see lendGradBuffer) and `.grad` becomes a new tensor over it;
   * otherwise it is added into `.grad` in place.
   */
  override accumulateGrad(g: Tensor): void {
    if (this.grad !== null) {
      super.accumulateGrad(g)
      return
    }
    const m = this.gradBuffer()
    const values = g.data // read after the allocation in gradBuffer(), which may grow wasm memory
    // A gradient computed straight into the buffer (lendGradBuffer) is adopted: nothing to copy,
    // and the tensor lent becomes `.grad` itself where the op kept its shape.
    if (values === m.data && g.shape === this.shape) {
      this.grad = g
      return
    }
    if (values !== m.data) copyArray(m.data, values)
    this.grad = new Tensor(m, this.shape)
  }

  /**
   * @internal backward() lends the gradient buffer to the op computing this parameter's only
   * gradient while `.grad` is null (autograd's gradDestination): the op's kernel writes it in
   * place and accumulateGrad adopts the tensor returned here. Once per backward sweep.
   */
  override lendGradBuffer(sweep: number): Tensor | null {
    if (this.lentIn === sweep) return null
    this.lentIn = sweep
    return new Tensor(this.gradBuffer(), this.shape)
  }

  /**
   * The gradient buffer, allocated on first use. Every caller writes into it next: counted in
   * its version, so a graph that saved an earlier `.grad` over it refuses to read the new values.
   */
  private gradBuffer(): ParameterMemory {
    this.memory.assertLive()
    let m = this.gradMemory
    if (m === null) m = this.gradMemory = parameterStorage(this.dtype as FloatDType, this.numel())
    m.version++
    return m
  }

  /**
   * Free this parameter's memory (values and gradient buffer) now, rather than when it is
   * garbage collected. Reading it afterwards throws. `module.dispose()` does this for every
   * parameter of a model; a parameter shared with another module is freed for both.
   */
  dispose(): void {
    this.release(`Parameter ${formatShape(this.shape)} was disposed (p.dispose() freed its memory)`)
  }

  /** @internal Free values and gradient buffer; later reads of either throw `message`. */
  /**
   * @internal module.to(dtype): a copy in `dtype`; this one is released, so that an optimiser
   * made before the conversion fails naming it instead of training what the module no longer uses.
   */
  convertedTo(dtype: FloatDType, name: string): Parameter {
    const copy = new Parameter(this.detach().to(dtype), this.requiresGrad)
    this.release(`Parameter ${name} ${formatShape(this.shape)} was replaced by its ${dtype} copy in module.to('${dtype}') (make optimisers after converting)`)
    return copy
  }

  release(message: string): void {
    if (this.memory.disposed) return
    structureChanged()
    const hint = '; it can no longer be used: create it anew, or copy what you need (p.detach().clone()) before disposing'
    this.memory.dispose(message + hint)
    this.gradMemory?.dispose(`the gradient of ${message}${hint}`)
    this.grad = null
  }

  /** True once dispose() (or its module's) freed this parameter. */
  get disposed(): boolean {
    return this.memory.disposed
  }

  /** As PyTorch prints a parameter: `Parameter containing:` above the tensor. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`
  }
}
