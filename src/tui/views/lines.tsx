/**
 * Every view builds its screen as lines of styled segments (segments.ts) and this component prints them, one
 * <Text> per line, truncated and never wrapped. So a view's height is exactly its number of lines, which is
 * what keeps the frame stable on resize and makes "step forward, then back" give back the same screen.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { padLine, type Line, type Tone } from './segments.js';

export { beside, lineText, padLine, seg, type Line, type Seg, type Tone } from './segments.js';

const COLOURS: Readonly<Record<Tone, string | undefined>> = {
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  info: 'blue',
  accent: 'cyan',
  muted: 'gray',
  plain: undefined,
};

const Row = memo(function Row({ line, colour }: { line: Line; colour: boolean }) {
  return (
    <Text wrap="truncate-end">
      {line.map((s, i) => {
        const c = colour ? COLOURS[s.tone ?? 'plain'] : undefined;
        return (
          <Text key={i} {...(c ? { color: c } : {})} bold={s.bold === true} inverse={s.inverse === true}>
            {s.text}
          </Text>
        );
      })}
    </Text>
  );
}, sameLine);

function sameLine(a: { line: Line; colour: boolean }, b: { line: Line; colour: boolean }): boolean {
  if (a.colour !== b.colour || a.line.length !== b.line.length) return false;
  return a.line.every((s, i) => {
    const t = b.line[i];
    return t !== undefined && s.text === t.text && s.tone === t.tone && s.bold === t.bold && s.inverse === t.inverse;
  });
}

/** Exactly `height` lines of `width` columns: shorter content is padded with blank lines, longer is cut. */
export function Lines({ lines, width, height, colour }: { lines: readonly Line[]; width: number; height: number; colour: boolean }) {
  const shown = lines.slice(0, height);
  while (shown.length < height) shown.push([]);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((l, i) => (
        <Row key={i} line={padLine(l, width)} colour={colour} />
      ))}
    </Box>
  );
}
