/**
 * Quote one argument for a POSIX shell, so a printed command can be pasted back as it was run: in bash, and in
 * zsh, where unquoted brackets are a glob (`countries[ARE].x=1` fails with "no matches found") and a leading
 * `=` expands to a command's path. Only plain words are left bare.
 */
export function shellArg(a: string): string {
  return /^[\w@%+:,./-][\w@%+=:,./-]*$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(args: readonly string[]): string {
  return args.map(shellArg).join(' ');
}
