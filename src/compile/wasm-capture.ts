import type { FloatArray } from '../dtype.js'
import type { CallInfo, InvokeTap, KernelCall, KernelExport, KernelName } from '../backend/wasm/invoke.js'
import { wasmExports } from '../backend/wasm/runtime.js'

/**
 * What the recording sees of the wasm kernel exports each backend method runs: compile's
 * invoke tap (src/backend/wasm/invoke.ts). The wasm plan (wasm-plan.ts) is built from it.
 */

/** In a captured call's arguments, array j's pointer is SENTINEL − j and the metadata pointer META. */
export const SENTINEL = -1.5e15
export const META = SENTINEL - 100

/** One call of a kernel export. */
export interface Captured {
  name: KernelName
  f64: boolean
  /** The arrays staged, in order (null: pointer 0), and their roles (IN 1, OUT 2, INOUT 3). */
  arrays: (FloatArray | null)[]
  roles: number[]
  /** Each array's byte address when it was a view of wasm memory at the call, else -1. */
  addr: number[]
  /** The export's arguments, pointers as sentinels. */
  args: number[]
  /** The int32 metadata written before the call (binary and stridedCopy's shapes and strides). */
  meta: number[]
  /** A kernel that allocates its scratch: its shapes, for the out-of-memory error of a replay. */
  shapes?: string
}

/** One backend method call during the recording (in plan entry `entry`) and the exports it ran. */
export interface MethodCall {
  entry: number
  method: string
  invokes: Captured[]
  /** It ran on wasm only because it was recorded there: eager ran its ts twin (src/backend/wasm/twins.ts). */
  twin: boolean
}

const pointers = new Float64Array(16)
for (let j = 0; j < pointers.length; j++) pointers[j] = SENTINEL - j

export class CaptureLog implements InvokeTap {
  readonly calls: MethodCall[] = []
  private current: MethodCall | null = null
  private pending: Captured | null = null

  /** A backend method call of plan entry `entry` starts; returns what to pass to leave(). */
  enter(entry: number, method: string, twin: boolean): MethodCall | null {
    const before = this.current
    this.current = { entry, method, invokes: [], twin }
    this.calls.push(this.current)
    return before
  }

  leave(before: MethodCall | null): void {
    this.current = before
  }

  before(name: KernelName, like: FloatArray, given: readonly (FloatArray | number | null)[], call: KernelCall, info: CallInfo): void {
    this.pending = null
    if (this.current === null) return
    const buffer = wasmExports()?.memory.buffer
    const arrays: (FloatArray | null)[] = []
    const roles: number[] = []
    const addr: number[] = []
    for (let i = 0; i < given.length; i += 2) {
      const a = given[i] as FloatArray | null
      arrays.push(a)
      roles.push(given[i + 1] as number)
      addr.push(a !== null && a.buffer === buffer ? a.byteOffset : -1)
    }
    let args: number[] = []
    const fake: KernelExport = (...a: number[]) => void (args = a)
    for (let j = 0; j < arrays.length; j++) pointers[j] = arrays[j] === null ? 0 : SENTINEL - j
    call(fake, pointers, META)
    const meta = new Int32Array(info.metaInts ?? 0)
    if (info.writeMeta && meta.length > 0) info.writeMeta(meta, 0)
    this.pending = { name, f64: like instanceof Float64Array, arrays, roles, addr, args, meta: Array.from(meta), shapes: info.allocates ? info.shapes?.() : undefined }
  }

  /** The call ran on wasm (not the ts kernel after an out-of-memory fallback): keep it. */
  after(): void {
    if (this.pending !== null && this.current !== null) this.current.invokes.push(this.pending)
    this.pending = null
  }
}
