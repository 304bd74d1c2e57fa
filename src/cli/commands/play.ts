import { jsonText } from '../../core/safe-text.js';
import { intFlag, parse } from '../args.js';
import { EXIT, EXIT_TABLE } from '../exit-codes.js';

export const PLAY_HELP = `Usage: tradesim play <exercise> --as <seat>[,<seat>...] [options]
       tradesim play --resume <session.json> [options]

Play a classroom exercise: you negotiate for one seat (a country, or "exporter"); every other agent is
computer-driven by the same engine. With several seats (--as ARE,SAU) students take turns at one
terminal (hot-seat), with a hand-over screen between them.

Options:
  --as SEATS       seat(s) to play, comma-separated: country ids or "exporter" (see the exercise's roles)
  --name NAMES     the students' names, comma-separated in the order of --as (default: the seat ids)
  --level L        difficulty level (default: the exercise's)
  --seed N         seed (default: the exercise's); the same seed gives every student the same situation
  --save FILE      session file, saved after every move (default: <exercise>-<seats>.session.json)
  --resume FILE    continue a saved session (exercise, seats, level and seed come from the file)
  --moves FILE     play scripted moves from a YAML/JSON list instead of the keyboard (no terminal needed)
  --json           with --moves: print the finished session file as JSON on stdout
  -h, --help       show this help

Keys: a accept, c counter-offer (up/down choose an issue, left/right step its value, digits + Enter type
one, Enter send, Esc back), r reject by repeating your last offer, w walk away, b briefing, q save and quit.

At the end the session file holds the result; <name>.debrief.md and <name>.debrief.html are written next
to it. Collect the session files and run "tradesim debrief *.session.json" for the class debrief.

Examples:
  tradesim play scenarios/exercises/gulf-compute-deal.yaml --as ARE
  tradesim play scenarios/exercises/gulf-compute-deal.yaml --as ARE,SAU --name Ann,Bo
  tradesim play --resume gulf-compute-deal-ARE.session.json

Without a terminal (or with CI=true) play needs --moves; otherwise it exits with code 2.

${EXIT_TABLE}
`;

