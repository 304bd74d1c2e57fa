/** The end of a session: debrief built from the run, files written atomically (session, Markdown, HTML). */
import { writeFileAtomic as writeAtomic } from '../core/files.js';
import type { SessionState, Session, SessionFile } from './session.js';
import { sessionFile } from './session.js';
import { buildDebrief, type Debrief } from './debrief.js';
import { debriefBase } from './files.js';
import { usd } from './format.js';
import { debriefHtml, debriefMarkdown } from './render.js';

export async function saveSession(path: string, file: SessionFile): Promise<void> {
  await writeAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** Short lines for the end screen: per seat, the student's value against the computer's, Nash and KS. */
export function summaryLines(d: Debrief): string[] {
  return d.seats.flatMap((s) => [
    `${s.name} (${s.player}): your negotiations were worth ${usd(s.student.totalUsd)} to you.`,
    `  The computer agent in your seat (${s.computer.strategy}, same seed): ${usd(s.computer.totalUsd)}.`,
    `  Undiscounted, your outcomes: ${usd(s.student.utilityUsd)}; at the Nash points of your negotiations: ${usd(s.nashUsd)}; at the Kalai-Smorodinsky points: ${usd(s.ksUsd)}.`,
  ]);
}

export async function finishSession(
  session: Session,
  state: Extract<SessionState, { status: 'finished' }>,
  savePath: string,
): Promise<{ file: SessionFile; debrief: Debrief; markdown: string; md: string; html: string; summary: string[] }> {
  const debrief = buildDebrief(session, state.result);
  const file = sessionFile(session, true, debrief, savePath);
  const base = debriefBase(savePath);
  const markdown = debriefMarkdown(debrief);
  const md = `${base}.debrief.md`;
  const html = `${base}.debrief.html`;
  await saveSession(savePath, file);
  await writeAtomic(md, markdown);
  await writeAtomic(html, debriefHtml(debrief));
  return { file, debrief, markdown, md, html, summary: summaryLines(debrief) };
}
