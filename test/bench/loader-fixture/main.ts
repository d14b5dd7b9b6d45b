/** Prints what test/bench/loader.test.ts compares between tsx and bench/lib/loader.mjs. */
import { arrow, Fields, meta, outer, runsFrom } from './shapes.js'

console.log(
  JSON.stringify({
    nameCalls: [outer, Fields].map(String).join('\n').split('__name').length - 1,
    names: [outer.name, outer().name, arrow.name, Fields.name],
    // [[Define]] class fields (the tsconfig's target ES2022): a field without initialiser is an own property.
    declaredIsOwn: Object.hasOwn(new Fields(), 'declared'),
    shapesRunsFrom: runsFrom(),
    meta: { main: { url: import.meta.url, filename: import.meta.filename, isMain: import.meta.filename === process.argv[1] }, shapes: meta },
  }),
)
