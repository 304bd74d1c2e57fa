/** Quote one argument for a POSIX shell, so a printed command can be pasted back as it was run. */
export function shellArg(a: string): string {
  return /^[\w@%+=:,./[\]-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(args: readonly string[]): string {
  return args.map(shellArg).join(' ');
}
