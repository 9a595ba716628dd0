// The dev webhook's serving certificate: a fresh CA and a leaf for IP 127.0.0.1, written to a
// directory of this session inside the cluster's state dir (removed when the session ends;
// directories of sessions that are gone are removed at the next start).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../localcluster/process.ts';
import { createCertificateAuthority, issueCertificate } from '../localcluster/pki.ts';

export interface ServingCertificate {
  dir: string;
  certFile: string;
  keyFile: string;
  caFile: string;
  /** base64 of the CA's PEM, for the configurations' caBundle. */
  caBundle: string;
}

/** `<stateDir>/ramp-up`: one subdirectory per session, named by its pid. */
export const sessionsDir = (stateDir: string): string => join(stateDir, 'ramp-up');

/** Removes the directories of sessions whose process is gone; returns their names. */
export function removeStaleSessionDirs(stateDir: string, self: number = process.pid): string[] {
  let entries: string[];
  try {
    entries = readdirSync(sessionsDir(stateDir));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === self || (Number.isInteger(pid) && processAlive(pid))) continue;
    rmSync(join(sessionsDir(stateDir), entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

export async function writeServingCertificate(stateDir: string, pid: number = process.pid): Promise<ServingCertificate> {
  const dir = join(sessionsDir(stateDir), String(pid));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await createCertificateAuthority('ramp-up-webhook-ca');
  const leaf = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', ipAddresses: ['127.0.0.1'] });
  const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), caFile: join(dir, 'ca.crt') };
  writeFileSync(files.caFile, ca.certPem, { mode: 0o600 });
  writeFileSync(files.keyFile, leaf.keyPem, { mode: 0o600 });
  writeFileSync(files.certFile, leaf.certPem, { mode: 0o600 });
  return { dir, ...files, caBundle: Buffer.from(ca.certPem).toString('base64') };
}
