/** Print `usage` and exit 0 when the command line has --help or -h. */
export function answerHelp(usage: string): void
