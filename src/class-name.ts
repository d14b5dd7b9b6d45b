/**
 * A class's name for printing and messages: its own static `displayName` if it declares one,
 * else its `name`. Built-in classes declare it because bundlers rename classes whose names
 * collide (nn.Sequential and keras.Sequential would print as "Sequential2"); a user's subclass
 * inherits no displayName of its own, so it prints under its own name, as in PyTorch.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function className(ctor: Function): string {
  const own = Object.getOwnPropertyDescriptor(ctor, 'displayName')?.value
  return typeof own === 'string' ? own : ctor.name
}
