/**
 * The `yann` command line:
 *
 *     yann explain [--lr 0.01] [--weights net.json] [--format text|markdown] ...
 *     yann seed
 *     yann --help
 *
 * Commands live in one table (COMMANDS): adding one is one line there. Arguments are parsed by
 * hand (zero runtime dependencies). Bad arguments print the usage and exit 2; a failure while
 * running prints one line and exits 1; never a stack trace.
 */
// First: on Node 20 it lets the relaxed binary load (src/relaxed-simd-flag.ts), before the library compiles its wasm.
import { programArgs } from './relaxed-simd-flag.js'
import { readFileSync, realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { format as formatArgs } from 'node:util'
import { trainMnistCommand } from '../examples/mnist.js'
import { trainCnnCommand } from '../examples/mnist-cnn.js'
import { trainGptCommand } from '../examples/gpt-char.js'
import { VERSION } from './version.js'
import { main as seedKeras } from '../examples/seed-keras.js'
import { main as seedModule } from '../examples/seed-module.js'
import { main as seedTape } from '../examples/seed-tape.js'
import { main as seedTensor } from '../examples/seed-tensor.js'
import { noGrad } from './autograd/grad-mode.js'
import { ready } from './backend/index.js'
import { tensor } from './creation.js'
import type { FloatDType } from './dtype.js'
import { explain, type ExplainLoss } from './explain/explain.js'
import { formatExplanation } from './explain/format.js'
import { SEED_NETWORK, networkFromJson, type NetworkJson } from './explain/seed.js'
import { Linear } from './nn/linear.js'
import { exportCommand } from './onnx/cli.js'
import { BCELoss, MSELoss } from './nn/loss.js'

/** Where a command writes and reads; tests pass their own. */
export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  readFile(path: string): string
}

export interface Command {
  /** One line for `yann --help`. */
  summary: string
  /** The full `yann <name> --help`. */
  usage: string
  /** Run with the arguments after the command name; resolve to the exit code. */
  run(args: string[], io: CliIo): Promise<number> | number
}

/** A mistake in the arguments: reported with the command's usage, exit code 2. */
export class UsageError extends Error {}

// ---- yann explain ---------------------------------------------------------------------------

const EXPLAIN_USAGE = `Usage: yann explain [options]

Backpropagation as the seed's §3 derives it: every gradient of a Sequential network as a product
of Jacobians, each factor and running product printed, checked against autograd, then one SGD step.
Without options: the seed's 3-3-2 network (Linear, ReLU, Linear, Sigmoid; binary cross-entropy).

Options:
  --lr <number>              learning rate of the SGD update (default 0.01)
  --weights <file.json>      the network as a Sequential state dict (default: the seed's weights):
                               {"0.weight": [[...]], "0.bias": [...], "2.weight": [[...]], ...}
                             optionally with "layers": ["Linear", "ReLU", "Linear", "Sigmoid"]
                             (without it: ReLU between Linear layers, Sigmoid at the end)
  --input <n,n,...>          the input sample (default ${SEED_NETWORK.input.join(',')})
  --target <n,n,...>         the target (default ${SEED_NETWORK.target.join(',')})
  --loss bce|mse             the loss, mean-reduced (default bce)
  --format text|markdown     plain text, or Markdown with LaTeX for notebooks (default text)
  --decimals <n>             decimals of every number, 1 to 12 (default 4)
  --dtype float32|float64    (default float32, as the seed's PyTorch)
  -h, --help                 this message`

interface ExplainArgs {
  lr: number
  weights: string | null
  input: number[] | null
  target: number[] | null
  loss: 'bce' | 'mse'
  format: 'text' | 'markdown'
  decimals: number
  dtype: FloatDType
}

