// Tree-walking evaluator with a step budget and a memory budget. Values never leave the Value union: maps are
// Map instances and member access goes through `fetch`, so no JS prototype, global or function is reachable.

import type { BinaryNode, CallNode, ClosureNode, Node } from './ast.ts';
import { BUILTINS, type Builtin, type CallContext } from './builtins/index.ts';
import { ExprRuntimeError, Fault } from './errors.ts';
import {
  anyKeyMaps, arithmetic, equal, expectString, fetch, isIn, mapKeyError, negate, order, plus, rangeOf, sliceOf,
  type Budget,
} from './ops.ts';
import { compileRegex, RegexSyntaxError, type CompiledRegex, type RegexLimits } from './regex/program.ts';
import type { SType } from './types.ts';
import { expectBool, goTypeOf, type GoTime, type MapKey, type Value } from './values.ts';

export interface EvalLimits {
  /** Most evaluation steps (nodes visited, elements iterated, characters scanned by regexps…). */
  maxSteps: number;
  /** Most memory units (array elements, map entries, string characters) created while evaluating. */
  maxMemory: number;
  regex: RegexLimits;
}

export interface Compat {
  /** expr 1.17: `[1.0, 2.0] == [1, 2]` compares element by element (v1.15.5: Go's DeepEqual, false). */
  readonly numericArrayEquality: boolean;
  /** expr 1.17 wording for index errors. */
  readonly detailedIndexErrors: boolean;
}

export interface EvalInput {
  readonly root: Node;
  readonly types: ReadonlyMap<Node, SType>;
  readonly origins: ReadonlyMap<Node, Node>;
  readonly floatArgs: ReadonlySet<Node>;
  readonly variables: ReadonlyMap<string, Value>;
  readonly functions: ReadonlyMap<string, Builtin>;
  readonly result: Value;
  readonly now: GoTime | undefined;
  readonly limits: EvalLimits;
  readonly compat: Compat;
}

/** Thrown through a `?.` chain whose base is nil, caught where the chain ends. */
const CHAIN_NIL = Symbol('chain-nil');

interface Frame { readonly elem: Value; readonly index: number; readonly acc: Value }

export function evaluateTree(input: EvalInput): Value {
  const evaluator = new Evaluator(input);
  try {
    return evaluator.evaluateNode(input.root);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new ExprRuntimeError({ stage: 'limit', detail: 'evaluation is nested too deeply' });
    }
    if (e instanceof Fault) throw new ExprRuntimeError({ stage: e.stage, detail: e.detail });
    throw e;
  }
}

class Evaluator implements Budget {
  private readonly input: EvalInput;
  private steps = 0;
  private memory = 0;
  private readonly lets: { name: string; value: Value }[] = [];
  private readonly frames: Frame[] = [];
  private readonly regexps = new Map<string, CompiledRegex>();
  private readonly context: CallContext;

  constructor(input: EvalInput) {
    this.input = input;
    this.context = {
      budget: this,
      result: input.result,
      now: input.now,
      matches: (text, pattern) => this.matches(text, pattern),
    };
  }

  step(units: number): void {
    this.steps += units;
    if (this.steps > this.input.limits.maxSteps) {
      throw new Fault(`evaluation exceeded its budget of ${this.input.limits.maxSteps} steps`, 'limit');
    }
  }

  alloc(units: number): void {
    this.memory += units;
    if (this.memory > this.input.limits.maxMemory) throw new Fault('memory budget exceeded', 'limit');
  }

  private typeOf(node: Node): SType | undefined {
    return this.input.types.get(node) ?? this.input.types.get(this.input.origins.get(node) ?? node);
  }

  evaluateNode(node: Node): Value {
    try {
      this.step(1);
      return this.visit(node);
    } catch (e) {
      if (e instanceof Fault) {
        throw new ExprRuntimeError({ stage: e.stage, detail: e.detail, position: node.pos });
      }
      throw e;
    }
  }

