import { appendFileSync } from 'node:fs';
import { createLogger, silentLogger, type Logger } from '../../../controller/log/logger.ts';

/**
 * The logger for a controller a test starts in process: silent, unless
 * RAMP_TEST_CONTROLLER_LOG=/path asks for its JSON logs (to debug a failure), tagged with the
 * test's namespace.
 */
export function testControllerLogger(ns: string): Logger {
  const file = process.env['RAMP_TEST_CONTROLLER_LOG'];
  return file ? createLogger({ level: 'debug', write: (line) => appendFileSync(file, line + '\n'), fields: { test: ns } }) : silentLogger;
}
