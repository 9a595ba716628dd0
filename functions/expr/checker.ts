// Static checker (reference §3): types every node against the concrete type of the measurement result, and
// reports the errors expr's checker reports, with the same texts. Argo compiles every measurement afresh, so a
// condition can pass for one result and fail for the next (`result > 1` when the result is nil).

import type { BinaryNode, CallNode, ClosureNode, MemberNode, Node, SliceNode } from './ast.ts';
import { BUILTINS, type Builtin } from './builtins/index.ts';
import { ExprError } from './errors.ts';
import { PREDICATE_BUILTINS } from './parser.ts';
import { compileRegex, RegexSyntaxError, type RegexLimits } from './regex/program.ts';
import {
  ANY_ARRAY, arrayOf, comparable, isBool, isInt, isNil, isNum, isString, isUnknown, T, typeName, type SType,
} from './types.ts';
import { wrapInt } from './values.ts';

export interface CheckEnvironment {
  /** Variables (`result`) and their static types. */
  readonly variables: ReadonlyMap<string, SType>;
  /** Functions the environment adds (Argo's helpers); they take precedence over builtins. */
  readonly functions: ReadonlyMap<string, Builtin>;
  readonly regexLimits: RegexLimits;
}

export interface CheckResult {
  /** The static type of every checked node. */
  readonly types: ReadonlyMap<Node, SType>;
  /** Integer-constant arguments passed to float64 parameters, converted at run time. */
  readonly floatArgs: ReadonlySet<Node>;
}

const BOOL_PREDICATES = new Set(['all', 'any', 'none', 'one', 'filter', 'count', 'find', 'findIndex', 'findLast',
  'findLastIndex']);

interface ClosureFrame { readonly elem: SType; readonly builtin: string }

export function checkTree(root: Node, env: CheckEnvironment): CheckResult {
  const checker = new Checker(env);
  checker.check(root);
  return { types: checker.types, floatArgs: checker.floatArgs };
}

/** The value of an integer-constant expression (literals and + - * % of them), as Go's checker folds it. */
export function constantInt(node: Node): bigint | undefined {
  switch (node.kind) {
    case 'int': return node.value;
    case 'unary': {
      const v = constantInt(node.operand);
      if (v === undefined) return undefined;
      return node.op === '-' ? wrapInt(-v) : node.op === '+' ? v : undefined;
    }
    case 'binary': {
      if (node.op !== '+' && node.op !== '-' && node.op !== '*' && node.op !== '%') return undefined;
      const l = constantInt(node.left);
      const r = constantInt(node.right);
      if (l === undefined || r === undefined) return undefined;
      switch (node.op) {
        case '+': return wrapInt(l + r);
        case '-': return wrapInt(l - r);
        case '*': return wrapInt(l * r);
        case '%': return r === 0n ? undefined : wrapInt(l % r);
      }
    }
  }
  return undefined;
}

function sameType(a: SType, b: SType): boolean {
  return typeName(a) === typeName(b);
}

class Checker {
  readonly types = new Map<Node, SType>();
  readonly floatArgs = new Set<Node>();
  private readonly env: CheckEnvironment;
  private readonly lets: { name: string; type: SType }[] = [];
  private readonly closures: ClosureFrame[] = [];

  constructor(env: CheckEnvironment) {
    this.env = env;
  }

  private fail(node: Node, detail: string): never {
    throw new ExprError({ stage: 'type', detail, position: node.pos });
  }

  check(node: Node): SType {
    const t = this.visit(node);
    this.types.set(node, t);
    return t;
  }

  private visit(node: Node): SType {
    switch (node.kind) {
      case 'nil': return T.nil;
      case 'bool': return T.bool;
      case 'int': return T.int;
      case 'float': return T.float;
      case 'string': return T.string;
      case 'placeholder': return T.unknown;
      case 'ident': return this.identifier(node.name, node);
      case 'pointer': return this.pointer(node.name, node);
      case 'unary': {
        const t = this.check(node.operand);
        if (node.op === 'not' || node.op === '!') {
          if (isBool(t) || isUnknown(t)) return T.bool;
        } else if (isNum(t) || isUnknown(t) || t.k === 'duration') return t;
        return this.fail(node, `invalid operation: ${node.op} (mismatched type ${typeName(t)})`);
      }
      case 'binary': return this.binary(node);
      case 'member': return this.member(node);
      case 'chain': return this.check(node.expression);
      case 'slice': return this.slice(node);
      case 'call': return PREDICATE_BUILTINS.has(node.callee) ? this.predicate(node) : this.call(node);
      case 'closure': return this.check(node.body);
      case 'array': {
        const types = node.elements.map((e) => this.check(e));
        const first = types[0];
        const uniform = first && ['int', 'float', 'string', 'bool'].includes(first.k) &&
          types.every((t) => t.k === first.k) ? first : undefined;
        return uniform ? { k: 'array', elem: T.unknown, uniform } : ANY_ARRAY;
      }
      case 'map': {
        for (const entry of node.entries) {
          const kt = this.check(entry.key);
          if (!isString(kt) && !isUnknown(kt)) this.fail(entry.key, `map key must be a string (got ${typeName(kt)})`);
          this.check(entry.value);
        }
        return { k: 'map', key: T.string, value: T.unknown };
      }
      case 'conditional': {
        const test = this.check(node.test);
        if (!isBool(test) && !isUnknown(test)) {
          this.fail(node.test, `non-bool expression (type ${typeName(test)}) used as condition`);
        }
        const a = node.consequent ? this.check(node.consequent) : test;
        const b = this.check(node.alternate);
        return sameType(a, b) ? a : T.unknown;
      }
      case 'let': {
        const valueType = this.check(node.value);
        if (this.isDeclared(node.name)) this.fail(node, `cannot redeclare ${node.name}`);
        this.lets.push({ name: node.name, type: valueType });
        try {
          return this.check(node.body);
        } finally {
          this.lets.pop();
        }
      }
    }
  }

