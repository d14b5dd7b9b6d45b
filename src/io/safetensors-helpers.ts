/** Small helpers of the safetensors reader and writer (src/io/safetensors.ts): checks and error descriptions. */
export function isDim(d: unknown): d is number {
  return typeof d === 'number' && Number.isSafeInteger(d) && d >= 0
}

/** Product of dims; Infinity-safe: a zero dim anywhere gives 0. */
export function product(shape: number[]): number {
  if (shape.includes(0)) return 0
  let p = 1
  for (const d of shape) p *= d
  return p
}

/** Order by Unicode code point (= UTF-8 byte order, as Rust's `str::cmp`). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]()
  const ib = b[Symbol.iterator]()
  for (;;) {
    const x = ia.next()
    const y = ib.next()
    if (x.done) return y.done ? 0 : -1
    if (y.done) return 1
    const cx = x.value.codePointAt(0)!
    const cy = y.value.codePointAt(0)!
    if (cx !== cy) return cx - cy
  }
}

export function hasLoneSurrogate(s: string): boolean {
  return /\p{Surrogate}/u.test(s)
}

/** Set an own property even for names like "__proto__". */
export function defineOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}

/** A name for an error message: JSON-quoted, cut short if long. */
export function quote(name: string): string {
  const s = JSON.stringify(name.length > 80 ? name.slice(0, 77) : name)
  return name.length > 80 ? `${s.slice(0, -1)}..."` : s
}

export function describe(v: unknown): string {
  if (v === undefined) return 'undefined'
  if (v === null) return 'null'
  if (ArrayBuffer.isView(v)) return v.constructor.name
  if (Array.isArray(v)) {
    // Only a short flat array is printed: stringifying a nested one recurses (a header can nest
    // arrays 10 000 deep, past the call stack).
    const flat = v.length <= 16 && v.every((x) => x === null || typeof x !== 'object')
    const s = flat ? safeJson(v) : ''
    return flat && s.length <= 60 ? s : `an array of length ${v.length}`
  }
  if (typeof v === 'object') return 'an object'
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}