export async function play(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      as: { type: 'string' },
      name: { type: 'string' },
      level: { type: 'string' },
      seed: { type: 'string' },
      save: { type: 'string' },
      resume: { type: 'string' },
      moves: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  );
  if (values.help) {
    process.stdout.write(PLAY_HELP);
    return EXIT.ok;
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const [{ InputError }, { loadExercise }, session, files, { parseMoves, toMove }, { OUTSIDE_HINT, confinementFor, isInsideRoots, readInputText }, { SOURCE_LIMITS }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../classroom/exercise.js'),
    import('../../classroom/session.js'),
    import('../../classroom/files.js'),
    import('../../classroom/moves.js'),
    import('../../core/files.js'),
    import('../../core/scenario/source.js'),
  ]);
  const { finishSession, saveSession } = await import('../../classroom/finish.js');
  const resumeFile = str(values.resume);
  const saved = resumeFile !== undefined ? await files.readSession(resumeFile) : undefined;
  const exFile = positionals[0] ?? saved?.exercise.file;
  // The exercise a session file names is read only from the folders files may name (a session is untrusted).
  if (positionals[0] === undefined && saved !== undefined && resumeFile !== undefined && !isInsideRoots(saved.exercise.file, confinementFor(resumeFile))) {
    throw new InputError({
      file: resumeFile,
      path: 'exercise.file',
      message: `the session names an exercise outside the folders a session may read (${JSON.stringify(saved.exercise.file)})`,
      expected: `${OUTSIDE_HINT}; or name the exercise: tradesim play <exercise> --resume ${resumeFile}`,
    });
  }
  if (exFile === undefined) throw new InputError({ path: '<exercise>', message: 'missing exercise file', expected: 'a path such as scenarios/exercises/gulf-compute-deal.yaml, or --resume FILE' });
  if (saved && (values.as !== undefined || values.level !== undefined || values.seed !== undefined)) {
    throw new InputError({ path: values.as !== undefined ? '--as' : values.level !== undefined ? '--level' : '--seed', message: 'a resumed session keeps its seats, level and seed', expected: 'only --resume (and --save, --moves)' });
  }
  const seed = intFlag(values.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  const level = str(values.level) ?? saved?.exercise.level;
  const ex = await loadExercise(exFile, { ...(level !== undefined ? { level } : {}), ...((seed ?? saved?.seed) !== undefined ? { seed: (seed ?? saved?.seed) as number } : {}) });
  if (saved && saved.exercise.hash !== ex.hash) {
    throw new InputError({ file: resumeFile ?? exFile, path: 'exercise.hash', message: `the exercise ${exFile} (or its scenario) has changed since this session was saved`, expected: saved.exercise.hash.slice(0, 12), found: ex.hash.slice(0, 12) });
  }
  let seats: string[];
  if (saved) seats = [...saved.seats];
  else {
    const as = str(values.as);
    if (as === undefined) {
      throw new InputError({ path: '--as', message: 'say which seat to play', expected: `one or more of ${Object.keys(ex.exercise.roles).join(', ')} (comma-separated)` });
    }
    seats = session.resolveSeats(ex, as);
  }
  const names = (str(values.name) ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  if (names.length > seats.length) throw new InputError({ path: '--name', message: 'more names than seats', expected: `at most ${seats.length}`, found: String(names.length) });
  const players: Record<string, string> = saved ? { ...saved.players } : Object.fromEntries(seats.map((s, i) => [s, names[i] ?? s]));
  const savePath = str(values.save) ?? resumeFile ?? `${ex.exercise.id}-${seats.join('-')}.session.json`;
  let current = { ex, seats, players, moves: [...(saved?.moves ?? [])] };
  const advanceAt = (s: typeof current): ReturnType<typeof session.advance> => {
    try {
      return session.advance(s);
    } catch (e) {
      // A move that no longer fits came from the session file.
      if (e instanceof InputError && resumeFile !== undefined) throw new InputError(e.problems.map((p) => ({ ...p, file: p.file ?? resumeFile })));
      throw e;
    }
  };
  let state = advanceAt(current);

  const movesFile = str(values.moves);
  if (movesFile !== undefined) {
    const text = await readInputText(movesFile, { what: 'moves file', maxBytes: SOURCE_LIMITS.maxBytes });
    const script = parseMoves(text, movesFile);
    for (const m of script.moves) {
      if (state.status === 'finished') throw new InputError({ file: movesFile, ...(m.line !== undefined ? { line: m.line } : {}), path: `[${m.index}]`, message: `the exercise is over; ${script.moves.length - m.index} move(s) left unused` });
      current = { ...current, moves: [...current.moves, toMove(script, m, state.turn)] };
      state = advanceAt(current);
    }
    if (state.status === 'awaiting') {
      await saveSession(savePath, session.sessionFile(current, false));
      const t = state.turn;
      throw new InputError({ file: movesFile, message: `the moves ran out: ${t.seat} is to move at ${t.context.label}, offer ${t.step + 1} of ${t.deadline}; the session so far is saved in ${savePath} (resume with --resume)` });
    }
    const out = await finishSession(current, state, savePath);
    if (values.json === true) process.stdout.write(jsonText(out.file));
    else process.stdout.write(out.markdown);
    process.stderr.write(`session: ${savePath}\ndebrief: ${out.md}, ${out.html}\n`);
    return EXIT.ok;
  }

  if (!process.stdin.isTTY || !process.stdout.isTTY || process.env.CI === 'true') {
    process.stderr.write(
      'tradesim play: this is an interactive exercise and needs a terminal (stdin and stdout are not a TTY, or CI=true).\n' +
        'Run it in a terminal, or give scripted moves with --moves FILE (see tradesim play --help).\n',
    );
    return EXIT.input;
  }
  const { launchPlay } = await import('../../classroom/ui/launch.js');
  const outcome = await launchPlay({
    ex,
    seats,
    players,
    initial: state,
    play: async (move) => {
      current = { ...current, moves: [...current.moves, move] };
      const next = advanceAt(current);
      if (next.status === 'awaiting') await saveSession(savePath, session.sessionFile(current, false));
      return next;
    },
    finish: async (done) => {
      const out = await finishSession(current, done, savePath);
      return [...out.summary, '', `Session (result) file: ${savePath}`, `Debrief: ${out.md}`, `         ${out.html}`];
    },
  });
  if (outcome === 'finished') {
    process.stdout.write(`Session file: ${savePath}\n`);
    return EXIT.ok;
  }
  if (current.moves.length > 0 || saved) {
    await saveSession(savePath, session.sessionFile(current, false));
    process.stdout.write(`Saved. Resume with: tradesim play --resume ${savePath}\n`);
  }
  return outcome === 'interrupted' ? EXIT.interrupted : EXIT.ok;
}
