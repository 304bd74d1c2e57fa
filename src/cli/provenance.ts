/** The provenance an artifact records: the exact command (quoted), the folder it ran in, and the what-if choices. */
import type { Provenance } from '../core/events.js';
import { shellCommand } from '../report/shell.js';
import { strings } from './args.js';

export function provenance(command: string, argv: readonly string[], opts: { sets?: unknown; rounds?: number | undefined; regime?: string | undefined }): Provenance {
  return {
    command: shellCommand(['tradesim', command, ...argv]),
    cwd: process.cwd(),
    overrides: strings(opts.sets),
    rounds: opts.rounds ?? null,
    regime: opts.regime ?? null,
  };
}
