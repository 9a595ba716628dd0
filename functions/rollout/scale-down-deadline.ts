/**
 * The scale-down deadline of a ReplicaSet (reference §7.5): an annotation holding the RFC3339
 * UTC time after which the controller scales the RS to 0 (old blue-green actives, old stables
 * of a traffic-routed canary, aborted canaries/previews).
 *
 * Argo's controller writes and reads the bare key `scale-down-deadline`; Argo's FAQ documents
 * `argo-rollouts.argoproj.io/scale-down-deadline`. Ramp writes the bare key, so ReplicaSets
 * read the same under both controllers, and honours either when reading (the bare key wins
 * when both are set). When clearing a deadline, remove every key in SCALE_DOWN_DEADLINE_KEYS,
 * or a leftover prefixed value would still be honoured.
 */
import { metaTime } from '../values/meta-time.ts';

/** The key Ramp (and Argo's controller) writes. */
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';
/** The documented-but-unused prefixed key, honoured when reading. */
export const PREFIXED_SCALE_DOWN_DEADLINE_ANNOTATION = 'argo-rollouts.argoproj.io/scale-down-deadline';
/** Every key that may carry a deadline, in reading precedence. */
export const SCALE_DOWN_DEADLINE_KEYS: readonly string[] = [SCALE_DOWN_DEADLINE_ANNOTATION, PREFIXED_SCALE_DOWN_DEADLINE_ANNOTATION];

export type Annotations = Readonly<Record<string, string>> | undefined;

function rawDeadline(annotations: Annotations): string | undefined {
  if (annotations === undefined) return undefined;
  for (const key of SCALE_DOWN_DEADLINE_KEYS) {
    const value = annotations[key];
    if (value !== undefined && value !== '') return value; // an empty value means "no deadline", as in Argo
  }
  return undefined;
}

/**
 * Whether the RS carries a deadline at all, readable or not. Argo treats an unreadable
 * deadline as one that has passed (it scales the RS down), so a caller that wants the same
 * should check this together with `readScaleDownDeadline`.
 */
export function hasScaleDownDeadline(annotations: Annotations): boolean {
  return rawDeadline(annotations) !== undefined;
}

/** The deadline, or undefined when there is none or it is not RFC3339 (Go `time.RFC3339` parsing). */
export function readScaleDownDeadline(annotations: Annotations): Date | undefined {
  const raw = rawDeadline(annotations);
  return raw === undefined ? undefined : parseRfc3339(raw);
}

/**
 * Milliseconds left before the deadline, or undefined when there is nothing to wait for: no
 * deadline, an unreadable one, or one at or before `now`.
 */
export function scaleDownDeadlineRemainingMs(annotations: Annotations, now: Date): number | undefined {
  const deadline = readScaleDownDeadline(annotations);
  if (deadline === undefined) return undefined;
  const remaining = deadline.getTime() - now.getTime();
  return remaining > 0 ? remaining : undefined;
}

/**
 * The annotation value for a deadline `delaySeconds` after `now`, as Argo writes it: RFC3339
 * in UTC with whole seconds (the sub-second part of `now` is dropped), e.g. "2026-01-01T00:00:30Z".
 */
export function scaleDownDeadlineValue(now: Date, delaySeconds: number): string {
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0) {
    throw new RangeError(`delaySeconds must be a non-negative integer, got ${delaySeconds}`);
  }
  const at = now.getTime() + delaySeconds * 1000;
  if (!Number.isFinite(at)) throw new RangeError('now must be a valid Date');
  return metaTime(at);
}

// Go's time.Parse(time.RFC3339, …) also takes a one-digit hour, a "," before the fraction, and
// offsets up to ±24:60; it refuses second 60, hour 24 and a fraction without digits.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Parses what Go's `time.Parse(time.RFC3339, s)` accepts; undefined otherwise. */
function parseRfc3339(text: string): Date | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 24 || offsetMins > 60) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return new Date(date.getTime() - offsetMinutes * 60_000);
}
