import { checkOptionType } from './option-types.js'

/**
 * Reject option keys a constructor does not know. JavaScript callers get no type check, and a
 * PyTorch habit such as `{ weight_decay: 0.01 }` would otherwise be silently ignored.
 */
export function checkOptionKeys(op: string, options: object | undefined | null, known: readonly string[]): void {
  if (options === undefined) return
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${op}: options must be an object like { ${known[0]}: ... }, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`)
  }
  // for-in with an own-key test: Object.keys' array was an allocation per op call (losses check theirs at each call).
  for (const key in options) {
    if (!Object.prototype.hasOwnProperty.call(options, key)) continue
    if (known.includes(key)) {
      checkOptionType(op, key, (options as Record<string, unknown>)[key])
      continue
    }
    if ((options as Record<symbol, unknown>)[Symbol.for('yann.Tensor')] === true) {
      // A tensor where the options go (PyTorch's positional weight): its own fields are not the options' keys.
      const shape = (options as { shape: readonly number[] }).shape
      throw new TypeError(`${op}: options must be an object like { ${known[0]}: ... }, got a tensor of shape [${shape.join(', ')}]; pass tensors by name, e.g. { ${known[0]}: t }`)
    }
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
    const hint = camel !== key && known.includes(camel) ? `; did you mean ${camel}? (yann uses camelCase names)` : ''
    throw new TypeError(`${op}: unknown option '${key}'${hint}; known options are ${known.join(', ')}`)
  }
}
