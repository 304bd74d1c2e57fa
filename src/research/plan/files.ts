/** Reading and writing a plan's directory. */
import { readFile } from 'node:fs/promises';
import { InputError } from '../../core/errors.js';
import { parsePlan, type Plan } from './model.js';

export async function readPlan(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError({ path: '--plan', message: `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, expected: 'the plan.json that tradesim sweep plan wrote' });
  }
  return parsePlan(text, file);
}
