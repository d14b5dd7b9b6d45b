/**
 * Seedable random numbers: xoshiro128** (fast, good statistics, 32-bit state words that
 * JavaScript handles exactly), seeded through splitmix32. Not PyTorch's Mersenne Twister:
 * the same seed gives different numbers than torch.
 */
export class Generator {
  private s0 = 0
  private s1 = 0
  private s2 = 0
  private s3 = 0

  constructor(seed: number) {
    this.seed(seed)
  }

  /** Restart from `seed` and return this generator, like torch.Generator.manual_seed. */
  manualSeed(seed: number): this {
    this.seed(seed)
    return this
  }

  /** Restart from `seed`. */
  seed(seed: number): void {
    // splitmix32 spreads the seed over the four state words.
    let x = seed >>> 0
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.s0 = next()
    this.s1 = next()
    this.s2 = next()
    this.s3 = next()
  }

  private nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform in [0, 1), 53 random bits. */
  random(): number {
    return (this.nextUint32() * 2 ** 21 + (this.nextUint32() >>> 11)) / 2 ** 53
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0
    while (u === 0) u = this.random()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random())
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/** The generator behind rand, randn and parameter init. */
const global = new Generator(Date.now())

/** Reset the global generator, like torch.manual_seed. */
export function manualSeed(seed: number): void {
  global.seed(seed)
}

/** Uniform in [0, 1) from the global generator. */
export function random(): number {
  return global.random()
}

/** Standard normal from the global generator. */
export function randomNormal(): number {
  return global.normal()
}
