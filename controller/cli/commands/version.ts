import { readFileSync } from 'node:fs';
import type { Command } from '../command.ts';

export const versionCommand: Command = {
  name: 'version',
  summary: 'Print the Ramp version and the Node.js runtime',
  usage: 'Usage: ramp version',
  async run(_args, io) {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    io.out(`ramp ${pkg.version} (node ${process.version})`);
    return 0;
  },
};
