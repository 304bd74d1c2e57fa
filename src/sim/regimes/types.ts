import type { z } from 'zod';
import type { RegimeSchema } from '../../core/scenario/schema.js';

/** A regime as written in data (defaults not yet applied). */
export type RegimeInput = z.input<typeof RegimeSchema>;
