// `ramp restart NAME [--in D]`: replace every pod (reference §13, §9.8).
import type { Rollout } from '../api/index.ts';
import { metaTime } from '../values/meta-time.ts';
import { rolloutName } from './rollout-facts.ts';
import { specPatch, type ActionPlan } from './rollout-write.ts';

/** RFC 3339 in UTC with whole seconds, as Go's time.RFC3339 prints a UTC time: 2026-01-01T00:00:00Z. */
export function formatRfc3339Seconds(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('invalid date');
  return metaTime(at);
}

/**
 * `{"spec":{"restartAt":"<now + in>"}}`. The controller evicts pods created before that time,
 * a few at a time, and then copies it to status.restartedAt.
 */
export function restart(rollout: Rollout, now: Date, inMs = 0): ActionPlan {
  if (!Number.isFinite(inMs) || inMs < 0) throw new RangeError(`restart delay must be zero or more milliseconds, got ${inMs}`);
  const name = rolloutName(rollout);
  const at = formatRfc3339Seconds(new Date(now.getTime() + inMs));
  const when = inMs === 0 ? 'now' : `at ${at}`;
  return { writes: [specPatch(name, { restartAt: at })], message: `rollout '${name}' restarts ${when}` };
}
