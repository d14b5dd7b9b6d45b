import type { Tensor } from '../tensor.js'

/** The activations a Dense layer takes by name, as in Keras. */
export type ActivationIdentifier = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear'

export interface Activation {
  readonly name: ActivationIdentifier
  apply(x: Tensor): Tensor
}

const activations: Record<ActivationIdentifier, (x: Tensor) => Tensor> = {
  relu: (x) => x.relu(),
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  // Over the last axis, as Keras does.
  softmax: (x) => x.softmax(-1),
  linear: (x) => x,
}

/** The activation `name` names (`undefined` and `null` mean 'linear'); unknown names list the valid ones. */
export function getActivation(name: ActivationIdentifier | null | undefined, what: string): Activation {
  const id = name ?? 'linear'
  if (typeof id !== 'string' || !Object.hasOwn(activations, id)) {
    throw new Error(`${what}: unknown activation ${typeof id === 'string' ? `'${id}'` : String(id)}; use one of ${Object.keys(activations).map((n) => `'${n}'`).join(', ')}`)
  }
  return { name: id, apply: activations[id] }
}