  private visit(node: Node): Value {
    switch (node.kind) {
      case 'nil': return null;
      case 'bool': case 'int': case 'float': case 'string': return node.value;
      case 'placeholder':
        throw new Fault(`unsubstituted placeholder {{${node.text}}}: substitute the arguments before evaluating`);
      case 'ident': {
        for (let i = this.lets.length - 1; i >= 0; i--) if (this.lets[i]!.name === node.name) return this.lets[i]!.value;
        const v = this.input.variables.get(node.name);
        if (v === undefined) throw new Fault(`unknown name ${node.name}`);
        return v;
      }
      case 'pointer': {
        const frame = this.frames[this.frames.length - 1];
        if (!frame) throw new Fault('cannot use pointer accessor outside closure');
        if (node.name === '') return frame.elem;
        if (node.name === 'index') return BigInt(frame.index);
        if (node.name === 'acc') return frame.acc;
        throw new Fault(`unknown pointer #${node.name}`);
      }
      case 'unary': {
        const v = this.evaluateNode(node.operand);
        if (node.op === 'not' || node.op === '!') return !expectBool(v);
        return node.op === '-' ? negate(v) : plus(v);
      }
      case 'binary': return this.binary(node);
      case 'member': {
        const object = this.evaluateNode(node.object);
        if (node.optional && object === null) throw CHAIN_NIL;
        const key = this.evaluateNode(node.property);
        return fetch(object, key, this.input.compat);
      }
      case 'chain':
        try {
          return this.evaluateNode(node.expression);
        } catch (e) {
          if (e === CHAIN_NIL) return null;
          throw e;
        }
      case 'slice': {
        const object = this.evaluateNode(node.object);
        const from = node.from ? this.evaluateNode(node.from) : undefined;
        const to = node.to ? this.evaluateNode(node.to) : undefined;
        return sliceOf(object, from, to, this);
      }
      case 'call': return this.call(node);
      case 'closure': return this.evaluateNode(node.body);
      case 'array': {
        const out = node.elements.map((e) => this.evaluateNode(e));
        this.alloc(out.length);
        return out;
      }
      case 'map': {
        const out = new Map<MapKey, Value>();
        for (const entry of node.entries) {
          const key = this.evaluateNode(entry.key);
          if (typeof key !== 'string') throw new Fault(`map key must be a string (got ${goTypeOf(key)})`);
          out.set(key, this.evaluateNode(entry.value));
        }
        this.alloc(out.size);
        return out;
      }
      case 'conditional': {
        const test = this.evaluateNode(node.test);
        if (expectBool(test)) return node.consequent ? this.evaluateNode(node.consequent) : test;
        return this.evaluateNode(node.alternate);
      }
      case 'let': {
        const value = this.evaluateNode(node.value);
        this.lets.push({ name: node.name, value });
        try {
          return this.evaluateNode(node.body);
        } finally {
          this.lets.pop();
        }
      }
    }
  }

  private binary(node: BinaryNode): Value {
    const op = node.op;
    switch (op) {
      case 'and': case '&&':
        return expectBool(this.evaluateNode(node.left)) ? this.evaluateNode(node.right) : false;
      case 'or': case '||':
        return expectBool(this.evaluateNode(node.left)) ? true : this.evaluateNode(node.right);
      case '??': {
        const left = this.evaluateNode(node.left);
        return left === null ? this.evaluateNode(node.right) : left;
      }
      case 'in':
        return this.membership(node);
    }
    const left = this.evaluateNode(node.left);
    const right = this.evaluateNode(node.right);
    switch (op) {
      case '==': case '!=': {
        // Both sides statically int: expr compares raw ints, so a nil (findIndex found nothing) fails.
        if ((left === null || right === null) && this.typeOf(node.left)?.k === 'int' &&
            this.typeOf(node.right)?.k === 'int') {
          throw new Fault('interface conversion: interface {} is nil, not int');
        }
        const same = equal(left, right, this.input.compat.numericArrayEquality);
        return op === '==' ? same : !same;
      }
      case '<': case '>': case '<=': case '>=':
        return order(op, left, right);
      case '+': case '-': case '*': case '/': case '%': case '**': case '^':
        return arithmetic(op, left, right, this);
      case 'matches':
        return this.matches(expectString(left), expectString(right));
      case 'contains': return expectString(left).includes(expectString(right));
      case 'startsWith': return expectString(left).startsWith(expectString(right));
      case 'endsWith': return expectString(left).endsWith(expectString(right));
      case '..': return rangeOf(left, right, this);
    }
  }

  private membership(node: BinaryNode): Value {
    const haystackNode = node.right;
    // `x in a..b` with x statically int is `x >= a && x <= b`: no array is built.
    if (haystackNode.kind === 'binary' && haystackNode.op === '..' && this.typeOf(node.left)?.k === 'int') {
      const needle = this.evaluateNode(node.left);
      const from = this.evaluateNode(haystackNode.left);
      const to = this.evaluateNode(haystackNode.right);
      return order('>=', needle, from) && order('<=', needle, to);
    }
    const needle = this.evaluateNode(node.left);
    const haystack = this.evaluateNode(haystackNode);
    // A literal array of only string literals becomes a string set: any other needle fails (expr's optimizer).
    if (haystackNode.kind === 'array' && haystackNode.elements.length > 0 &&
        haystackNode.elements.every((e) => e.kind === 'string') && needle !== null && typeof needle !== 'string') {
      throw mapKeyError(needle);
    }
    return isIn(needle, haystack, this.input.compat.numericArrayEquality);
  }