function parseExplainArgs(args: string[]): ExplainArgs {
  const out: ExplainArgs = { lr: 0.01, weights: null, input: null, target: null, loss: 'bce', format: 'text', decimals: 4, dtype: 'float32' }
  const options = parseOptions(args, ['lr', 'weights', 'input', 'target', 'loss', 'format', 'decimals', 'dtype'])
  for (const [name, value] of options) {
    switch (name) {
      case 'lr':
        out.lr = parseNumber('--lr', value)
        // As optim.SGD: a negative rate would climb the loss.
        if (out.lr < 0) throw new UsageError(`--lr must be a non-negative number (optim.SGD refuses a negative learning rate), got ${value}`)
        break
      case 'weights':
        out.weights = value
        break
      case 'input':
        out.input = parseList('--input', value)
        break
      case 'target':
        out.target = parseList('--target', value)
        break
      case 'loss':
        out.loss = parseChoice('--loss', value, ['bce', 'mse'] as const)
        break
      case 'format':
        out.format = parseChoice('--format', value, ['text', 'markdown'] as const)
        break
      case 'decimals': {
        const d = parseNumber('--decimals', value)
        if (!Number.isInteger(d) || d < 1 || d > 12) throw new UsageError(`--decimals must be an integer from 1 to 12, got ${value}`)
        out.decimals = d
        break
      }
      case 'dtype':
        out.dtype = parseChoice('--dtype', value, ['float32', 'float64'] as const)
        break
    }
  }
  return out
}

async function runExplain(args: string[], io: CliIo): Promise<number> {
  const a = parseExplainArgs(args)
  let json: NetworkJson = SEED_NETWORK.weights
  if (a.weights !== null) {
    let text: string
    try {
      text = io.readFile(a.weights)
    } catch (e) {
      throw new Error(`cannot read --weights ${a.weights}: ${(e as Error).message}`)
    }
    try {
      json = JSON.parse(text) as NetworkJson
    } catch (e) {
      throw new Error(`--weights ${a.weights} is not valid JSON: ${(e as Error).message}`)
    }
  }
  await ready()
  const model = networkFromJson(json, a.dtype)
  const inFeatures = model.children().find((m): m is Linear => m instanceof Linear)!.inFeatures
  const input = a.input ?? (inFeatures === SEED_NETWORK.input.length ? SEED_NETWORK.input : null)
  if (!input) throw new UsageError(`the network takes ${inFeatures} inputs; give them with --input (comma-separated)`)
  if (input.length !== inFeatures) throw new UsageError(`--input has ${input.length} numbers but the network takes ${inFeatures}`)
  const x = tensor(input, { dtype: a.dtype })
  const outFeatures = noGrad(() => model.forward(x)).numel()
  const target = a.target ?? (outFeatures === SEED_NETWORK.target.length ? SEED_NETWORK.target : null)
  if (!target) throw new UsageError(`the network gives ${outFeatures} outputs; give the target with --target (comma-separated)`)
  if (target.length !== outFeatures) throw new UsageError(`--target has ${target.length} numbers but the network gives ${outFeatures} outputs`)
  const loss: ExplainLoss = a.loss === 'bce' ? new BCELoss() : new MSELoss()
  const e = explain(model, x, tensor(target, { dtype: a.dtype }), loss, { lr: a.lr })
  io.stdout(formatExplanation(e, { format: a.format, decimals: a.decimals }))
  return e.agrees ? 0 : 1
}

// ---- yann seed ------------------------------------------------------------------------------

const SEED_USAGE = `Usage: yann seed

Runs the seed example in each of yann's styles, printing what the seed's PyTorch and TensorFlow
printed: §2 tensors and autograd (examples/seed-tensor.ts), §4 an nn.Module
(examples/seed-module.ts), §5.1 GradientTape (examples/seed-tape.ts) and §5.2 the Keras-style
API (examples/seed-keras.ts).
For §3, the Jacobian walk-through, run: yann explain`

/** The seed's sections as runnable examples, in the seed's order. */
const SEED_SECTIONS: [title: string, main: (print: (...args: unknown[]) => void) => void | Promise<void>][] = [
  ['§2 PyTorch Tensor Version → yann tensors', seedTensor],
  ['§4 PyTorch Model Based Version → yann nn.Module', seedModule],
  ['§5.1 Using GradientTape → yann GradientTape', seedTape],
  ['§5.2 Using tf.keras → yann keras', seedKeras],
]

