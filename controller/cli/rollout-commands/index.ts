// The rollout commands, in the order `ramp --help` lists them.
import type { Command } from '../command.ts';
import { abortCommand } from './abort.ts';
import { getCommand } from './get.ts';
import { pauseCommand } from './pause.ts';
import { promoteCommand } from './promote.ts';
import { restartCommand } from './restart.ts';
import { resumeCommand } from './resume.ts';
import { retryCommand } from './retry.ts';
import { setCommand } from './set-image.ts';
import { statusCommand } from './status.ts';
import { undoCommand } from './undo.ts';

export const rolloutCommands: readonly Command[] = [
  getCommand,
  statusCommand,
  promoteCommand,
  abortCommand,
  retryCommand,
  pauseCommand,
  resumeCommand,
  restartCommand,
  setCommand,
  undoCommand,
];
