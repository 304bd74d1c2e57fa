/**
 * Shared per-space state, so that the offer indexes, frontiers, feasibility masks and the mechanism of every
 * negotiation over the same grid and bounds reuse one another's work instead of rebuilding string keys and
 * filtering enumerations on every call.
 *
 * A GridContext stands for one discretised grid (issue ranges, steps and resolution; names and units do not
 * matter) and owns its enumeration. A BoundedContext is a grid cut at one vector of upper bounds and owns the
 * feasibility mask. Callers key their own caches by these objects (WeakMaps), so a context dropped from the
 * bounded maps below (oldest first: 64 grids, 64 bound vectors per grid) takes their caches with it once no
 * live space refers to it.
 *
 * Looking a space up costs one WeakMap hit for a space object seen before; a new space object over an issue
 * array seen before costs one `join` of its upper bounds. Spaces and their issue arrays are treated as
 * immutable once used (they are readonly by type): mutating one afterwards is not noticed.
 *
 * Every cached value is a pure function of its key, so a cold and a warm cache give the same answers.
 */
import { remember } from './cache.js';
import { autoResolution, boundsKey, boundsMask, enumerateCached, gridKey, type Enumeration } from './outcome-space.js';
import type { Issue, OutcomeSpace } from './types.js';

/** Grids kept (by key) beyond those still reachable from a live issue array. */
const GRID_CONTEXTS = 64;
/** Bound vectors kept per grid. */
const BOUNDED_CONTEXTS = 64;

export class GridContext {
  readonly resolution: number;
  /** A space with this grid (the first one seen), used only for its issue ranges and steps. */
  private readonly template: OutcomeSpace;
  private built: Enumeration | undefined;
  /** Bounded views of this grid, by boundsKey; the oldest is dropped beyond BOUNDED_CONTEXTS. */
  private readonly bounded = new Map<string, BoundedContext>();
  readonly unbounded: BoundedContext;

  constructor(resolution: number, issues: readonly Issue[]) {
    this.resolution = resolution;
    this.template = { issues };
    this.unbounded = new BoundedContext(this, undefined);
  }

  /** Every outcome of the grid, built on first use. */
  get enumeration(): Enumeration {
    this.built ??= enumerateCached(this.template, this.resolution);
    return this.built;
  }

  /** The enumeration when it has already been built, without building it. */
  get enumerationIfBuilt(): Enumeration | undefined {
    return this.built;
  }

  /** The context of this grid under `space`'s upper bounds (the space must have this grid). */
  boundedBy(space: OutcomeSpace): BoundedContext {
    if (space.upperBounds === undefined) return this.unbounded;
    const key = boundsKey(space);
    const hit = this.bounded.get(key);
    if (hit !== undefined) return hit;
    return remember(this.bounded, key, new BoundedContext(this, space), BOUNDED_CONTEXTS);
  }
}

export class BoundedContext {
  readonly grid: GridContext;
  private readonly space: OutcomeSpace | undefined;
  private mask: Uint8Array | undefined;

  constructor(grid: GridContext, space: OutcomeSpace | undefined) {
    this.grid = grid;
    // Keep only what the mask needs (the bounds), not the caller's whole space.
    this.space = space === undefined || space.upperBounds === undefined ? undefined : { issues: space.issues, upperBounds: space.upperBounds };
  }

  /**
   * 1 for each enumerated outcome within the upper bounds, 0 otherwise (same test as the feasibility check);
   * null when there are no bounds. Built on first use.
   */
  feasibleMask(): Uint8Array | null {
    if (this.space === undefined) return null;
    this.mask ??= boundsMask(this.space, this.grid.enumeration);
    return this.mask;
  }
}

const gridsByKey = new Map<string, GridContext>();
/** Fast path: grid of an issue array at its automatic resolution. */
const gridsByIssues = new WeakMap<readonly Issue[], GridContext>();
/** Fast path: context of a space object at its automatic resolution. */
const bySpace = new WeakMap<OutcomeSpace, BoundedContext>();

function gridByKey(space: OutcomeSpace, resolution: number): GridContext {
  const key = gridKey(space, resolution);
  const hit = gridsByKey.get(key);
  if (hit !== undefined) return hit;
  return remember(gridsByKey, key, new GridContext(resolution, space.issues), GRID_CONTEXTS);
}

/**
 * The shared context of `space` discretised at `resolution` (default: autoResolution(space); only continuous
 * issues depend on it).
 */
export function spaceContext(space: OutcomeSpace, resolution?: number): BoundedContext {
  if (resolution === undefined) {
    const hit = bySpace.get(space);
    if (hit !== undefined) return hit;
    let grid = gridsByIssues.get(space.issues);
    if (grid === undefined) {
      grid = gridByKey(space, autoResolution(space));
      gridsByIssues.set(space.issues, grid);
    }
    const ctx = grid.boundedBy(space);
    bySpace.set(space, ctx);
    return ctx;
  }
  const auto = bySpace.get(space);
  if (auto !== undefined && auto.grid.resolution === resolution) return auto;
  return gridByKey(space, resolution).boundedBy(space);
}
