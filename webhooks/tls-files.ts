// The serving certificate and key, read from files and reloaded when they change on disk (a
// cert-manager renewal, a rotated Secret volume): fs.watch on both files' directories for speed,
// a periodic stat as the backstop (watches miss atomic symlink swaps on some filesystems, and
// Kubernetes updates Secret volumes exactly that way). A new pair is used only once it loads as a
// valid key pair; a half-written pair keeps the old one until the next check.
import { type FSWatcher, readFileSync, statSync, watch } from 'node:fs';
import { dirname } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Logger } from '../controller/log/logger.ts';
import { silentLogger } from '../controller/log/logger.ts';

export interface TlsPair {
  cert: Buffer;
  key: Buffer;
}

export interface TlsFilesOptions {
  certFile: string;
  keyFile: string;
  /** Backstop poll interval (default 10 s). */
  pollIntervalMs?: number;
  logger?: Logger;
  /** Called with each newly loaded pair (not for the initial load). */
  onReload?: (pair: TlsPair) => void;
  onReloadResult?: (ok: boolean) => void;
}

/** Reads and checks a pair; throws with the file names when it is not a usable key pair. */
export function loadTlsPair(certFile: string, keyFile: string): TlsPair {
  const pair = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  try {
    createSecureContext(pair);
  } catch (error) {
    throw new Error(`${certFile} and ${keyFile} are not a usable certificate and key: ${(error as Error).message}`);
  }
  return pair;
}

function fingerprint(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

export class TlsFiles {
  readonly #o: TlsFilesOptions;
  readonly #log: Logger;
  #pair: TlsPair;
  #seen: string;
  #timer: NodeJS.Timeout | undefined;
  #watchers: FSWatcher[] = [];
  #debounce: NodeJS.Timeout | undefined;

  /** Loads the pair now; throws if the files are missing or do not match. */
  constructor(options: TlsFilesOptions) {
    this.#o = options;
    this.#log = (options.logger ?? silentLogger).child({ component: 'tls' });
    this.#pair = loadTlsPair(options.certFile, options.keyFile);
    this.#seen = this.#fingerprints();
  }

  get current(): TlsPair {
    return this.#pair;
  }

  #fingerprints(): string {
    return `${fingerprint(this.#o.certFile)}|${fingerprint(this.#o.keyFile)}`;
  }

  /** Starts watching; safe to call once. */
  start(): this {
    const interval = this.#o.pollIntervalMs ?? 10_000;
    this.#timer = setInterval(() => this.check(), interval);
    this.#timer.unref();
    for (const dir of new Set([dirname(this.#o.certFile), dirname(this.#o.keyFile)])) {
      try {
        const watcher = watch(dir, { persistent: false }, () => this.#soon());
        watcher.on('error', (error) => this.#log.warn('watching the certificate directory failed; polling continues', { dir, error }));
        this.#watchers.push(watcher);
      } catch (error) {
        this.#log.warn('cannot watch the certificate directory; polling only', { dir, error });
      }
    }
    return this;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#debounce) clearTimeout(this.#debounce);
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
  }

  /** Writers replace the two files one after the other: wait for the second. */
  #soon(): void {
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => this.check(), 100);
    this.#debounce.unref();
  }

  /** Reloads if either file changed since the last load; returns true when a new pair is in use. */
  check(): boolean {
    const now = this.#fingerprints();
    if (now === this.#seen) return false;
    return this.reload(now);
  }

  /** Loads the files unconditionally; keeps the old pair if the new one is not usable. */
  reload(fingerprints = this.#fingerprints()): boolean {
    try {
      const pair = loadTlsPair(this.#o.certFile, this.#o.keyFile);
      this.#seen = fingerprints;
      if (pair.cert.equals(this.#pair.cert) && pair.key.equals(this.#pair.key)) return false;
      this.#pair = pair;
      this.#o.onReload?.(pair);
      this.#o.onReloadResult?.(true);
      this.#log.info('serving certificate reloaded', { certFile: this.#o.certFile });
      return true;
    } catch (error) {
      this.#o.onReloadResult?.(false);
      this.#log.warn('serving certificate changed on disk but cannot be loaded yet; keeping the previous one', { error: (error as Error).message });
      return false;
    }
  }
}
