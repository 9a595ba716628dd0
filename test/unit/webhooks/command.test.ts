import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWebhookFlags } from '../../../controller/cli/commands/webhook.ts';
import { main } from '../../../controller/cli/main.ts';

describe('ramp webhook flags', () => {
  it('defaults: port 9443 on 127.0.0.1, log level info', () => {
    assert.deepEqual(parseWebhookFlags(['--tls-cert-file', 'c.pem', '--tls-key-file=k.pem']), {
      port: 9443,
      address: '127.0.0.1',
      certFile: 'c.pem',
      keyFile: 'k.pem',
      logLevel: 'info',
    });
  });

  it('takes every flag in both spellings', () => {
    const flags = parseWebhookFlags([
      '--port=8443', '--address', '0.0.0.0', '--tls-cert-file', 'c', '--tls-key-file', 'k', '--kubeconfig', 'kc', '--policy-file=p.yaml', '--loglevel', 'debug',
    ]);
    assert.deepEqual(flags, { port: 8443, address: '0.0.0.0', certFile: 'c', keyFile: 'k', kubeconfig: 'kc', policyFile: 'p.yaml', logLevel: 'debug' });
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['no certificate', [], /--tls-cert-file and --tls-key-file are required/],
    ['a bad port', ['--tls-cert-file', 'c', '--tls-key-file', 'k', '--port', '70000'], /--port: want a port number 0\.\.65535/],
    ['an unknown flag', ['--tls-cert-file', 'c', '--tls-key-file', 'k', '--insecure'], /unknown flag "--insecure"/],
    ['a flag without its value', ['--tls-cert-file'], /--tls-cert-file needs a value/],
    ['a bad log level', ['--tls-cert-file', 'c', '--tls-key-file', 'k', '--loglevel', 'loud'], /invalid log level "loud"/],
  ];
  for (const [name, args, message] of usage) {
    it(`${name} → exit 2`, async () => {
      const err: string[] = [];
      const code = await main(['webhook', ...args], { out: () => undefined, err: (l) => err.push(l) });
      assert.equal(code, 2);
      assert.match(err.join('\n'), message);
    });
  }
});
