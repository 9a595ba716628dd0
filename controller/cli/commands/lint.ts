// `ramp lint FILE... [--policy FILE]...`: the admission checks, offline, on multi-document YAML.
import { readFile } from 'node:fs/promises';
import { formatLintLine, type LintInput, lintDocuments } from '../../../functions/admission/index.ts';
import { ExitCode, UsageError, type Command, type CommandIO } from '../command.ts';

const usage = `Usage: ramp lint FILE... [--policy FILE]...

Checks Rollouts, Experiments, AnalysisTemplates, ClusterAnalysisTemplates, AnalysisRuns and
RolloutPolicies in multi-document YAML the way Ramp's admission webhooks would: Argo's defaults
and the policies' defaults are applied, then every validation rule and every policy rule runs.
FILE "-" reads standard input. Other kinds (Services, Namespaces, ...) are not checked but are
used: Namespace labels for policy namespaceSelectors, Services, Ingresses and analysis
templates for reference warnings.

  --policy FILE   apply the RolloutPolicies in FILE (repeatable)

Output: one line per problem, FILE:DOC: path: message (DOC counts documents from 1);
warnings and audit findings are marked "warning:" and "audit:" and do not fail.
Exit status: 0 all documents valid, 1 problems found, 2 usage error (unknown flag, unreadable file).`;

export interface LintReaders {
  readFile: (path: string) => Promise<string>;
  readStdin: () => Promise<string>;
}

const defaultReaders: LintReaders = {
  readFile: (path) => readFile(path, 'utf8'),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

function parseArgs(args: readonly string[]): { files: string[]; policies: string[] } {
  const files: string[] = [];
  const policies: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--policy' || arg === '-p') {
      const value = args[++i];
      if (value === undefined || value === '') throw new UsageError(`${arg} needs a file name`);
      policies.push(value);
    } else if (arg.startsWith('--policy=')) {
      const value = arg.slice('--policy='.length);
      if (value === '') throw new UsageError('--policy needs a file name');
      policies.push(value);
    } else if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown flag ${JSON.stringify(arg)}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new UsageError('name at least one file to lint ("-" for standard input)');
  if ([...files, ...policies].filter((f) => f === '-').length > 1) throw new UsageError('standard input ("-") can be read only once');
  return { files, policies };
}

export async function runLint(args: readonly string[], io: CommandIO, readers: LintReaders = defaultReaders): Promise<number> {
  const { files, policies } = parseArgs(args);
  const read = async (file: string): Promise<LintInput | string> => {
    try {
      return { file, text: file === '-' ? await readers.readStdin() : await readers.readFile(file) };
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      return `cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message}`;
    }
  };
  const inputs = await Promise.all(files.map(read));
  const policyInputs = await Promise.all(policies.map(read));
  const unreadable = [...inputs, ...policyInputs].filter((x): x is string => typeof x === 'string');
  if (unreadable.length > 0) {
    for (const message of unreadable) io.err(`ramp lint: ${message}`);
    return ExitCode.usage;
  }
  const report = lintDocuments(inputs as LintInput[], policyInputs as LintInput[]);
  for (const line of report.lines) io.out(formatLintLine(line));
  if (report.errors > 0) {
    io.err(`ramp lint: ${report.errors} problem${report.errors === 1 ? '' : 's'} in ${report.checked} checked document${report.checked === 1 ? '' : 's'}`);
    return ExitCode.failed;
  }
  return ExitCode.ok;
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'Check Rollouts and related manifests offline, as admission would (exit 1 on problems)',
  usage,
  run: (args, io) => runLint(args, io),
};
