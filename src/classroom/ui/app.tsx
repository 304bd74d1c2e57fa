/**
 * The play screens (Ink). They show what the session library returns and send the student's moves back to
 * it; no simulation logic here. Private text (a seat's briefing, its values) is on screen only while that
 * seat is to move; in hot-seat play a hand-over screen comes first.
 */
import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { discounted } from '../../negotiation/mechanism.js';
import type { Issue, OfferRecord } from '../../negotiation/types.js';
import { amount, usd } from '../format.js';
import { valueToSeat, type Move, type Turn } from '../human.js';
import type { SessionState, Transcript } from '../session.js';
import { INITIAL, myLastOffer, onFinished, onTurn, reduceKeys, type UiState } from './model.js';

export interface SeatText {
  readonly name: string;
  readonly player: string;
  readonly title?: string | undefined;
  readonly briefing: string;
  readonly objectives: readonly string[];
}

export interface PlayProps {
  readonly title: string;
  readonly situation: string;
  readonly seat: (id: string) => SeatText;
  /** Display name of any party (the counterpart), e.g. "United States (USA)". */
  readonly nameOf: (id: string) => string;
  readonly hotSeat: boolean;
  readonly colour: boolean;
  readonly initial: SessionState;
  /** Record a move (saved at once) and return the next state. */
  readonly play: (move: Move) => Promise<SessionState>;
  /** At the end: write the debrief files; returns the lines for the end screen. */
  readonly finish: (state: Extract<SessionState, { status: 'finished' }>) => Promise<readonly string[]>;
  readonly onExit: (how: 'finished' | 'quit') => void;
}


function initialUi(state: SessionState, hotSeat: boolean): UiState {
  return state.status === 'awaiting' ? onTurn(INITIAL, state.turn, hotSeat) : onFinished(INITIAL);
}

export function PlayApp(props: PlayProps): ReactElement {
  const { exit } = useApp();
  const [state, setStateRaw] = useState<SessionState>(props.initial);
  const [ui, setUiRaw] = useState<UiState>(() => initialUi(props.initial, props.hotSeat));
  const [busy, setBusyRaw] = useState(false);
  // Keys can arrive several to a chunk (fast typing, a paste, tmux send-keys): each must see the state the
  // previous one left, not the state of the last render, so the handler reads these refs.
  const live = useRef({ state: props.initial, ui, busy: false });
  const setState = (s: SessionState): void => {
    live.current.state = s;
    setStateRaw(s);
  };
  const setUi = (f: UiState | ((u: UiState) => UiState)): void => {
    live.current.ui = typeof f === 'function' ? f(live.current.ui) : f;
    setUiRaw(live.current.ui);
  };
  const setBusy = (b: boolean): void => {
    live.current.busy = b;
    setBusyRaw(b);
  };
  const [endLines, setEndLines] = useState<readonly string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const c = (colour: string): { color?: string } => (props.colour ? { color: colour } : {});
  const turn = state.status === 'awaiting' ? state.turn : null;

  const finishWith = (s: Extract<SessionState, { status: 'finished' }>): void => {
    setUi((u) => onFinished(u));
    props.finish(s).then(setEndLines, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(() => {
    // A session that was already finished when resumed goes straight to the end screen.
    if (props.initial.status === 'finished') finishWith(props.initial);
    // Once, on mount: props.initial never changes.
  }, []);

  useInput((input, key) => {
    const { ui, busy, state } = live.current;
    if (busy && ui.screen !== 'done') return;
    const turn = state.status === 'awaiting' ? state.turn : null;
    const { state: next, effect } = reduceKeys(
      ui,
      { input, up: key.upArrow, down: key.downArrow, left: key.leftArrow, right: key.rightArrow, enter: key.return, escape: key.escape, backspace: key.backspace || key.delete },
      turn,
    );
    setUi(next);
    if (effect?.kind === 'quit') {
      props.onExit(state.status === 'finished' ? 'finished' : 'quit');
      exit();
    } else if (effect?.kind === 'move') {
      setBusy(true);
      props.play(effect.move).then(
        (s) => {
          setState(s);
          setBusy(false);
          if (s.status === 'awaiting') setUi((u) => onTurn(u, s.turn, props.hotSeat));
          else finishWith(s);
        },
        (e: unknown) => {
          setBusy(false);
          setError(e instanceof Error ? e.message : String(e));
        },
      );
    }
  });

  const seat = ui.seat !== null ? props.seat(ui.seat) : null;
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>{props.title}</Text>
      {error !== null ? <Text {...c('red')}>Error: {error}</Text> : null}
      {ui.screen === 'handover' && seat ? <Handover seat={seat} /> : null}
      {ui.screen === 'briefing' && seat ? <Briefing situation={props.situation} seat={seat} /> : null}
      {(ui.screen === 'turn' || ui.screen === 'confirm-walk' || ui.screen === 'confirm-accept') && turn && seat ? (
        <TurnView turn={turn} seat={seat} counterpart={props.nameOf(turn.counterpart)} transcripts={state.transcripts} colour={props.colour} confirm={ui.screen === 'confirm-walk' ? 'walk' : ui.screen === 'confirm-accept' ? 'accept' : null} />
      ) : null}
      {ui.screen === 'counter' && turn && seat ? <CounterForm turn={turn} seat={seat} counterpart={props.nameOf(turn.counterpart)} ui={ui} colour={props.colour} /> : null}
      {ui.screen === 'done' ? <Done lines={endLines} /> : null}
      {ui.message !== null ? (
        <Box marginTop={1} borderStyle="single" paddingX={1}>
          <Text {...c('yellow')}>{ui.message}</Text>
        </Box>
      ) : null}
      {busy && ui.screen !== 'done' ? <Text dimColor>The other side is thinking...</Text> : null}
    </Box>
  );
}

function Handover({ seat }: { seat: SeatText }): ReactElement {
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="double" paddingX={2} paddingY={1}>
      <Text bold>Hand-over</Text>
      <Text>
        Next to play: {seat.player} as {seat.name}.
      </Text>
      <Text>The previous player&apos;s briefing and values are hidden. Pass the keyboard on.</Text>
      <Text>{seat.player}: press Enter when you are ready (others, please look away).</Text>
    </Box>
  );
}

