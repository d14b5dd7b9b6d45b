/**
 * `yann export`: a saved model (safetensors + the name of the example architecture that
 * made it) to an `.onnx` file. Registered in src/cli.ts's command table.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createCnn as mnistCnn } from '../../examples/mnist-cnn.js'
import { createModel as mnistMlp } from '../../examples/mnist.js'
import { ready } from '../backend/index.js'
import { zeros } from '../creation.js'
import { SEED_NETWORK, networkFromJson } from '../explain/seed.js'
import { loadSafetensors } from '../io/tensors.js'
import type { AnyModule } from '../nn/module.js'
import type { Tensor } from '../tensor.js'
import { exportOnnx, type ExportOnnxOptions } from './export.js'

/** An architecture the CLI can rebuild before loading weights into it. */
interface Architecture {
  summary: string
  create(): AnyModule
  /** Example inputs for the trace (sizes only matter), and which axes stay dynamic. */
  inputs(): Tensor[]
  dynamicAxes: ExportOnnxOptions['dynamicAxes']
}

/** The examples' architectures. Add one with an entry here. */
export const ARCHITECTURES: Record<string, Architecture> = {
  seed: {
    summary: "the seed's 3-3-2 network: Linear(3,3) ReLU Linear(3,2) Sigmoid",
    create: () => networkFromJson(SEED_NETWORK.weights),
    inputs: () => [zeros([1, 3])],
    dynamicAxes: { input: { 0: 'batch' } },
  },
  'mnist-mlp': {
    summary: 'examples/mnist.ts: Linear(784,128) ReLU Linear(128,10) Sigmoid, input [batch, 784]',
    create: mnistMlp,
    inputs: () => [zeros([1, 784])],
    dynamicAxes: { input: { 0: 'batch' } },
  },
  'mnist-cnn': {
    summary: 'examples/mnist-cnn.ts: two Conv2d-ReLU-MaxPool2d blocks, Linear(1568,128) ReLU Dropout Linear(128,10), input [batch, 1, 28, 28]',
    create: mnistCnn,
    inputs: () => [zeros([1, 1, 28, 28])],
    dynamicAxes: { input: { 0: 'batch' } },
  },
}

const width = Math.max(...Object.keys(ARCHITECTURES).map((n) => n.length))

const USAGE = `Usage: yann export <architecture> <weights.safetensors> [options]

Rebuilds the architecture, loads the weights (a state dict saved with yann/node's save or
PyTorch's safetensors) and writes the model as ONNX, to run with ONNX Runtime (web, node,
mobile, server) without yann. The batch dim stays dynamic.

Architectures:
${Object.entries(ARCHITECTURES)
  .map(([name, a]) => `  ${name.padEnd(width)}  ${a.summary}`)
  .join('\n')}

Options:
  --output <file.onnx>   where to write (default: the weights' path with .onnx)
  --opset <n>            ONNX opset, 17 to 21 (default 17)
  -h, --help             this message`

interface ExportArgs {
  architecture: string
  weights: string
  output: string
  opset: number
}

class ExportUsageError extends Error {}

function parseArgs(args: string[]): ExportArgs {
  const positional: string[] = []
  let output: string | null = null
  let opset = 17
  for (let i = 0; i < args.length; i++) {
    const m = /^--(output|opset)(?:=(.*))?$/s.exec(args[i])
    if (!m) {
      if (args[i].startsWith('-')) throw new ExportUsageError(`unknown option '${args[i]}'`)
      positional.push(args[i])
      continue
    }
    const value = m[2] ?? args[++i]
    if (value === undefined) throw new ExportUsageError(`--${m[1]} needs a value`)
    if (m[1] === 'output') output = value
    else {
      opset = Number(value)
      if (!Number.isInteger(opset)) throw new ExportUsageError(`--opset must be an integer, got '${value}'`)
    }
  }
  if (positional.length !== 2) throw new ExportUsageError(`expected an architecture and a weights file, got ${positional.length} arguments`)
  const [architecture, weights] = positional
  if (!Object.hasOwn(ARCHITECTURES, architecture)) {
    throw new ExportUsageError(`unknown architecture '${architecture}'; known: ${Object.keys(ARCHITECTURES).join(', ')}`)
  }
  return { architecture, weights, output: output ?? weights.replace(/(\.safetensors)?$/, '.onnx'), opset }
}

export const exportCommand = {
  summary: 'a saved model (safetensors + its architecture) to .onnx, for ONNX Runtime',
  usage: USAGE,
  async run(args: string[], io: { stdout(text: string): void; stderr(text: string): void }): Promise<number> {
    let a: ExportArgs
    try {
      a = parseArgs(args)
    } catch (e) {
      if (!(e instanceof ExportUsageError)) throw e
      io.stderr(`yann export: ${e.message}\n\n${USAGE}\n`)
      return 2
    }
    await ready()
    const arch = ARCHITECTURES[a.architecture]
    let bytes: Uint8Array
    try {
      bytes = readFileSync(a.weights)
    } catch (e) {
      throw new Error(`cannot read ${a.weights}: ${(e as Error).message}`)
    }
    const { tensors } = loadSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    const model = arch.create()
    model.loadStateDict(tensors)
    const onnx = exportOnnx(model, arch.inputs(), { opset: a.opset, dynamicAxes: arch.dynamicAxes })
    writeFileSync(a.output, onnx)
    io.stdout(`wrote ${a.output} (${onnx.length} bytes, ${a.architecture}, opset ${a.opset})\n`)
    return 0
  },
}
