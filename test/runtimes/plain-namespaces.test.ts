import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { plainNamespaces } from '../../scripts/plain-namespaces.mjs'
import { ROOT } from './util.js'

/** scripts/plain-namespaces.mjs: esbuild's getter-per-member namespace objects become plain frozen objects filled at the file's end. */
describe('plain namespaces (npm run build)', () => {
  const helper = 'var h=(r,e)=>{for(var t in e)d(r,t,{get:e[t],enumerable:!0})};var d=Object.defineProperty;'

  it('moves a namespace filled by the __export helper to the end, as data properties of a frozen object', () => {
    const code = `${helper}var n={};h(n,{A:()=>a,B:()=>b,sub:()=>s});var s={};h(s,{C:()=>c});var a=1;var b=class{};var c=3;export{n as nn};`
    const { code: out, rewritten } = plainNamespaces(code)
    expect(rewritten).toBe(2)
    expect(out).toBe(
      `${helper}var n={};var s={};var a=1;var b=class{};var c=3;export{n as nn};\n` +
        'Object.freeze(Object.assign(n,{A:a,B:b,sub:s}));Object.freeze(Object.assign(s,{C:c}));\n',
    )
    const run = (src: string) => new Function(src.replace(/export\{n as nn\};/, '') + '; return n')() as Record<string, unknown>
    for (const ns of [run(code), run(out)]) {
      expect(Object.keys(ns)).toEqual(['A', 'B', 'sub'])
      expect([ns.A, typeof ns.B, (ns.sub as Record<string, unknown>).C]).toEqual([1, 'function', 3])
    }
    expect(Object.isFrozen(run(out))).toBe(true)
  })

  it('reads past top-level statements that are not calls (an assignment, as a bundled script has)', () => {
    const code = `${helper}var n={};h(n,{A:()=>a});var a=1,x;x=2;export{n};`
    expect(plainNamespaces(code)).toEqual({ code: `${helper}var n={};var a=1,x;x=2;export{n};\nObject.freeze(Object.assign(n,{A:a}));\n`, rewritten: 1 })
  })

  it('leaves a namespace alone where the file may read it before its end, or the helper is not esbuild’s', () => {
    for (const code of [
      `${helper}var n={};h(n,{A:()=>a});var a=1;var k=n.A;export{n};`, // read at top level
      `${helper}var n={};h(n,{A:()=>a});var a=1;function f(n){return n}export{n};`, // a same-named inner variable
      'var h=(r,e)=>{};var n={};h(n,{A:()=>a});var a=1;export{n};', // another function
      'import{q as h}from"./c.js";var n={};h(n,{A:()=>a});var a=1;export{n};', // imported, not known as the helper
    ]) {
      expect(plainNamespaces(code), code).toEqual({ code, rewritten: 0 })
    }
    const imported = 'import{q as h}from"./c.js";var n={};h(n,{A:()=>a});var a=1;export{n};'
    expect(plainNamespaces(imported, ['h']).rewritten).toBe(1)
  })

  it('ran on the built package: nn, F, optim and data hold their members as frozen data properties', async () => {
    const yann = (await import(pathToFileURL(join(ROOT, 'dist/index.node.js')).href)) as Record<string, Record<string, unknown>>
    for (const name of ['nn', 'F', 'optim', 'data']) {
      const ns = yann[name]!
      expect(Object.isFrozen(ns), name).toBe(true)
      expect(Object.values(Object.getOwnPropertyDescriptors(ns)).filter((d) => d.get), `${name}: getters`).toEqual([])
    }
    expect(yann.nn!.Linear).toBeTypeOf('function')
    expect((yann.optim!.lrScheduler as Record<string, unknown>).StepLR).toBeTypeOf('function')
  })
})
