import { expect } from 'vitest'

/**
 * Bad input throws a clear error (DESIGN.md): asserts `fn` throws and its message contains
 * every string part and matches every RegExp part (the op's name, the shapes, the value).
 */
export function expectError(fn: () => unknown, ...parts: (string | RegExp)[]): void {
  let message: string | null = null
  try {
    fn()
  } catch (e) {
    message = (e as Error).message
  }
  expect(message, 'expected an error').not.toBeNull()
  for (const p of parts) {
    if (typeof p === 'string') expect(message).toContain(p)
    else expect(message).toMatch(p)
  }
}
