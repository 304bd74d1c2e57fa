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
  --save FILE      session file, saved after every move (default: <exercise>-<seats>-<names>.session.json;
                   never over another file: -2, -3, ... is added when the name is taken)
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
  tradesim play --resume gulf-compute-deal-ARE-SAU-Ann-Bo.session.json

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
  const [{ InputError }, { loadExercise }, session, files, { parseMoves, toMove }, { OUTSIDE_HINT, readInputText }, { SOURCE_LIMITS }, { locateExercise }, claim, { askYesNo, diag }] = await Promise.all([
    import('../../core/errors.js'),
    import('../../classroom/exercise.js'),
    import('../../classroom/session.js'),
    import('../../classroom/files.js'),
    import('../../classroom/moves.js'),
    import('../../core/files.js'),
    import('../../core/scenario/source.js'),
    import('../../classroom/verify.js'),
    import('../../classroom/claim.js'),
    import('../io.js'),
  ]);
  const { finishSession, saveSession } = await import('../../classroom/finish.js');
  const resumeFile = str(values.resume);
  const saved = resumeFile !== undefined ? await files.readSession(resumeFile) : undefined;
  if (saved && (values.as !== undefined || values.level !== undefined || values.seed !== undefined)) {
    throw new InputError({ path: values.as !== undefined ? '--as' : values.level !== undefined ? '--level' : '--seed', message: 'a resumed session keeps its seats, level and seed', expected: 'only --resume (and --save, --moves)' });
  }
  const seed = intFlag(values.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  let ex: Awaited<ReturnType<typeof loadExercise>>;
  if (saved !== undefined && resumeFile !== undefined && positionals[0] === undefined) {
    // The exercise is the one whose hash the session records, wherever it is here (the path is a hint).
    const found = await locateExercise(resumeFile, saved.exercise, saved.seed);
    if ('why' in found) {
      const { outside } = found;
      throw new InputError({
        file: resumeFile,
        path: 'exercise.file',
        message: outside ? `the session names an exercise outside the folders a session may read (${JSON.stringify(saved.exercise.file)})` : `cannot resume: ${found.why}`,
        expected: `${outside ? `${OUTSIDE_HINT}; or ` : ''}the exercise it was played on (${saved.exercise.id}, hash ${saved.exercise.hash.slice(0, 12)}): name it, tradesim play <exercise> --resume ${resumeFile}`,
      });
    }
    ex = found.ex;
  } else {
    const exFile = positionals[0];
    if (exFile === undefined) throw new InputError({ path: '<exercise>', message: 'missing exercise file', expected: 'a path such as scenarios/exercises/gulf-compute-deal.yaml, or --resume FILE' });
    const level = str(values.level) ?? saved?.exercise.level;
    ex = await loadExercise(exFile, { ...(level !== undefined ? { level } : {}), ...((seed ?? saved?.seed) !== undefined ? { seed: (seed ?? saved?.seed) as number } : {}) });
    if (saved && saved.exercise.hash !== ex.hash) {
      throw new InputError({ file: resumeFile ?? exFile, path: 'exercise.hash', message: `the exercise ${exFile} (or its scenario) has changed since this session was saved`, expected: saved.exercise.hash.slice(0, 12), found: ex.hash.slice(0, 12) });
    }
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
  let current = { ex, seats, players, moves: [...(saved?.moves ?? [])] };
  const movesFile = str(values.moves);
  const terminal = process.stdin.isTTY && process.stdout.isTTY && process.env.CI !== 'true';
  if (movesFile === undefined && !terminal) {
    process.stderr.write(
      'tradesim play: this is an interactive exercise and needs a terminal (stdin and stdout are not a TTY, or CI=true).\n' +
        'Run it in a terminal, or give scripted moves with --moves FILE (see tradesim play --help).\n',
    );
    return EXIT.input;
  }
  // The session file: never a classmate's. A resumed session continues its own file; a new one takes a free
  // name (its own --save, or <exercise>-<seats>-<names>.session.json, -2, -3, ... when that is taken).
  const explicit = str(values.save);
  let savePath: string;
  let claimed = false;
  if (explicit !== undefined && explicit !== resumeFile) {
    const there = await claim.occupant(explicit);
    if (there !== null) {
      const what = claim.occupantText(there);
      const replaceable = there.kind === 'session' && !there.finished;
      // Only an unfinished session may be replaced, and only when the student at the terminal says so.
      const yes = replaceable && movesFile === undefined && terminal && (await askYesNo(`${explicit} holds ${what}. Replace it with a new session? [y/N] `));
      if (!yes) {
        throw new InputError({
          path: '--save',
          message: `${explicit} already holds ${what}; it is kept`,
          expected: there.kind === 'session' && !there.finished ? `tradesim play --resume ${explicit} to continue it, or another --save file (or none: a free name is chosen)` : 'another --save file (or none: a free name is chosen)',
        });
      }
    } else claimed = await claim.createExclusive(explicit, `${JSON.stringify(session.sessionFile(current, false, undefined, explicit), null, 2)}\n`, '--save');
    savePath = explicit;
  } else if (resumeFile !== undefined) savePath = resumeFile;
  else {
    const wanted = claim.defaultSessionName(ex.exercise.id, seats, players);
    const got = await claim.claimFree(wanted, `${JSON.stringify(session.sessionFile(current, false, undefined, wanted), null, 2)}\n`);
    for (const t of got.taken) diag(`tradesim: note: ${t.path} already holds ${claim.occupantText(t.occupant)}; this session is saved in ${got.path}`);
    savePath = got.path;
    claimed = true;
  }
  // A name taken for a session that never got a move is given back when the command ends without one.
  let saves = 0;
  const save = async (file: Parameters<typeof saveSession>[1]): Promise<void> => {
    await saveSession(savePath, file);
    saves++;
  };
  try {
    return await playOn();
  } finally {
    if (claimed && saves === 0 && current.moves.length === 0) await claim.release(savePath);
  }

  async function playOn(): Promise<number> {
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

    if (movesFile !== undefined) {
      const text = await readInputText(movesFile, { what: 'moves file', maxBytes: SOURCE_LIMITS.maxBytes });
      const script = parseMoves(text, movesFile);
      for (const m of script.moves) {
        if (state.status === 'finished') throw new InputError({ file: movesFile, ...(m.line !== undefined ? { line: m.line } : {}), path: `[${m.index}]`, message: `the exercise is over; ${script.moves.length - m.index} move(s) left unused` });
        current = { ...current, moves: [...current.moves, toMove(script, m, state.turn)] };
        state = advanceAt(current);
      }
      if (state.status === 'awaiting') {
        await save(session.sessionFile(current, false, undefined, savePath));
        const t = state.turn;
        throw new InputError({ file: movesFile, message: `the moves ran out: ${t.seat} is to move at ${t.context.label}, offer ${t.step + 1} of ${t.deadline}; the session so far is saved in ${savePath} (resume with --resume)` });
      }
      const out = await finishSession(current, state, savePath);
      saves++;
      if (values.json === true) process.stdout.write(jsonText(out.file));
      else process.stdout.write(out.markdown);
      process.stderr.write(`session: ${savePath}\ndebrief: ${out.md}, ${out.html}\n`);
      return EXIT.ok;
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
        if (next.status === 'awaiting') await save(session.sessionFile(current, false, undefined, savePath));
        return next;
      },
      finish: async (done) => {
        const out = await finishSession(current, done, savePath);
        saves++;
        return [...out.summary, '', `Session (result) file: ${savePath}`, `Debrief: ${out.md}`, `         ${out.html}`];
      },
    });
    if (outcome === 'finished') {
      process.stdout.write(`Session file: ${savePath}\n`);
      return EXIT.ok;
    }
    if (current.moves.length > 0 || saved) {
      await save(session.sessionFile(current, false, undefined, savePath));
      process.stdout.write(`Saved. Resume with: tradesim play --resume ${savePath}\n`);
    }
    return outcome === 'interrupted' ? EXIT.interrupted : EXIT.ok;
  }
}
