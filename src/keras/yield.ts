/**
 * Give the event loop a turn: pending I/O, timers and, in a browser, rendering and input run
 * before `fit` goes on. setImmediate in Node, Deno and Bun; a MessageChannel message in browsers
 * and workers (setTimeout(0) is clamped to 4 ms there after a few nested calls).
 */
export function nextTurn(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown; MessageChannel?: typeof MessageChannel }
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve))
  if (typeof g.MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new g.MessageChannel!()
      channel.port1.onmessage = () => {
        channel.port1.close()
        resolve()
      }
      channel.port2.postMessage(null)
    })
  }
  return new Promise((resolve) => setTimeout(resolve, 0))
}
