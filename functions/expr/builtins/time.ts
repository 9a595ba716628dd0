// Time builtins: now(), duration(s), date(s[, layout[, zone]]). now() reads the time the caller passed in.

import { Fault } from '../errors.ts';
import { parseDate, parseDuration } from '../gotime.ts';
import { T } from '../types.ts';
import { GoDuration } from '../values.ts';
import { stringArg, typed, type Builtin } from './spec.ts';

const now: Builtin = {
  name: 'now', min: 0, max: 0, check: () => T.time,
  call(_args, ctx) {
    if (!ctx.now) throw new Fault('now() is not available: no evaluation time was given');
    return ctx.now;
  },
};

const duration = typed('duration', ['string'], 0, T.duration,
  ([s]) => new GoDuration(parseDuration(stringArg('duration', s!))));

const date = typed('date', ['string', 'string', 'string'], 2, T.time, ([s, layout, zone]) =>
  parseDate(stringArg('date', s!), layout === undefined ? undefined : stringArg('date', layout),
    zone === undefined ? undefined : stringArg('date', zone)));

export const TIME_BUILTINS: readonly Builtin[] = [now, duration, date];
