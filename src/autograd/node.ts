import type { Tensor } from '../tensor.js'

/** Gradients of an op's inputs given the gradient of its output (null where not needed). */
export type VectorJacobianProduct = (grad: Tensor) => (Tensor | null)[]

/**
 * A recorded op: what `tensor.gradFn` holds. `name` follows PyTorch (`ReluBackward0`).
 * The closure keeps the tensors the backward needs; release() drops them after backward().
 */
export class Node {
  private vjp: VectorJacobianProduct | null

  constructor(
    readonly name: string,
    readonly inputs: readonly Tensor[],
    vjp: VectorJacobianProduct,
  ) {
    this.vjp = vjp
  }

  apply(grad: Tensor): (Tensor | null)[] {
    if (!this.vjp) {
      throw new Error(
        `backward: trying to backward through the graph a second time (through ${this.name}); ` +
          'its saved values were freed by the first backward(). Pass { retainGraph: true } to the first call.',
      )
    }
    return this.vjp(grad)
  }

  release(): void {
    this.vjp = null
  }

  toString(): string {
    return `<${this.name}>`
  }
}
