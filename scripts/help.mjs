// Every script answers --help (or -h) with its usage and exits before doing anything else:
// `npx tsx bench/run.ts --help` must not start a 12-minute run that overwrites bench/results/.
export function answerHelp(usage) {
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
    console.log(usage.trim())
    process.exit(0)
  }
}
