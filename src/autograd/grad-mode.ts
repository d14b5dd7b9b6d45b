/** Whether ops record the graph. Off inside noGrad() and while backward() runs. */
let enabled = true

export function isGradEnabled(): boolean {
  return enabled
}

/** @internal Set grad mode and return the previous one (noGrad without a closure, for the engine). */
export function setGradEnabled(on: boolean): boolean {
  const before = enabled
  enabled = on
  return before
}

/** Run `fn` without recording gradients (like `with torch.no_grad():`) and return its result. */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`noGrad: expected a function to run without recording gradients, got ${fn === null ? 'null' : typeof fn}`)
  const before = enabled
  enabled = false
  let result: T
  try {
    result = fn()
  } finally {
    enabled = before
  }
  // Grad mode is one global switch: after fn's first await, ops would run with it back on.
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    throw new TypeError(
      'noGrad: fn returned a promise (an async function), but grad mode comes back on at its first await, so the ops after it would record gradients. ' +
        'Wrap only synchronous work: `const y = noGrad(() => model.forward(x))`, and await outside it',
    )
  }
  return result
}
