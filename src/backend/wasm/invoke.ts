import type { FloatArray } from '../../dtype.js'
import { kernelTable } from './kernel-table.generated.js'
import { abandon, arg, begin, finish, kernelError, metaPtr, metaView, pointers, requireExports, stage, WasmOutOfMemory } from './runtime.js'

export { IN, INOUT, OUT } from './runtime.js'

/**
 * One wasm kernel call: bind the f32 or f64 export, stage the arrays into wasm memory,
 * call, copy the outputs back. Every kernel of the wasm backend goes through `invoke`.
 */

/** A kernel export: byte pointers, element counts, op codes and scalars, all numbers. */
export type KernelExport = (...args: number[]) => void

/** The kernels build/yann.wasm exports as `<name>_f32` and `<name>_f64`. Add a kernel family's names here. */
export const KERNELS = [
  'unary', 'unaryBackward', 'powScalar', 'powScalarBackward', 'clamp', 'clampBackward', 'binary', 'stridedCopy',
  'gemm', 'sumAxis', 'sumSquares', 'softmax', 'softmaxBackward', 'pointwiseLoss', 'pointwiseLossBackward', 'sgdStep', 'adamStep',
  'im2col', 'col2im', 'maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'avgPool2dBackward',
  'conv2d', 'conv2dInputGrad', 'conv2dWeightGrad',
  'compare', 'maxAxis', 'logsumexp', 'indexSelect', 'indexAdd', 'gatherAxis', 'scatterAddAxis',
  'attention', 'attentionBackward', 'rmspropStep', 'adagradStep', 'gelu', 'geluBackward', 'layerNorm', 'layerNormBackward',
  'batchNorm', 'batchNormBackward',
  'nllLoss', 'nllLossBackward', 'targetMask', 'flatIndex', 'additiveMask',
] as const
export type KernelName = (typeof KERNELS)[number]

/**
 * Each kernel's `f32` and `f64` function (indexed by `x instanceof Float64Array ? 1 : 0`), bound
 * on the kernel's first call: the binary keeps its kernels in a table (scripts/wasm-table.mjs),
 * whose entries V8 turns into functions only when fetched, so loading the binary makes none.
 */
const exportsByKernel = new Map<string, [KernelExport, KernelExport]>()

function bindExports(name: string): [KernelExport, KernelExport] {
  if (!(KERNELS as readonly string[]).includes(name)) throw new Error(`yann wasm backend: unknown kernel '${name}'; add it to KERNELS in src/backend/wasm/invoke.ts`)
  const table = requireExports('wasm backend').kernels
  const k = kernelTable.split(' ').indexOf(name)
  if (k < 0 || !(table instanceof WebAssembly.Table) || 2 * k + 1 >= table.length) {
    throw new Error(`yann wasm backend: build/yann.wasm lacks ${name}_f32 and ${name}_f64; rebuild it (npm run build:wasm)`)
  }
  const pair: [KernelExport, KernelExport] = [table.get(2 * k) as KernelExport, table.get(2 * k + 1) as KernelExport]
  exportsByKernel.set(name, pair)
  return pair
}

/** The f32 or f64 export of `name`. */
export function kernelFunction(name: string, f64: boolean): KernelExport {
  return (exportsByKernel.get(name) ?? bindExports(name))[f64 ? 1 : 0]
}

/** The export of `name` for the float type of `like`. */
export function kernelExport(name: string, like: FloatArray): KernelExport {
  return kernelFunction(name, like instanceof Float64Array)
}

/** What a kernel call needs besides its arrays. */
export interface CallInfo {
  /** int32 metadata values written at `metaPtr` before the call (shapes, strides). */
  metaInts?: number
  /** Writes the metadata: `view[at + i]` for i < metaInts. */
  writeMeta?(view: Int32Array, at: number): void
  /** The op code passed, named in the error if the kernel traps on it. */
  code?: number
  /** The op's name, for that error. */
  op?: string
  /** The kernel may allocate in wasm (gemm's packing buffers): re-check the memory views after. */
  allocates?: boolean
  /** The op's shapes, named when the kernel runs out of memory for its scratch. */
  shapes?: () => string
}

const NO_INFO: CallInfo = {}

/**
 * @internal compile()'s view of kernel calls while it records a step (src/compile/wasm-capture.ts):
 * `before` sees each call before anything is staged, `after` a call that ran on wasm.
 */
export interface InvokeTap {
  before(name: KernelName, like: FloatArray, arrays: readonly (FloatArray | number | null)[], call: KernelCall, info: CallInfo): void
  after(): void
}
/**
 * Calls the export with the staged pointers. It runs after staging, which may grow the memory:
 * a view of wasm memory (a parameter) then reads length 0, so take array lengths before invoke().
 */
export type KernelCall = (f: KernelExport, p: Float64Array, meta: number) => void

export let invokeTap: InvokeTap | null = null

/** @internal Installs compile's tap; returns the one before. */
export function setInvokeTap(tap: InvokeTap | null): InvokeTap | null {
  const before = invokeTap
  invokeTap = tap
  return before
}

/**
 * Runs kernel `name` on `arrays` (array, role, array, role, …: null arrays pass pointer 0).
 * `call` receives the export and the arrays' byte pointers, in order, plus the metadata pointer.
 * Returns false, having run nothing, when the arrays do not fit in wasm memory: the caller
 * then runs the ts kernel on the same arrays. A trap becomes an Error naming the kernel; one in
 * the kernel's own allocation, WasmOutOfMemory (src/backend/wasm/out-of-memory.ts).
 */
export function invoke(
  name: KernelName,
  like: FloatArray,
  arrays: readonly (FloatArray | number | null)[],
  call: KernelCall,
  info: CallInfo = NO_INFO,
): boolean {
  if (invokeTap !== null) invokeTap.before(name, like, arrays, call, info)
  const f = kernelExport(name, like)
  begin(info.metaInts ?? 0)
  for (let i = 0; i < arrays.length; i += 2) arg(arrays[i] as FloatArray | null, arrays[i + 1] as number)
  if (!stageOrGiveUp()) return false
  if (info.writeMeta) info.writeMeta(metaView(), metaPtr >>> 2)
  try {
    call(f, pointers, metaPtr)
  } catch (e) {
    abandon()
    throw trapError(name, info, e)
  }
  finish(info.allocates === true)
  if (invokeTap !== null) invokeTap.after()
  return true
}

/** Stages the arguments; false (nothing staged) when the arena cannot grow to hold them. */
function stageOrGiveUp(): boolean {
  try {
    stage()
    return true
  } catch (e) {
    abandon()
    if (e instanceof WasmOutOfMemory) return false
    throw e
  }
}

function trapError(name: string, info: CallInfo, e: unknown): Error {
  if (info.code !== undefined && e instanceof WebAssembly.RuntimeError && /unreachable/.test(e.message)) {
    return new Error(
      `yann wasm backend: kernel '${name}' does not know op code ${info.code}` +
        `${info.op ? ` ('${info.op}')` : ''}: build/yann.wasm is older than the op table; run npm run gen && npm run build:wasm`,
    )
  }
  return kernelError(name, e, info.shapes)
}
