/**
 * The options whose name means one type wherever it appears. JavaScript callers get no type
 * check, and `{ keepdim: 'no' }` would read as true, `{ eps: '1e-5' }` as NaN arithmetic:
 * checkOptionKeys refuses a wrong type for these names (undefined is absent, as a default).
 */
type OptionType = 'a boolean' | 'a number' | 'a number or null' | 'an integer' | 'an integer or null' | 'an integer, a list of integers or null'

const TYPES: Record<string, OptionType> = {}
const define = (type: OptionType, names: string) => names.split(' ').forEach((n) => (TYPES[n] = type))
define('a boolean', 'keepdim descending stable largest sorted ceilMode returnIndices countIncludePad training isCausal logTarget affine trackRunningStats elementwiseAffine batchFirst inplace bias shuffle dropLast requiresGrad retainGraph')
define('a number', 'eps labelSmoothing beta delta dropoutP value negativeSlope minVal maxVal threshold alpha correction atol rtol')
define('a number or null', 'scale momentum')
define('an integer', 'ignoreIndex diagonal groups')
define('an integer or null', 'paddingIdx')
define('an integer, a list of integers or null', 'stride dilation outputPadding dim')

function fits(type: OptionType, v: unknown): boolean {
  if (type === 'a boolean') return typeof v === 'boolean'
  if (type === 'a number') return typeof v === 'number'
  if (type === 'a number or null') return v === null || typeof v === 'number'
  if (type === 'an integer') return Number.isInteger(v)
  if (type === 'an integer or null') return v === null || Number.isInteger(v)
  return v === null || Number.isInteger(v) || (Array.isArray(v) && v.every(Number.isInteger))
}

/** Throws naming the op when option `key` has the wrong type for its name. */
export function checkOptionType(op: string, key: string, value: unknown): void {
  const type = TYPES[key]
  if (type === undefined || value === undefined || fits(type, value)) return
  const got = typeof value === 'string' ? `the string ${JSON.stringify(value)}` : Array.isArray(value) ? `[${value.join(', ')}]` : String(value)
  throw new TypeError(`${op}: option ${key} must be ${type}, got ${got}`)
}
