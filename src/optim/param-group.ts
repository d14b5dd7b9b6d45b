import type { Tensor } from '../tensor.js'

/** Where a group keeps its options' values (a non-enumerable own property: spreads and stateDict() do not copy it). */
const VALUES = Symbol('options')

/** How many times an option of any param group changed value (see watchedGroup). */
let optionChanges = 0

/** @internal The count of option changes so far: compile()'s check that an optimiser step would repeat compares it. */
export function optionChangesNow(): number {
  return optionChanges
}

/** Each option's accessors, shared by every group (one shape, so reads of `group.lr` stay monomorphic). */
const accessors = new Map<string, PropertyDescriptor>()

function accessor(key: string): PropertyDescriptor {
  let d = accessors.get(key)
  if (d === undefined) {
    d = {
      get(this: { [VALUES]: Record<string, unknown> }) {
        return this[VALUES][key]
      },
      set(this: { [VALUES]: Record<string, unknown> }, v: unknown) {
        const values = this[VALUES]
        if (!Object.is(values[key], v)) optionChanges++
        values[key] = v
      },
      enumerable: true,
      // Not configurable: Object.defineProperty or delete cannot change an option behind the count.
      configurable: false,
    }
    accessors.set(key, d)
  }
  return d
}

/**
 * The options of `group` as plain data (its values object, or the group itself when made by
 * hand), for a step to read: no accessor call per option read.
 */
export function optionsOf<O extends object>(group: O): O {
  return (group as { [VALUES]?: O })[VALUES] ?? group
}

/** True for a group made by watchedGroup() (not one a caller put in `paramGroups` by hand): its option changes are counted. */
export function isWatched(group: object): boolean {
  return Object.prototype.hasOwnProperty.call(group, VALUES)
}

/**
 * A param group whose options (the keys of `options`) count their changes: `group.lr = x`,
 * Object.assign, a scheduler's write, each goes through a setter that bumps optionChangesNow()
 * when the value changes (Object.is's sense: 0 to -0 is a change). Otherwise a plain object:
 * its options are enumerable own properties, so `{ ...group }` and `Object.keys` see them;
 * `params` and any key added later are plain data properties.
 */
export function watchedGroup<G extends object>(options: G, params: Tensor[]): G & { params: Tensor[] } {
  const group = {} as Record<PropertyKey, unknown>
  Object.defineProperty(group, VALUES, { value: { ...options } })
  for (const key of Object.keys(options)) {
    if (key !== 'params') Object.defineProperty(group, key, accessor(key))
  }
  group.params = params
  return group as G & { params: Tensor[] }
}
