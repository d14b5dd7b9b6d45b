/**
 * An optimiser's per-parameter state: a Map that counts its changes, so compile() can tell in
 * one comparison that no state object was added, replaced or dropped since its last look
 * (loadStateDict, dispose, a first step) (src/compile/repeat-guard.ts).
 */
export class StateMap<K, V> extends Map<K, V> {
  /** Bumped by every set, delete and clear. */
  version = 0

  override set(key: K, value: V): this {
    this.version++
    return super.set(key, value)
  }

  override delete(key: K): boolean {
    this.version++
    return super.delete(key)
  }

  override clear(): void {
    this.version++
    super.clear()
  }
}