  private matches(text: string, pattern: string): boolean {
    let re = this.regexps.get(pattern);
    if (!re) {
      try {
        re = compileRegex(pattern, this.input.limits.regex);
      } catch (e) {
        if (e instanceof RegexSyntaxError) throw new Fault(e.message);
        throw e;
      }
      this.regexps.set(pattern, re);
    }
    return re.test(text, (units) => this.step(units));
  }

  private call(node: CallNode): Value {
    const name = node.callee;
    switch (name) {
      case 'all': case 'any': case 'none': case 'one': case 'filter': case 'map': case 'count': case 'find':
      case 'findIndex': case 'findLast': case 'findLastIndex': case 'groupBy': case 'reduce':
        return this.predicate(node);
    }
    const fn = this.input.functions.get(name) ?? BUILTINS.get(name);
    if (!fn) throw new Fault(`unknown name ${name}`);
    const args = node.args.map((a) => {
      const v = this.evaluateNode(a);
      return typeof v === 'bigint' && this.input.floatArgs.has(this.input.origins.get(a) ?? a) ? Number(v) : v;
    });
    return fn.call(args, this.context);
  }

  private predicate(node: CallNode): Value {
    const name = node.callee;
    const collection = this.evaluateNode(node.args[0]!);
    if (!Array.isArray(collection)) throw new Fault(`builtin ${name} takes only array (got ${goTypeOf(collection)})`);
    const items: readonly Value[] = collection;
    const body = (node.args[1] as ClosureNode).body;
    const run = (index: number, acc: Value = null): Value => {
      this.frames.push({ elem: items[index]!, index, acc });
      try {
        return this.evaluateNode(body);
      } finally {
        this.frames.pop();
      }
    };
    const test = (index: number): boolean => expectBool(run(index));
    switch (name) {
      case 'all':
        for (let i = 0; i < items.length; i++) if (!test(i)) return false;
        return true;
      case 'any':
        for (let i = 0; i < items.length; i++) if (test(i)) return true;
        return false;
      case 'none':
        for (let i = 0; i < items.length; i++) if (test(i)) return false;
        return true;
      case 'one': {
        let n = 0;
        for (let i = 0; i < items.length; i++) if (test(i)) n++;
        return n === 1;
      }
      case 'count': {
        let n = 0n;
        for (let i = 0; i < items.length; i++) if (test(i)) n++;
        return n;
      }
      case 'filter': {
        const out: Value[] = [];
        for (let i = 0; i < items.length; i++) if (test(i)) out.push(items[i]!);
        this.alloc(out.length);
        return out;
      }
      case 'map': {
        const out: Value[] = [];
        for (let i = 0; i < items.length; i++) out.push(run(i));
        this.alloc(out.length);
        return out;
      }
      case 'find':
        for (let i = 0; i < items.length; i++) if (test(i)) return items[i]!;
        return null;
      case 'findIndex':
        for (let i = 0; i < items.length; i++) if (test(i)) return BigInt(i);
        return null;
      case 'findLast':
        for (let i = items.length - 1; i >= 0; i--) if (test(i)) return items[i]!;
        return null;
      case 'findLastIndex':
        for (let i = items.length - 1; i >= 0; i--) if (test(i)) return BigInt(i);
        return null;
      case 'groupBy': {
        const groups = new Map<MapKey, Value[]>();
        for (let i = 0; i < items.length; i++) {
          const key = run(i);
          if (key !== null && typeof key === 'object') {
            throw new Fault(`runtime error: hash of unhashable type ${goTypeOf(key)}`);
          }
          const group = groups.get(key);
          if (group) group.push(items[i]!);
          else groups.set(key, [items[i]!]);
        }
        this.alloc(items.length + groups.size);
        const out = groups as Map<MapKey, Value>;
        anyKeyMaps.add(out);
        return out;
      }
      case 'reduce': {
        let start = 0;
        let acc: Value;
        if (node.args[2]) acc = this.evaluateNode(node.args[2]);
        else {
          if (items.length === 0) throw new Fault('reduce of empty array with no initial value');
          acc = items[0]!;
          start = 1;
        }
        for (let i = start; i < items.length; i++) acc = run(i, acc);
        return acc;
      }
    }
    throw new Fault(`unknown name ${name}`);
  }
}
