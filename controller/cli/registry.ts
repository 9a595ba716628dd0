// Every `ramp` subcommand, registered in one place.
import type { Command } from './command.ts';
import { clusterCommand } from './commands/cluster.ts';
import { controllerCommand } from './commands/controller.ts';
import { lintCommand } from './commands/lint.ts';
import { reconcileCommand } from './commands/reconcile.ts';
import { versionCommand } from './commands/version.ts';
import { webhookCommand } from './commands/webhook.ts';
import { rolloutCommands } from './rollout-commands/index.ts';

export const commands: readonly Command[] = [versionCommand, clusterCommand, controllerCommand, reconcileCommand, webhookCommand, lintCommand, ...rolloutCommands];