  private isDeclared(name: string): boolean {
    return this.lets.some((l) => l.name === name) || this.env.variables.has(name) ||
      this.env.functions.has(name) || BUILTINS.has(name) || PREDICATE_BUILTINS.has(name);
  }

  private identifier(name: string, node: Node): SType {
    for (let i = this.lets.length - 1; i >= 0; i--) if (this.lets[i]!.name === name) return this.lets[i]!.type;
    const t = this.env.variables.get(name);
    if (t) return t;
    if (name === '$env') return this.fail(node, '$env is not supported; use the variable directly (result)');
    return this.fail(node, `unknown name ${name}`);
  }

  private pointer(name: string, node: Node): SType {
    const frame = this.closures[this.closures.length - 1];
    if (!frame) return this.fail(node, 'cannot use pointer accessor outside closure');
    if (name === '') return frame.elem;
    if (name === 'index' && (frame.builtin === 'map' || frame.builtin === 'reduce')) return T.int;
    if (name === 'acc' && frame.builtin === 'reduce') return T.unknown;
    return this.fail(node, `unknown pointer #${name}`);
  }

  private binary(node: BinaryNode): SType {
    const l = this.check(node.left);
    const r = this.check(node.right);
    const op = node.op;
    const mismatch = (): never =>
      this.fail(node, `invalid operation: ${op} (mismatched types ${typeName(l)} and ${typeName(r)})`);
    const either = (pred: (t: SType) => boolean): boolean =>
      (pred(l) || isUnknown(l)) && (pred(r) || isUnknown(r));
    switch (op) {
      case '==': case '!=':
        return comparable(l, r) ? T.bool : mismatch();
      case 'or': case '||': case 'and': case '&&':
        return either(isBool) ? T.bool : mismatch();
      case '<': case '>': case '<=': case '>=': {
        if (isNum(l) && isNum(r)) return T.bool;
        for (const k of ['string', 'time', 'duration'] as const) if (l.k === k && r.k === k) return T.bool;
        const orderable = (t: SType): boolean => isNum(t) || t.k === 'string' || t.k === 'time' || t.k === 'duration';
        if ((isUnknown(l) && (orderable(r) || isUnknown(r))) || (isUnknown(r) && orderable(l))) return T.bool;
        return mismatch();
      }
      case '+': case '-': {
        if (isInt(l) && isInt(r)) return T.int;
        if (isNum(l) && isNum(r)) return T.float;
        if (op === '+' && isString(l) && isString(r)) return T.string;
        if (l.k === 'time' && r.k === 'duration') return T.time;
        if (op === '+' && l.k === 'duration' && r.k === 'time') return T.time;
        if (l.k === 'duration' && r.k === 'duration') return T.duration;
        if (op === '-' && l.k === 'time' && r.k === 'time') return T.duration;
        const operand = (t: SType): boolean => isNum(t) || t.k === 'time' || t.k === 'duration' ||
          (op === '+' && isString(t));
        if ((isUnknown(l) && (operand(r) || isUnknown(r))) || (isUnknown(r) && operand(l))) return T.unknown;
        return mismatch();
      }
      case '*':
        if (isInt(l) && isInt(r)) return T.int;
        if (isNum(l) && isNum(r)) return T.float;
        return either(isNum) ? T.unknown : mismatch();
      case '/': case '**': case '^':
        return either(isNum) ? T.float : mismatch();
      case '%': {
        if (!either(isInt)) return mismatch();
        const left = constantInt(node.left);
        const right = constantInt(node.right);
        if (left !== undefined && right === 0n) this.fail(node, 'integer divide by zero');
        return T.int;
      }
      case '..':
        return either(isInt) ? { k: 'array', elem: T.int, go: '[]int' } : mismatch();
      case 'in': return this.membership(l, r, mismatch);
      case 'matches': {
        if (!either(isString)) return mismatch();
        if (node.right.kind === 'string') {
          try {
            compileRegex(node.right.value, this.env.regexLimits);
          } catch (e) {
            if (e instanceof RegexSyntaxError) this.fail(node.right, e.message);
            throw e;
          }
        }
        return T.bool;
      }
      case 'contains': case 'startsWith': case 'endsWith':
        return either(isString) ? T.bool : mismatch();
      case '??':
        if (isNil(l)) return r;
        if (isUnknown(l)) return T.unknown;
        return sameType(l, r) || isNil(r) ? l : T.unknown;
    }
  }

