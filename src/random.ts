/**
 * The seedable generator behind rand, randn and parameter init. xoshiro128** (fast, good
 * statistics, 32-bit state words that JavaScript handles exactly). Not PyTorch's Mersenne
 * Twister: the same seed gives different numbers than torch.
 */
let s0 = 0
let s1 = 0
let s2 = 0
let s3 = 0

/** Reset the generator, like torch.manual_seed. */
export function manualSeed(seed: number): void {
  // splitmix32 spreads the seed over the four state words.
  let x = seed >>> 0
  const next = (): number => {
    x = (x + 0x9e3779b9) >>> 0
    let z = x
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
  s0 = next()
  s1 = next()
  s2 = next()
  s3 = next()
}

manualSeed(Date.now())

function nextUint32(): number {
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
  const t = s1 << 9
  s2 ^= s0
  s3 ^= s1
  s1 ^= s2
  s0 ^= s3
  s2 ^= t
  s3 = rotl(s3, 11)
  return result
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/** Uniform in [0, 1), 53 random bits. */
export function random(): number {
  return (nextUint32() * 2 ** 21 + (nextUint32() >>> 11)) / 2 ** 53
}

/** Standard normal (Box–Muller). */
export function randomNormal(): number {
  let u = 0
  while (u === 0) u = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}