async function runSeed(args: string[], io: CliIo): Promise<number> {
  parseOptions(args, [])
  await ready()
  const print = (...parts: unknown[]): void => io.stdout(`${formatArgs(...parts)}\n`)
  for (const [i, [title, main]] of SEED_SECTIONS.entries()) {
    if (i > 0) io.stdout('\n')
    io.stdout(`=== ${title} ===\n\n`)
    await main(print)
  }
  return 0
}

// ---- the command table ----------------------------------------------------------------------

/** Every `yann` command. Add a command with one line here (e.g. 'train-mnist': trainMnistCommand). */
export const COMMANDS: Record<string, Command> = {
  explain: { summary: "the seed's §3: every gradient as a product of Jacobians, checked against autograd", usage: EXPLAIN_USAGE, run: runExplain },
  'train-mnist': trainMnistCommand,
  'train-cnn': trainCnnCommand,
  'train-gpt': trainGptCommand,
  export: exportCommand,
  seed: { summary: "the seed's §2, §4 and §5 examples (tensors, nn.Module, GradientTape, Keras-style)", usage: SEED_USAGE, run: runSeed },
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length))
  return [
    'yann: Yet Another Neural Network',
    '',
    'Usage: yann <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'yann <command> --help shows a command\'s options. yann --help shows this message; yann --version the version.',
    '--no-relaxed-simd, with any command, runs the plain SIMD wasm binary (by default the relaxed-SIMD one where the engine can).',
  ].join('\n')
}

/** Run `yann` with `argv` (the arguments after the program name); resolve to the exit code. */
export async function main(argv: readonly string[], io: CliIo = nodeIo): Promise<number> {
  const [name, ...rest] = programArgs(argv)
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`)
    return 0
  }
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    if (name === undefined) {
      io.stderr(`${usage()}\n`)
      return 2
    }
    io.stdout(`${usage()}\n`)
    return 0
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!command) {
    io.stderr(`yann: unknown command '${name}'\n\n${usage()}\n`)
    return 2
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout(`${command.usage}\n`)
    return 0
  }
  try {
    return await command.run(rest, io)
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`yann ${name}: ${e.message}\n\n${command.usage}\n`)
      return 2
    }
    io.stderr(`yann ${name}: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}

// ---- argument parsing -----------------------------------------------------------------------

/** `--name value` and `--name=value` pairs, in order; anything else is a UsageError. */
function parseOptions(args: string[], names: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg)
    if (!m) throw new UsageError(arg.startsWith('-') ? `unknown option '${arg}'` : `unexpected argument '${arg}'`)
    const [, name, inline] = m
    if (!names.includes(name)) throw new UsageError(`unknown option '--${name}'`)
    let value = inline
    if (value === undefined) {
      value = args[++i]
      if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`--${name} needs a value`)
    }
    out.push([name, value])
  }
  return out
}

function parseNumber(option: string, value: string): number {
  const n = value.trim() === '' ? NaN : Number(value)
  if (!Number.isFinite(n)) throw new UsageError(`${option} must be a number, got '${value}'`)
  return n
}

function parseList(option: string, value: string): number[] {
  const parts = value.split(',').map((s) => s.trim())
  if (parts.length === 0 || parts.some((s) => s === '' || !Number.isFinite(Number(s)))) {
    throw new UsageError(`${option} must be comma-separated numbers like 0.23,0.82,0.47, got '${value}'`)
  }
  return parts.map(Number)
}

function parseChoice<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`${option} must be ${choices.join(' or ')}, got '${value}'`)
  return value as T
}

// ---- running as a program -------------------------------------------------------------------

const nodeIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
}

/** True when this file is the program Node started (`tsx src/cli.ts`, `node dist/cli.js`), through symlinks. */
function isEntry(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntry()) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