  private membership(l: SType, r: SType, mismatch: () => never): SType {
    if (isUnknown(r)) return T.bool;
    if (r.k === 'array') {
      if (isNil(l) || isUnknown(l)) return T.bool;
      const elem = r.uniform ?? r.elem;
      return comparable(l, elem) ? T.bool : mismatch();
    }
    if (r.k === 'map') {
      return isNil(l) || isUnknown(l) || isString(l) ? T.bool : mismatch();
    }
    return mismatch();
  }

  private member(node: MemberNode): SType {
    const base = this.check(node.object);
    const prop = this.check(node.property);
    const field = node.property.kind === 'string' ? node.property.value : undefined;
    switch (base.k) {
      case 'unknown': return T.unknown;
      case 'map':
        if (!isString(prop) && !isUnknown(prop) && !isUnknown(base.key)) {
          return this.fail(node, `cannot use ${typeName(prop)} to get an element from ${typeName(base)}`);
        }
        return base.value;
      case 'array':
        if (!isInt(prop) && !isUnknown(prop)) {
          return this.fail(node, `array elements can only be selected using an integer (got ${typeName(prop)})`);
        }
        return base.elem;
      case 'nil':
        if (field !== undefined) return this.fail(node, `type <nil> has no field ${field}`);
        return this.fail(node, `type <nil>[${typeName(prop)}] is undefined`);
      default:
        return this.fail(node, `type ${typeName(base)}[${typeName(prop)}] is undefined`);
    }
  }

  private slice(node: SliceNode): SType {
    const base = this.check(node.object);
    for (const bound of [node.from, node.to]) {
      if (!bound) continue;
      const t = this.check(bound);
      if (!isInt(t) && !isUnknown(t)) this.fail(bound, `non-integer slice index ${typeName(t)}`);
    }
    if (base.k === 'array' || base.k === 'string' || base.k === 'unknown') return base;
    return this.fail(node, `cannot slice ${typeName(base)}`);
  }

  private predicate(node: CallNode): SType {
    const name = node.callee;
    const collection = this.check(node.args[0]!);
    if (collection.k !== 'array' && !isUnknown(collection)) {
      this.fail(node, `builtin ${name} takes only array (got ${typeName(collection)})`);
    }
    const elem = collection.k === 'array' ? collection.elem : T.unknown;
    const closure = node.args[1] as ClosureNode;
    this.closures.push({ elem, builtin: name });
    let body: SType;
    try {
      body = this.check(closure);
    } finally {
      this.closures.pop();
    }
    if (BOOL_PREDICATES.has(name) && !isBool(body) && !isUnknown(body)) {
      this.fail(closure, `predicate should return boolean (got ${typeName(body)})`);
    }
    if (node.args[2]) this.check(node.args[2]);
    switch (name) {
      case 'all': case 'any': case 'none': case 'one': return T.bool;
      case 'filter': return arrayOf(elem);
      case 'map': return arrayOf(body);
      case 'count': case 'findIndex': case 'findLastIndex': return T.int;
      case 'find': case 'findLast': return elem;
      case 'groupBy': return { k: 'map', key: T.unknown, value: arrayOf(elem) };
      default: return T.unknown;
    }
  }

  private call(node: CallNode): SType {
    const name = node.callee;
    if (this.lets.some((l) => l.name === name) || this.env.variables.has(name)) {
      return this.fail(node, `${name} is not a function`);
    }
    const fn = this.env.functions.get(name) ?? BUILTINS.get(name);
    if (!fn) return this.fail(node, `unknown name ${name}`);
    if (node.args.length < fn.min) this.fail(node, `not enough arguments to call ${name}`);
    if (node.args.length > fn.max) this.fail(node, `too many arguments to call ${name}`);
    const types = node.args.map((a) => this.check(a));
    for (const i of fn.floatParams ?? []) {
      const arg = node.args[i];
      if (arg && isInt(types[i]!) && constantInt(arg) !== undefined) {
        types[i] = T.float;
        this.floatArgs.add(arg);
      }
    }
    const outcome = fn.check(types);
    if ('error' in outcome) return this.fail(node, outcome.error);
    return outcome;
  }
}
