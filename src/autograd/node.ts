import type { Tensor } from '../tensor.js'
import { checkSaved, versionsOf, type Saved } from './version.js'

/** Gradients of an op's inputs given the gradient of its output (null where not needed). */
export type VectorJacobianProduct = (grad: Tensor) => (Tensor | null)[]

/**
 * A recorded op: what `tensor.gradFn` holds. `name` follows PyTorch (`ReluBackward0`).
 * The closure keeps the tensors the backward needs; release() drops them after backward().
 * `saved` are those among them that the user could write in place (inputs, the output), with
 * their versions when the op ran: apply() refuses to run on a changed one (autograd/version.ts).
 */
export class Node {
  private vjp: VectorJacobianProduct | null
  private saved: Saved | null
  private readonly versions: readonly number[] | null

  constructor(
    readonly name: string,
    readonly inputs: readonly Tensor[],
    vjp: VectorJacobianProduct,
    saved?: Saved,
  ) {
    this.vjp = vjp
    this.saved = saved ?? null
    this.versions = saved === undefined ? null : versionsOf(saved)
  }

  apply(grad: Tensor): (Tensor | null)[] {
    if (!this.vjp) {
      throw new Error(
        `backward: trying to backward through the graph a second time (through ${this.name}); ` +
          'its saved values were freed by the first backward(). Pass { retainGraph: true } to the first call.',
      )
    }
    if (this.saved !== null) checkSaved(this.name, this.saved, this.versions)
    return this.vjp(grad)
  }

  release(): void {
    this.vjp = null
    this.saved = null
  }

  toString(): string {
    return `<${this.name}>`
  }
}
