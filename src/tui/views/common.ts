/** Props every view gets: the artifact's data, the replay state and the space it may use. */
import type { ReplayData } from '../data.js';
import type { ReplayState } from '../state.js';

export interface ViewProps {
  readonly data: ReplayData;
  readonly state: ReplayState;
  readonly width: number;
  readonly height: number;
  readonly colour: boolean;
}
