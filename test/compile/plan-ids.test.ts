import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { nn, optim, type Tensor } from '../../src/index.js'
import { kernelId, OP_COPY, OP_FILL_F32, OP_FILL_F64, OP_GEMM_UNARY_F32, OP_GEMM_UNARY_F64, PLAN_KERNELS } from '../../src/compile/plan-kernels.js'

/**
 * The interpreter's op ids are kept in step by hand between assembly/plan.ts (its switch) and
 * src/compile/plan-kernels.ts (PLAN_KERNELS' order): a drift would run the wrong kernel.
 */
describe('compile: the plan interpreter’s kernel ids', () => {
  test('each case of assembly/plan.ts calls the export PLAN_KERNELS gives its id', () => {
    const src = readFileSync(new URL('../../assembly/plan.ts', import.meta.url), 'utf8')
    const constant = (name: string): number => Number(new RegExp(`const ${name} = (\\d+)`).exec(src)![1])
    expect([constant('COPY'), constant('FILL_F32'), constant('FILL_F64'), constant('GEMM_UNARY_F32'), constant('GEMM_UNARY_F64')]).toEqual([
      OP_COPY, OP_FILL_F32, OP_FILL_F64, OP_GEMM_UNARY_F32, OP_GEMM_UNARY_F64,
    ])
    // `unary_f32(` (an export) or `gemm<f32>(` (plan.ts's own call of the gemm export), after `mark(s, r); ` for a kernel that allocates.
    const cases = [...src.matchAll(/case KERNEL_BASE \+ (\d+): (?:mark\(s, r\); )?(\w+)(?:_|<)(f32|f64)>?\(/g)]
    expect(cases.length).toBe(2 * PLAN_KERNELS.length)
    for (const [, offset, name, type] of cases) {
      expect(constant('KERNEL_BASE') + Number(offset), `${name}_${type}`).toBe(kernelId(name, type === 'f64'))
    }
  })

  // Runs most interpreter kernels (clamp, pow, abs, softmax, sum, mean, RMSprop) through a replay: bit-identical to eager.
  test.each(['float32', 'float64'] as const)('a step over many kernels replays bit-identically (%s)', (dtype) => {
    const run = (compiled: boolean): { out: number[]; path: string | null } => {
      yann.manualSeed(1)
      const lin = new nn.Linear(6, 5, { dtype })
      const opt = new optim.RMSprop(lin.parameters(), { lr: 0.01, momentum: 0.3, centered: true })
      const f = (x: Tensor, y: Tensor): Tensor => {
        opt.zeroGrad()
        const l = lin.forward(x).clamp(-0.5, 0.7).pow(3).sub(y).abs().softmax(1).sum(0).pow(2).mean()
        l.backward()
        opt.step()
        return l
      }
      const step = compiled ? yann.compile(f) : f
      yann.manualSeed(2)
      const x = yann.randn([7, 6], { dtype })
      const y = yann.randn([7, 5], { dtype })
      const out: number[] = []
      for (let i = 0; i < 8; i++) out.push(step(x, y).item())
      out.push(...Array.from(lin.weight.data))
      return { out, path: compiled ? (step as yann.CompiledFunction<[Tensor, Tensor], Tensor>).replayPath : null }
    }
    const compiled = run(true)
    expect(compiled.out).toEqual(run(false).out)
    expect(compiled.path).toBe(process.env.YANN_BACKEND === 'wasm' ? 'wasm' : 'js')
  })
})
