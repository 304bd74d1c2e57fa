/** Insert into a Map used as a small cache, evicting the oldest entry when it is full. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): V {
  if (map.size >= limit) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  map.set(key, value);
  return value;
}

/** Where `memo` keeps values for owners that cannot take a property (frozen, sealed), one WeakMap per slot. */
const fallback = new Map<symbol, WeakMap<object, unknown>>();

/**
 * The value cached for `owner` under `slot` (a module's private symbol), made by `make` on first use and kept
 * in a non-enumerable property of the owner itself, or in a WeakMap when the owner cannot take one.
 *
 * Why not a WeakMap keyed by the owner: V8's young-generation GC keeps a WeakMap entry's value alive as long
 * as the map lives, even when the key is garbage. Caches keyed by short-lived objects (a fresh utility
 * function per negotiation) then kept each negotiation's tables and indexes alive through every scavenge,
 * until a full GC: half of what a negotiation allocated survived, and GC took a fifth of the time. A property
 * dies with its owner.
 */
export function memo<T>(owner: object, slot: symbol, make: () => T): T {
  const own = (owner as { readonly [k: symbol]: unknown })[slot];
  if (own !== undefined) return own as T;
  const value = make();
  if (Object.isExtensible(owner)) {
    Object.defineProperty(owner, slot, { value });
    return value;
  }
  let map = fallback.get(slot);
  if (map === undefined) {
    map = new WeakMap();
    fallback.set(slot, map);
  }
  const hit = map.get(owner);
  if (hit !== undefined) return hit as T;
  map.set(owner, value);
  return value;
}

/** The value `memo` has cached for `owner` under `slot`, without making one. */
export function memoIfMade<T>(owner: object, slot: symbol): T | undefined {
  const own = (owner as { readonly [k: symbol]: unknown })[slot];
  if (own !== undefined) return own as T;
  return fallback.get(slot)?.get(owner) as T | undefined;
}
