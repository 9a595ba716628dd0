// Compiles a parsed regular expression to an NFA program and runs it as a Thompson/Pike simulation: every
// match costs O(input length × program size), so no pattern can backtrack catastrophically.

import { parseRegex, RegexSyntaxError, type AssertKind, type CharMatcher, type Regex } from './syntax.ts';

type Inst =
  | { op: 'char'; match: CharMatcher; out: number }
  | { op: 'split'; out: number; out1: number }
  | { op: 'assert'; kind: AssertKind; out: number }
  | { op: 'match' };

export interface RegexLimits {
  /** Longest accepted pattern, in characters. */
  maxPatternLength: number;
  /** Largest accepted compiled program, in instructions. */
  maxProgramSize: number;
}

export const DEFAULT_REGEX_LIMITS: RegexLimits = { maxPatternLength: 1000, maxProgramSize: 10_000 };

export class CompiledRegex {
  private readonly insts: readonly Inst[];
  private readonly start: number;
  readonly size: number;

  constructor(insts: readonly Inst[], start: number) {
    this.insts = insts;
    this.start = start;
    this.size = insts.length;
  }

  /**
   * Unanchored search: true if the pattern matches anywhere in the input. `step` is charged once per input
   * position with the number of live states, so a caller's budget bounds the work.
   */
  test(input: string, step: (units: number) => void = () => {}): boolean {
    const cps: number[] = [];
    for (const ch of input) cps.push(ch.codePointAt(0)!);
    const n = this.insts.length;
    const marks = new Int32Array(n).fill(-1);
    let current: number[] = [];
    let next: number[] = [];
    const stack: number[] = [];

    // Adds the state and everything reachable from it without consuming input; true if it reaches a match.
    const add = (list: number[], pc: number, pos: number): boolean => {
      stack.push(pc);
      while (stack.length > 0) {
        const i = stack.pop()!;
        if (marks[i] === pos) continue;
        marks[i] = pos;
        const inst = this.insts[i]!;
        switch (inst.op) {
          case 'match': stack.length = 0; return true;
          case 'char': list.push(i); break;
          case 'split': stack.push(inst.out1, inst.out); break;
          case 'assert':
            if (holds(inst.kind, cps, pos)) stack.push(inst.out);
            break;
        }
      }
      return false;
    };

    for (let pos = 0; ; pos++) {
      if (add(current, this.start, pos)) return true;
      if (pos >= cps.length) return false;
      step(current.length + 1);
      const cp = cps[pos]!;
      next.length = 0;
      for (const i of current) {
        const inst = this.insts[i] as Extract<Inst, { op: 'char' }>;
        if (inst.match.test(cp) && add(next, inst.out, pos + 1)) return true;
      }
      [current, next] = [next, current];
    }
  }
}

const isWordChar = (cp: number | undefined): boolean => cp !== undefined &&
  ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || cp === 0x5f || (cp >= 0x61 && cp <= 0x7a));

function holds(kind: AssertKind, cps: readonly number[], pos: number): boolean {
  switch (kind) {
    case 'bot': return pos === 0;
    case 'eot': return pos === cps.length;
    case 'bol': return pos === 0 || cps[pos - 1] === 0x0a;
    case 'eol': return pos === cps.length || cps[pos] === 0x0a;
    case 'word': return isWordChar(cps[pos - 1]) !== isWordChar(cps[pos]);
    case 'nonword': return isWordChar(cps[pos - 1]) === isWordChar(cps[pos]);
  }
}

export function compileRegex(pattern: string, limits: RegexLimits = DEFAULT_REGEX_LIMITS): CompiledRegex {
  if (Array.from(pattern).length > limits.maxPatternLength) {
    throw new RegexSyntaxError(`pattern is longer than ${limits.maxPatternLength} characters`,
      pattern.slice(0, 20) + '…');
  }
  const tree = parseRegex(pattern);
  const insts: Inst[] = [{ op: 'match' }];
  const emit = (inst: Inst): number => {
    if (insts.length >= limits.maxProgramSize) throw new RegexSyntaxError('expression too large', pattern);
    insts.push(inst);
    return insts.length - 1;
  };

  // Compiles re so that after matching it continues at `next`; returns its entry point.
  const compile = (re: Regex, next: number): number => {
    switch (re.t) {
      case 'empty': return next;
      case 'char': return emit({ op: 'char', match: re.match, out: next });
      case 'assert': return emit({ op: 'assert', kind: re.kind, out: next });
      case 'cat': {
        let entry = next;
        for (let i = re.items.length - 1; i >= 0; i--) entry = compile(re.items[i]!, entry);
        return entry;
      }
      case 'alt': {
        let entry = compile(re.items[re.items.length - 1]!, next);
        for (let i = re.items.length - 2; i >= 0; i--) {
          const first = compile(re.items[i]!, next);
          entry = emit({ op: 'split', out: first, out1: entry });
        }
        return entry;
      }
      case 'repeat': {
        let tail = next;
        if (re.max < 0) {
          const loop = emit({ op: 'split', out: -1, out1: next });
          const body = compile(re.sub, loop);
          (insts[loop] as { out: number }).out = body;
          tail = loop;
        } else {
          for (let k = re.min; k < re.max; k++) {
            const body = compile(re.sub, tail);
            tail = emit({ op: 'split', out: body, out1: tail });
          }
        }
        for (let k = 0; k < re.min; k++) tail = compile(re.sub, tail);
        return tail;
      }
    }
  };
  const start = compile(tree, 0);
  return new CompiledRegex(insts, start);
}

export { RegexSyntaxError };
