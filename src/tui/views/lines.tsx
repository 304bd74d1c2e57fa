/**
 * Every view builds its screen as lines of styled segments (segments.ts) and this component prints them, one
 * <Text> per line, truncated and never wrapped. So a view's height is exactly its number of lines, which is
 * what keeps the frame stable on resize and makes "step forward, then back" give back the same screen.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { cutLine, type Line, type Tone } from './segments.js';

export { beside, cutLine, lineText, padLine, seg, type Line, type Seg, type Tone } from './segments.js';

/** SGR colour codes by meaning; none at all without colour (NO_COLOR, not a terminal). */
const SGR: Readonly<Record<Tone, string>> = { good: '32', bad: '31', warn: '33', info: '34', accent: '36', muted: '90', plain: '' };

/**
 * One line as a string with its own SGR codes. A whole line is one <Text>: a frame of 48 lines is then 48
 * Ink nodes rather than hundreds of nested ones, which is what keeps a frame to a few milliseconds.
 */
export function ansiLine(line: Line, colour: boolean): string {
  if (!colour) return line.map((s) => s.text).join('');
  return line
    .map((s) => {
      const codes = [SGR[s.tone ?? 'plain'], s.bold ? '1' : '', s.inverse ? '7' : ''].filter(Boolean);
      return codes.length ? `\x1b[${codes.join(';')}m${s.text}\x1b[0m` : s.text;
    })
    .join('');
}

const Row = memo(function Row({ text }: { text: string }) {
  return <Text wrap="truncate-end">{text}</Text>;
});

/** Exactly `height` lines of `width` columns: shorter content is padded with blank lines, longer is cut. */
export function Lines({ lines, width, height, colour }: { lines: readonly Line[]; width: number; height: number; colour: boolean }) {
  const shown = lines.slice(0, height);
  while (shown.length < height) shown.push([]);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((l, i) => (
        <Row key={i} text={ansiLine(cutLine(l, width), colour)} />
      ))}
    </Box>
  );
}
