/**
 * A reader that goes away (`ramp get rollout x | head`) must not crash a command half way,
 * least of all one that is starting or changing something. Writes after that are dropped.
 */
export function ignoreClosedStdout(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0) {
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
    }
  }
}
