// Shows successive frames of a --watch view. On a terminal the previous frame is overwritten in
// place (cursor up over its rows, clear to the end of the screen; a frame taller than the screen
// clears it instead). Elsewhere (a pipe, a file, CI logs) a frame is printed only when its
// content changed, frames separated by a blank line.
import { visibleWidth } from '../../../functions/cli/index.ts';
import type { CliIO, Terminal } from './cli-io.ts';

export class FrameWriter {
  readonly #io: CliIO;
  readonly #terminal: Terminal;
  #previousRows = 0;
  #previousKey: string | undefined;

  constructor(io: CliIO, terminal: Terminal) {
    this.#io = io;
    this.#terminal = terminal;
  }

  #rows(lines: readonly string[]): number {
    const columns = this.#terminal.columns;
    if (columns <= 0) return lines.length;
    return lines.reduce((n, line) => n + Math.max(1, Math.ceil(visibleWidth(line) / columns)), 0);
  }

  /** `key`: what the frame shows, without what changes by itself (ages); equal keys are not re-printed off a terminal. */
  draw(lines: readonly string[], key: string): void {
    if (!this.#terminal.isTTY) {
      if (key === this.#previousKey) return;
      if (this.#previousKey !== undefined) this.#io.out('');
      this.#previousKey = key;
      for (const line of lines) this.#io.out(line);
      return;
    }
    const rows = this.#rows(lines);
    const screen = this.#terminal.rows;
    let prefix = '';
    if (this.#previousRows > 0) {
      prefix = screen > 0 && (rows > screen || this.#previousRows > screen) ? '\x1b[H\x1b[2J' : `\x1b[${this.#previousRows}F\x1b[J`;
    }
    const [first = '', ...rest] = lines;
    this.#io.out(prefix + first);
    for (const line of rest) this.#io.out(line);
    this.#previousRows = rows;
  }
}