function Briefing({ situation, seat }: { situation: string; seat: SeatText }): ReactElement {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>The situation (public)</Text>
      <Text>{situation}</Text>
      <Box marginTop={1} flexDirection="column">
        <Text bold>
          Your role: {seat.title ?? seat.name} ({seat.player}) - private, do not show others
        </Text>
        <Text>{seat.briefing}</Text>
        {seat.objectives.map((o, i) => (
          <Text key={i}>- {o}</Text>
        ))}
      </Box>
      <Text dimColor>Press Enter to go to the negotiating table.</Text>
    </Box>
  );
}

/** What follows from an offer in a chip deal: the chips the package buys. */
function derivedText(turn: Turn, outcome: readonly number[]): string {
  const d = turn.derived?.(outcome);
  if (!d || d.chips === undefined) return '';
  return `This package buys ${amount(Math.round(d.chips))} chips a quarter (the more it is worth to the exporter, the more chips, up to what you need).`;
}

function outcomeText(issues: readonly Issue[], outcome: readonly number[]): string {
  return issues.map((iss, i) => `${iss.name} ${amount(outcome[i] ?? 0)}`).join(', ');
}

function lastEnded(turn: Turn, transcripts: readonly Transcript[]): Transcript | undefined {
  const done = transcripts.filter((t) => t.seat === turn.seat && t.end !== null && t.context !== turn.context);
  return done[done.length - 1];
}

function endedText(t: Transcript, issues: readonly Issue[]): string {
  const who = (p: number): string => (p === t.self ? 'you' : 'they');
  const last = t.offers[t.offers.length - 1];
  if (t.end?.reason === 'agreement' && last) return `Deal: ${who(t.end.by)} accepted ${who(last.by) === 'you' ? 'your' : 'their'} offer (${outcomeText(issues, last.outcome)}).`;
  if (t.end?.reason === 'walkaway') return `No deal: ${who(t.end.by)} walked away.`;
  return 'No deal: the deadline passed.';
}

