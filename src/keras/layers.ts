import { Dense, type DenseLayerArgs } from './dense.js'

/** `keras.layers`: TensorFlow.js's layer factories. */

/** A fully connected layer, y = activation(x·K + b) with K of shape [in, units]. See Dense. */
export function dense(args: DenseLayerArgs): Dense {
  return new Dense(args)
}

export { Dense, Layer }
export type { DenseLayerArgs }
import { Layer } from './layer.js'
export type { LayerArgs, SymbolicShape } from './layer.js'
