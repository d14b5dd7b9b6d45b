/**
 * The `yann/keras` entry: the Keras-style model API (TensorFlow.js's names), kept out of the
 * `yann` entry so that `import { nn, optim } from 'yann'` does not carry it.
 *
 * @example
 * import * as keras from 'yann/keras'
 * const model = keras.sequential({ layers: [keras.layers.dense({ units: 1, inputShape: [2] })] })
 */
import './index.js' // the wasm backend's registration, whichever entry is imported first
export * from './keras/index.js'
