/**
 * The `yann/onnx` entry: export a trained model to ONNX for ONNX Runtime, kept out of the
 * `yann` entry so that a training program does not carry the exporter.
 *
 * @example
 * import { exportOnnx } from 'yann/onnx'
 * const bytes = exportOnnx(model, [x], { dynamicAxes: { input: { 0: 'batch' } } })
 */
import './index.js' // the wasm backend's registration, whichever entry is imported first
export { exportOnnx } from './onnx/export.js'
export type { ExportOnnxOptions } from './onnx/export.js'