function TurnView({ turn, seat, counterpart, transcripts, colour, confirm }: { turn: Turn; seat: SeatText; counterpart: string; transcripts: readonly Transcript[]; colour: boolean; confirm: 'walk' | 'accept' | null }): ReactElement {
  const c = (x: string): { color?: string } => (colour ? { color: x } : {});
  const offer: OfferRecord | undefined = turn.lastOffer;
  const prev = lastEnded(turn, transcripts);
  const finalOffer = turn.step >= turn.deadline;
  const reservation = turn.own.reservation * turn.scale;
  const mine = myLastOffer(turn);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        {seat.name} ({seat.player}) vs {counterpart} - {turn.context.label} (round {turn.context.round}) - offer {turn.step + 1} of {turn.deadline}
        {finalOffer ? ' - DEADLINE: last chance to accept' : ''}
      </Text>
      {prev ? <Text dimColor>Previous negotiation ({prev.context.label}): {endedText(prev, turn.issues)}</Text> : null}
      <Box marginTop={1} flexDirection="column">
        {offer ? (
          <>
            <Text bold>Offer on the table from {counterpart}:</Text>
            {turn.issues.map((iss, i) => (
              <Text key={iss.name}>
                {'  '}
                {iss.name.padEnd(11)} {amount(offer.outcome[i] ?? 0).padStart(10)} {iss.unit}
              </Text>
            ))}
            {derivedText(turn, offer.outcome) ? <Text>{'  '}{derivedText(turn, offer.outcome)}</Text> : null}
            <Text>
              Value to you if you accept now: <Text {...c(discounted(turn.own, offer.utilities[turn.self], offer.step) * turn.scale >= reservation ? 'green' : 'red')}>{usd(discounted(turn.own, offer.utilities[turn.self], offer.step) * turn.scale)}</Text> (undiscounted {usd(offer.utilities[turn.self] * turn.scale)})
              {turn.opponent && turn.opponentScale !== undefined ? `; to them ${usd(offer.utilities[(1 - turn.self) as 0 | 1] * turn.opponentScale)}` : ''}
            </Text>
          </>
        ) : (
          <Text bold>No offer on the table yet: you open.</Text>
        )}
        <Text>
          Your walk-away value (no deal): {usd(reservation)}. {turn.opponent ? 'You know their preferences (complete information).' : 'Their preferences are private.'}
        </Text>
      </Box>
      {turn.history.length > 0 ? (
        <Box marginTop={1} flexDirection="column">
          <Text bold>Offers so far (value to you, undiscounted):</Text>
          {turn.history.slice(-6).map((o) => (
            <Text key={o.step}>
              {'  '}
              {String(o.step + 1).padStart(2)}. {o.by === turn.self ? 'you ' : 'them'} {usd(o.utilities[turn.self] * turn.scale).padStart(10)} {outcomeText(turn.issues, o.outcome)}
            </Text>
          ))}
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        {confirm === 'walk' ? (
          <Text bold>Walk away and end this negotiation with no deal (worth {usd(reservation)} to you)? y = yes, n = no</Text>
        ) : confirm === 'accept' && offer ? (
          <Text bold>
            Accept {outcomeText(turn.issues, offer.outcome)} and end this negotiation (worth {usd(discounted(turn.own, offer.utilities[turn.self], offer.step) * turn.scale)} to you)? y = yes, n = no
          </Text>
        ) : (
          <Text>
            {offer ? '[a] accept  ' : ''}
            {finalOffer ? '' : '[c] counter-offer  '}
            {mine && !finalOffer ? '[r] reject, repeat my last offer  ' : ''}[w] walk away  [b] briefing  [q] save and quit
          </Text>
        )}
      </Box>
    </Box>
  );
}

function CounterForm({ turn, seat, counterpart, ui, colour }: { turn: Turn; seat: SeatText; counterpart: string; ui: UiState; colour: boolean }): ReactElement {
  const c = (x: string): { color?: string } => (colour ? { color: x } : {});
  const v = valueToSeat(turn, ui.draft, turn.step);
  const reservation = turn.own.reservation * turn.scale;
  const theirs = turn.opponent && turn.opponentScale !== undefined ? turn.opponent.utility(ui.draft) * turn.opponentScale : null;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        {seat.name}: counter-offer to {counterpart} - {turn.context.label} - offer {turn.step + 1} of {turn.deadline}
      </Text>
      <Box marginTop={1} flexDirection="column">
        {turn.issues.map((iss, i) => {
          const sel = i === ui.selected;
          const value = sel && ui.typed !== null ? `${ui.typed}_` : amount(ui.draft[i] ?? iss.min);
          const bound = turn.upperBounds[i] ?? iss.max;
          return (
            <Text key={iss.name} {...(sel ? c('cyan') : {})} bold={sel}>
              {sel ? '>' : ' '} {iss.name.padEnd(11)} {'<'} {value.padStart(10)} {'>'} {iss.unit} (range {amount(iss.min)}-{amount(iss.max)}
              {bound < iss.max ? `, at most ${amount(bound)} this round` : ''})
            </Text>
          );
        })}
      </Box>
      {derivedText(turn, ui.draft) ? <Text>{derivedText(turn, ui.draft)}</Text> : null}
      <Text>
        Value to you if accepted now: <Text {...c(v.presentUsd >= reservation ? 'green' : 'red')}>{usd(v.presentUsd)}</Text> (undiscounted {usd(v.usd)}; walk-away {usd(reservation)})
        {theirs !== null ? `; to them ${usd(theirs)}` : ''}
      </Text>
      <Text dimColor>Up/down: choose an issue. Left/right: step its value. Or type a number and press Enter to set it.</Text>
      <Text dimColor>Enter: send the counter-offer. Esc: back without sending.</Text>
    </Box>
  );
}

function Done({ lines }: { lines: readonly string[] | null }): ReactElement {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>The exercise is over.</Text>
      {lines === null ? <Text>Writing the debrief...</Text> : lines.map((l, i) => <Text key={i}>{l}</Text>)}
      <Text dimColor>Press Enter or q to leave.</Text>
    </Box>
  );
}
