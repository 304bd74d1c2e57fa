/**
 * The exercise pack format (scenarios/exercises/*.yaml; documented in docs/classroom.md and
 * scenarios/exercises/TEMPLATE.yaml). An exercise wraps a scenario file: it names the file, optional --set
 * style overrides, the seats students may take, the public situation, a private briefing per seat, learning
 * objectives, discussion questions and difficulty levels (the computer agents' strategies).
 *
 * Kept apart from the scenario schema: a scenario describes a world, an exercise describes a lesson in it.
 */
import { z } from 'zod';
import { StrategySpec } from '../core/scenario/schema.js';

const Text = (max: number, description: string) => z.string().min(1).max(max).meta({ description });
const Seat = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'a seat: a country id, an adversary id, or "exporter"')
  .meta({ description: 'A country id from the scenario, or "exporter".' });

export const RoleSchema = z.strictObject({
  title: Text(120, 'Who the student plays, e.g. "UAE minister of AI".').optional(),
  briefing: Text(6000, 'Private briefing: shown only to the student in this seat (and hidden at a hand-over).'),
  objectives: z.array(Text(300, 'One objective for this seat.')).max(12).default([]),
});

export const LevelSchema = z.strictObject({
  description: Text(300, 'What this level means for the student.'),
  /** Seat (country id, adversary id or "exporter") -> strategy for the computer agent in that seat. */
  strategies: z.record(Seat, StrategySpec).default({}),
  /** Further --set overrides for this level. */
  set: z.array(z.string().min(3).max(400)).max(40).default([]),
});

export const ExerciseSchema = z.strictObject({
  exercise: z.literal(1).meta({ description: 'Format version of the exercise file: 1.' }),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes').meta({ description: 'Exercise id.' }),
  title: Text(200, 'Title shown to students.'),
  scenario: Text(400, 'The scenario file, relative to this exercise file.'),
  set: z.array(z.string().min(3).max(400)).max(40).default([]).meta({ description: '--set style overrides applied to the scenario.' }),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().meta({ description: 'Seed every student plays with (default: the scenario\'s).' }),
  regime: z.string().min(1).max(60).optional().meta({ description: 'Regime to play under (default: the scenario\'s).' }),
  minutes: z.number().int().min(1).max(600).optional().meta({ description: 'Suggested time in class.' }),
  situation: Text(8000, 'Public situation: every student reads it.'),
  roles: z.record(Seat, RoleSchema).refine((r) => Object.keys(r).length > 0, 'at least one role').meta({ description: 'Seats students may play, with their private briefings.' }),
  objectives: z.array(Text(300, 'A learning objective.')).min(1).max(12),
  questions: z.array(Text(500, 'A discussion question for the debrief.')).min(1).max(20),
  difficulty: z
    .strictObject({
      default: z.string().min(1).max(40),
      levels: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a level name: lower-case letters, digits and dashes'), LevelSchema),
    })
    .meta({ description: 'Difficulty levels: the computer agents\' strategies.' }),
});

export type ExerciseInput = z.input<typeof ExerciseSchema>;
export type Exercise = z.output<typeof ExerciseSchema>;
export type Level = z.output<typeof LevelSchema>;
export type Role = z.output<typeof RoleSchema>;
