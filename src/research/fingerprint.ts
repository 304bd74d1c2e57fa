/**
 * What a sweep's rows depend on besides its flags: the tool version, the scenario (its content hash) and the
 * JavaScript runtime. The simulator's arithmetic is IEEE doubles in a fixed order, but Math.exp, Math.pow and
 * friends are V8's own code, which may change between V8 versions and builds (platform, CPU architecture), so
 * rows are promised byte-identical only between equal fingerprints. Each shard's metadata carries one; merge
 * refuses shards from different runtimes unless told to mix them (and records that it did).
 */
export interface Fingerprint {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly tool: string;
  /** sha256 of the scenario (LoadedScenario.hash). */
  readonly scenario: string;
}

export function fingerprint(tool: string, scenarioHash: string): Fingerprint {
  return { node: process.versions.node, v8: process.versions.v8, platform: process.platform, arch: process.arch, tool, scenario: scenarioHash };
}

/** The runtime part, as people read it: "Node 20.20.2 (V8 11.3.244.8-node.33) linux x64". */
export function runtimeOf(f: Fingerprint | undefined): string {
  return f === undefined ? 'an unrecorded runtime (metadata from an older tradesim)' : `Node ${f.node} (V8 ${f.v8}) ${f.platform} ${f.arch}`;
}

/** Whether rows written under `a` and `b` are promised to be the same bytes (tool and scenario checked apart). */
export function sameRuntime(a: Fingerprint | undefined, b: Fingerprint | undefined): boolean {
  return runtimeOf(a) === runtimeOf(b);
}
