import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { roundingAsZero } from './explain/rounding.js'
import { COMMANDS, main, type CliIo } from '../src/cli.js'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Run `yann ...args` in-process, with files from `files` instead of the disk. */
async function yann(args: string[], files: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (path) => {
      if (!(path in files)) throw new Error(`ENOENT: no such file or directory, open '${path}'`)
      return files[path]
    },
  }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

/** A usage error: exit 2, the message and the usage on stderr, no stack trace. */
function expectUsageError(r: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.code).toBe(2)
  expect(r.stdout).toBe('')
  expect(r.stderr).toMatch(message)
  expect(r.stderr).toContain('Usage: yann')
  expect(r.stderr).not.toMatch(/\n\s+at /)
}

describe('yann --help', () => {
  it('lists every command', async () => {
    const r = await yann(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Usage: yann <command> [options]')
    for (const name of Object.keys(COMMANDS)) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'))
    expect((await yann(['-h'])).stdout).toBe(r.stdout)
    expect((await yann(['help'])).stdout).toBe(r.stdout)
  })

  it('without a command prints the usage and fails', async () => {
    const r = await yann([])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Usage: yann <command> [options]')
  })

  it('refuses an unknown command', async () => {
    const r = await yann(['train'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^yann: unknown command 'train'/)
    expectUsageError(await yann(['toString']), /unknown command 'toString'/)
  })

  it('has a command table with explain and seed (one line adds a command)', () => {
    expect(Object.keys(COMMANDS)).toEqual(['explain', 'train-mnist', 'train-cnn', 'train-gpt', 'export', 'seed'])
    for (const c of Object.values(COMMANDS)) {
      expect(typeof c.run).toBe('function')
      expect(c.usage).toMatch(/^Usage: yann /)
    }
  })
})

describe('yann train-gpt', () => {
  it('rejects a bad option with its usage (the training itself: test/models/gpt-char.test.ts)', async () => {
    const r = await yann(['train-gpt', '--iters', '0'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^yann train-gpt: --iters must be a positive number, got 0\n\nUsage: yann train-gpt/)
    expect((await yann(['train-gpt', '--lr', '1'])).stderr).toMatch(/unknown option or value: --lr 1/)
  })
})

describe('yann explain', () => {
  it("prints the seed walk-through (the snapshot checked against the seed's numbers)", async () => {
    const r = await yann(['explain'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(roundingAsZero(r.stdout)).toBe(readFileSync(`${root}test/explain/__snapshots__/seed-walkthrough.txt`, 'utf8'))
  })

  it('--format markdown, --lr, --decimals, --dtype', async () => {
    const md = await yann(['explain', '--format', 'markdown'])
    expect(roundingAsZero(md.stdout)).toBe(readFileSync(`${root}test/explain/__snapshots__/seed-walkthrough.md`, 'utf8'))
    const r = await yann(['explain', '--lr=0.1', '--decimals', '6', '--dtype', 'float64'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('3.3 SGD Update (lr 0.1)')
    expect(r.stdout).toContain('float64')
    // b₂ − 0.1·grad b₂ with grad b₂ = [-0.113511, 0.386489]
    expect(r.stdout).toContain('Layer 2 Bias: b₂ − 0.1·∂E/∂b₂ = [ 0.011351, -0.038649]')
  })

  it('--weights: a state dict, with layers, input, target and loss', async () => {
    const net = JSON.stringify({
      layers: ['Linear', 'Tanh', 'Linear'],
      '0.weight': [
        [0.5, -0.2],
        [0.1, 0.3],
        [-0.4, 0.2],
      ],
      '0.bias': [0.1, 0, -0.1],
      '2.weight': [[1, -1, 0.5]],
    })
    const r = await yann(['explain', '--weights', 'net.json', '--input', '1,2', '--target', '0.5', '--loss', 'mse'], { 'net.json': net })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Model: Sequential(Linear(2 → 3), Tanh, Linear(3 → 1, no bias)), float32, one sample.')
    expect(r.stdout).toContain('3.2.1 Hidden Layer 2 Weight Gradient')
    expect(r.stdout).toContain('J_z₁(tanh₁) (at z₁, 3×3)')
    expect(r.stdout).toContain("This matches autograd's 2.weight.grad")
  })

  it('--weights with the seed layout and sizes uses the seed input and target', async () => {
    const net = JSON.stringify({ '0.weight': [[0.1, 0.5, 0.3], [0.7, 0.2, 0.9], [0.4, 0.25, 0.75]], '2.weight': [[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]] })
    const r = await yann(['explain', '--weights', 'w.json'], { 'w.json': net })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('[[-0.0652, -0.0849, -0.0737],')
  })

  it('bad arguments: the usage and exit 2, never a stack trace', async () => {
    expectUsageError(await yann(['explain', '--lr', 'abc']), /^yann explain: --lr must be a number, got 'abc'/)
    expectUsageError(await yann(['explain', '--lr']), /--lr needs a value/)
    expectUsageError(await yann(['explain', '--lr', '--format', 'text']), /--lr needs a value/)
    expectUsageError(await yann(['explain', '--format', 'html']), /--format must be text or markdown, got 'html'/)
    expectUsageError(await yann(['explain', '--loss', 'hinge']), /--loss must be bce or mse/)
    expectUsageError(await yann(['explain', '--decimals', '2.5']), /--decimals must be an integer from 1 to 12/)
    expectUsageError(await yann(['explain', '--dtype', 'int32']), /--dtype must be float32 or float64/)
    expectUsageError(await yann(['explain', '--verbose']), /unknown option '--verbose'/)
    expectUsageError(await yann(['explain', '-v']), /unknown option '-v'/)
    expectUsageError(await yann(['explain', 'seed.json']), /unexpected argument 'seed.json'/)
    expectUsageError(await yann(['explain', '--input', '1,,2']), /--input must be comma-separated numbers/)
    expectUsageError(await yann(['explain', '--input', '1,2']), /--input has 2 numbers but the network takes 3/)
    expectUsageError(await yann(['explain', '--target', '1,0,0']), /--target has 3 numbers but the network gives 2 outputs/)
    expectUsageError(await yann(['seed', '--fast']), /unknown option '--fast'/)
  })

  it('a bad --weights file: one line and exit 1, never a stack trace', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--weights', 'missing.json'], {}, /^yann explain: cannot read --weights missing.json: ENOENT/],
      [['--weights', 'bad.json'], { 'bad.json': '{"0.weight": [[1, 2]' }, /^yann explain: --weights bad.json is not valid JSON/],
      [['--weights', 'w.json'], { 'w.json': '{"0.weight": [[1, 2], [3]]}' }, /^yann explain: network JSON: "0.weight" is ragged/],
      [['--weights', 'w.json'], { 'w.json': '{"layers": ["Linear", "Dropout"], "0.weight": [[1]]}' }, /layer 1 is "Dropout"/],
    ]
    for (const [args, files, message] of cases) {
      const r = await yann(['explain', ...args], files)
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(message)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
    const wide = await yann(['explain', '--weights', 'w.json'], { 'w.json': '{"0.weight": [[1, 2, 3, 4]]}' })
    expectUsageError(wide, /the network takes 4 inputs; give them with --input/)
  })

  it('explain --help prints its options', async () => {
    const r = await yann(['explain', '--help'])
    expect(r.code).toBe(0)
    for (const option of ['--lr', '--weights', '--format text|markdown', '--input', '--target', '--loss', '--decimals', '--dtype']) {
      expect(r.stdout).toContain(option)
    }
  })
})

describe('yann seed', () => {
  it("runs the seed's §2, §4, §5.1 and §5.2 examples", async () => {
    const r = await yann(['seed'])
    expect(r.code).toBe(0)
    for (const title of ['=== §2 ', '=== §4 ', '=== §5.1 ', '=== §5.2 ']) expect(r.stdout).toContain(title)
    // §2, §4 (and §5.1 written correctly) print PyTorch's numbers
    expect(r.stdout.match(/grad W2 = \n tensor\(\[\[-0\.0652, -0\.0849, -0\.0737\],/g)!.length).toBeGreaterThanOrEqual(2)
    expect(r.stdout).toContain("{'batch': 0, 'size': 1, 'loss': 0.8878588}")
  }, 30_000)
})

describe('the yann program', () => {
  // Its runs as a process of its own: test/runtimes/cli-program.test.ts.
  it('--no-relaxed-simd is taken anywhere among the arguments, by any command', async () => {
    const r = await yann(['--no-relaxed-simd', '--version'])
    expect(r.code).toBe(0)
    expect((await yann(['explain', '--no-relaxed-simd', '--decimals', '2'])).code).toBe(0)
  })
})
