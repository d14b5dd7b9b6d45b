import type { Case } from './measure.js'

/** One comparison: cases measured together (interleaved), e.g. GEMM n = 512 A·B. */
export interface Group {
  key: string
  params: Record<string, string | number>
  cases: () => Promise<Case[]>
}

/** A benchmark suite: its groups, fewer and smaller in quick mode. */
export interface Suite {
  name: string
  title: string
  groups(quick: boolean): Promise<Group[]>
}
