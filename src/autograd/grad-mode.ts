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
  const before = enabled
  enabled = false
  try {
    return fn()
  } finally {
    enabled = before
  }
}
