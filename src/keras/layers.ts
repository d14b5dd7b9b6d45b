import { Dense, type DenseLayerArgs } from './dense.js'

/** `keras.layers`: TensorFlow.js's layer factories. */

/** A fully connected layer, y = activation(x·K + b) with K of shape [in, units]. See Dense. */
export function dense(args: DenseLayerArgs): Dense {
  return new Dense(args)
}

export { Dense, Layer }
export type { DenseLayerArgs }
import { Layer, type LayerArgs } from './layer.js'
export type { LayerArgs, SymbolicShape } from './layer.js'

import { AveragePooling2D, Conv2D, Flatten, MaxPooling2D, type Conv2DLayerArgs, type Pooling2DLayerArgs } from './conv.js'

/** 2-d convolution (channelsLast by default), kernel [kh, kw, in, filters]. See Conv2D. */
export function conv2d(args: Conv2DLayerArgs): Conv2D {
  return new Conv2D(args)
}

/** Max pooling over poolSize windows (default 2×2, stride = poolSize). */
export function maxPooling2d(args: Pooling2DLayerArgs = {}): MaxPooling2D {
  return new MaxPooling2D(args)
}

/** Average pooling over poolSize windows. */
export function averagePooling2d(args: Pooling2DLayerArgs = {}): AveragePooling2D {
  return new AveragePooling2D(args)
}

/** [batch, ...] → [batch, product]. */
export function flatten(args: LayerArgs = {}): Flatten {
  return new Flatten(args)
}

export { AveragePooling2D, Conv2D, Flatten, MaxPooling2D }
export type { Conv2DLayerArgs, Pooling2DLayerArgs }

import { BatchNormalization, Dropout, type BatchNormalizationLayerArgs, type DropoutLayerArgs } from './regularization.js'

/** Dropout while fit() trains, identity otherwise. */
export function dropout(args: DropoutLayerArgs): Dropout {
  return new Dropout(args)
}

/** Batch normalisation over the last (channels) axis by default. */
export function batchNormalization(args: BatchNormalizationLayerArgs = {}): BatchNormalization {
  return new BatchNormalization(args)
}

export { BatchNormalization, Dropout }
export type { BatchNormalizationLayerArgs, DropoutLayerArgs }
