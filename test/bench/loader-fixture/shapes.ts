/** Named functions and a class with an uninitialised field (test/bench/loader.test.ts). */
export function outer(): () => number {
  function inner(): number {
    return 1
  }
  return inner
}

export const arrow = (): number => 2

export class Fields {
  declared?: number
  count = 1
}
