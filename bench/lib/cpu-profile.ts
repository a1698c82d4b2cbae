import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  readonly name: string;
  readonly where: string;
  readonly group: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  /** Time in JavaScript, native code and GC: the total without (idle). */
  readonly busyMs: number;
  readonly top: SelfTime[];
  readonly groups: Array<{ group: string; ms: number; share: number }>;
  /** Set by the caller: which part of the run this is. */
  phase: string;
}

/** Which package (or part of ours) a frame belongs to, for « where does the time go ». */
export function groupOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'native/program';
    return 'native';
  }
  if (url.startsWith('node:')) return 'node internals';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) {
    const pkg = nm[1] as string;
    if (pkg.startsWith('botbuilder') || pkg.startsWith('botframework')) return `botbuilder (${pkg})`;
    return pkg;
  }
  const ours = /\/(src|dialogs)\/(.*)$/.exec(url);
  if (ours) {
    const [, root, rest] = ours;
    const dir = (rest as string).split('/').slice(0, -1).join('/');
    return `ours: ${root}/${dir}`.replace(/\/$/, '');
  }
  return url.replace(/^file:\/\//, '');
}

/**
 * Self time per function (samples × their time deltas), the top `n`, and the totals per group. `window`
 * keeps the samples between two process.hrtime.bigint() readings in µs: V8's profile clock and libuv's
 * are both CLOCK_MONOTONIC on Linux, so a phase of the bench can be cut out of the profile.
 */
export function summarise(file: string, n = 15, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const byFunction = new Map<string, { name: string; where: string; group: string; us: number }>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    const group = groupOf(frame.url, frame.functionName);
    if (group === 'idle') {
      idleUs += us;
      continue;
    }
    const where = frame.url
      ? `${frame.url.replace(/^file:\/\/.*?\/(node_modules|src|dialogs)\//, '$1/')}:${frame.lineNumber + 1}`
      : '';
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const slot = byFunction.get(key) ?? { name, where, group, us: 0 };
    slot.us += us;
    byFunction.set(key, slot);
  }
  const busyUs = totalUs - idleUs;
  const top = [...byFunction.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map((f) => ({ name: f.name, where: f.where, group: f.group, ms: f.us / 1000, share: f.us / busyUs }));
  const groupTotals = new Map<string, number>();
  for (const f of byFunction.values()) groupTotals.set(f.group, (groupTotals.get(f.group) ?? 0) + f.us);
  const groups = [...groupTotals.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([group, us]) => ({ group, ms: us / 1000, share: us / busyUs }));
  return {
    file,
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    top,
    groups,
    phase: window ? 'window' : 'all',
  };
}
