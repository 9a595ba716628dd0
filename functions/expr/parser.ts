// Parser: tokens → syntax tree, by precedence climbing (expr v1.15.5 grammar, reference §2.1–§2.2).

import type {
  BinaryOperator, ClosureNode, MapEntry, MemberNode, Node, UnaryOperator,
} from './ast.ts';
import { ExprError, type Position } from './errors.ts';
import { tokenize, WORD_OPERATORS, type Token } from './lexer.ts';

export interface ParseLimits {
  /** Longest accepted source, in characters. */
  maxLength: number;
  /** Deepest accepted nesting of the syntax tree (and of the parser's recursion). */
  maxDepth: number;
  /** Largest accepted syntax tree, in nodes. */
  maxNodes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxLength: 10_000, maxDepth: 128, maxNodes: 10_000 };

export interface ParseOptions {
  /** Accept `{{args.x}}` outside string literals as an operand of unknown type (for linting templates). */
  placeholders?: boolean;
  limits?: Partial<ParseLimits>;
}

interface BinaryInfo { readonly prec: number; readonly right: boolean }

const BINARY: ReadonlyMap<string, BinaryInfo> = new Map<string, BinaryInfo>([
  ['|', { prec: 0, right: false }],
  ['or', { prec: 10, right: false }], ['||', { prec: 10, right: false }],
  ['and', { prec: 15, right: false }], ['&&', { prec: 15, right: false }],
  ['==', { prec: 20, right: false }], ['!=', { prec: 20, right: false }],
  ['<', { prec: 20, right: false }], ['>', { prec: 20, right: false }],
  ['<=', { prec: 20, right: false }], ['>=', { prec: 20, right: false }],
  ['in', { prec: 20, right: false }], ['matches', { prec: 20, right: false }],
  ['contains', { prec: 20, right: false }], ['startsWith', { prec: 20, right: false }],
  ['endsWith', { prec: 20, right: false }],
  ['..', { prec: 25, right: false }],
  ['+', { prec: 30, right: false }], ['-', { prec: 30, right: false }],
  ['*', { prec: 60, right: false }], ['/', { prec: 60, right: false }], ['%', { prec: 60, right: false }],
  ['**', { prec: 100, right: true }], ['^', { prec: 100, right: true }],
  ['??', { prec: 500, right: false }],
]);

const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);

const UNARY_PREC: Readonly<Record<string, number>> = { not: 50, '!': 50, '-': 90, '+': 90 };

/** Builtins whose second argument is a predicate (closure). */
export const PREDICATE_BUILTINS: ReadonlySet<string> = new Set([
  'all', 'none', 'any', 'one', 'filter', 'map', 'count', 'find', 'findIndex', 'findLast', 'findLastIndex',
  'groupBy', 'reduce',
]);

export interface ParsedTree {
  readonly root: Node;
  readonly nodeCount: number;
}

export function parseTree(source: string, options: ParseOptions = {}): ParsedTree {
  const limits = { ...DEFAULT_PARSE_LIMITS, ...options.limits };
  if (source.length > limits.maxLength) {
    throw new ExprError({
      stage: 'limit',
      detail: `expression is too long: ${source.length} characters (the limit is ${limits.maxLength})`,
    });
  }
  const tokens = tokenize(source, { placeholders: options.placeholders ?? false });
  return new Parser(tokens, limits).parseProgram();
}

class Parser {
  private readonly tokens: Token[];
  private readonly limits: ParseLimits;
  private index = 0;
  private depth = 0;
  private closureDepth = 0;
  private nodeCount = 0;
  private readonly depths = new WeakMap<Node, number>();

  constructor(tokens: Token[], limits: ParseLimits) {
    this.tokens = tokens;
    this.limits = limits;
  }

  parseProgram(): ParsedTree {
    const root = this.parseExpression(0);
    const tok = this.peek();
    if (tok.kind !== 'eof') {
      this.unexpected(tok, tok.value === ';' ? 'end of expression (";" is only allowed in "let x = …; expr")'
        : 'an operator or end of expression');
    }
    return { root, nodeCount: this.nodeCount };
  }

  // ---- token helpers -------------------------------------------------------------------------------------

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }
  private advance(): Token {
    const tok = this.peek();
    if (tok.kind !== 'eof') this.index++;
    return tok;
  }
  private isOp(value: string, ahead = 0): boolean {
    const tok = this.peek(ahead);
    return tok.kind === 'op' && tok.value === value;
  }
  private expectOp(value: string): Token {
    const tok = this.peek();
    if (tok.kind !== 'op' || tok.value !== value) this.unexpected(tok, `"${value}"`);
    return this.advance();
  }

  private unexpected(tok: Token, expected: string): never {
    const detail = tok.kind === 'eof' ? 'unexpected end of expression' : `unexpected token ${JSON.stringify(tok.text)}`;
    throw new ExprError({ stage: 'syntax', detail, position: tok.pos, expected });
  }
  private fail(detail: string, pos: Position, expected?: string): never {
    throw new ExprError({ stage: 'syntax', detail, position: pos, expected });
  }

  /** Registers a new node, enforcing the node-count and tree-depth limits. */
  private node<T extends Node>(node: T, ...children: (Node | undefined)[]): T {
    this.nodeCount++;
    if (this.nodeCount > this.limits.maxNodes) {
      throw new ExprError({
        stage: 'limit',
        detail: `expression is too large: more than ${this.limits.maxNodes} syntax nodes`,
        position: node.pos,
      });
    }
    let depth = 1;
    for (const child of children) {
      if (child) depth = Math.max(depth, (this.depths.get(child) ?? 1) + 1);
    }
    if (depth > this.limits.maxDepth) this.tooDeep(node.pos);
    this.depths.set(node, depth);
    return node;
  }
  private tooDeep(pos: Position): never {
    throw new ExprError({
      stage: 'limit',
      detail: `expression is nested too deeply (the limit is ${this.limits.maxDepth} levels)`,
      position: pos,
    });
  }

  // ---- expressions ---------------------------------------------------------------------------------------

  private parseExpression(minPrec: number): Node {
    if (++this.depth > this.limits.maxDepth) this.tooDeep(this.peek().pos);
    try {
      if (minPrec === 0 && this.isOp('let')) return this.parseLet();
      let left = this.parseUnary();
      let coalesced = false;
      for (;;) {
        const tok = this.peek();
        if (tok.kind !== 'op') break;
        let op = tok.value;
        let negated = false;
        if (op === 'not') {
          const following = this.peek(1);
          if (following.kind !== 'op' || !NEGATABLE.has(following.value)) break;
          op = following.value;
          negated = true;
        }
        const info = BINARY.get(op);
        if (!info || info.prec < minPrec) break;
        if (coalesced && op !== '??') {
          this.fail(`Operator (${negated ? 'not ' : ''}${op}) and coalesce expressions (??) cannot be mixed. ` +
            'Wrap either by parentheses.', tok.pos);
        }
        this.advance();
        if (negated) this.advance();
        if (op === '|') {
          left = this.parsePipe(left);
          continue;
        }
        const right = this.parseExpression(info.right ? info.prec : info.prec + 1);
        left = this.node({ kind: 'binary', op: op as BinaryOperator, left, right, pos: tok.pos }, left, right);
        if (negated) left = this.node({ kind: 'unary', op: 'not', operand: left, pos: tok.pos }, left);
        if (op === '??') coalesced = true;
      }
      if (minPrec === 0) left = this.parseTernaryTail(left);
      return left;
    } finally {
      this.depth--;
    }
  }

  private parseLet(): Node {
    const letTok = this.advance();
    const nameTok = this.peek();
    if (nameTok.kind !== 'ident') this.unexpected(nameTok, 'a variable name');
    this.advance();
    this.expectOp('=');
    const value = this.parseExpression(0);
    this.expectOp(';');
    const body = this.parseExpression(0);
    return this.node({ kind: 'let', name: nameTok.value, value, body, pos: letTok.pos }, value, body);
  }

  private parseTernaryTail(test: Node): Node {
    let node = test;
    while (this.isOp('?')) {
      const q = this.advance();
      if (this.isOp(':')) {
        this.advance();
        const alternate = this.parseExpression(0);
        node = this.node({ kind: 'conditional', test: node, consequent: undefined, alternate, pos: q.pos },
          node, alternate);
      } else {
        const consequent = this.parseExpression(0);
        this.expectOp(':');
        const alternate = this.parseExpression(0);
        node = this.node({ kind: 'conditional', test: node, consequent, alternate, pos: q.pos },
          node, consequent, alternate);
      }
    }
    return node;
  }

  private parseUnary(): Node {
    const tok = this.peek();
    if (tok.kind === 'op' && UNARY_PREC[tok.value] !== undefined) {
      this.advance();
      const operand = this.parseExpression(UNARY_PREC[tok.value]!);
      return this.node({ kind: 'unary', op: tok.value as UnaryOperator, operand, pos: tok.pos }, operand);
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): Node {
    const tok = this.peek();
    switch (tok.kind) {
      case 'int': {
        this.advance();
        return this.node({ kind: 'int', value: this.intValue(tok), pos: tok.pos });
      }
      case 'float': {
        this.advance();
        const value = Number(tok.value);
        if (!Number.isFinite(value)) {
          this.fail(`invalid float literal: ${JSON.stringify(tok.text)} is out of range`, tok.pos);
        }
        return this.node({ kind: 'float', value, pos: tok.pos });
      }
      case 'string':
        this.advance();
        return this.node({ kind: 'string', value: tok.value, pos: tok.pos });
      case 'placeholder':
        this.advance();
        return this.node({ kind: 'placeholder', text: tok.value, pos: tok.pos });
      case 'pointer':
        this.advance();
        if (this.closureDepth === 0) this.fail('cannot use pointer accessor outside closure', tok.pos);
        return this.node({ kind: 'pointer', name: tok.value, pos: tok.pos });
      case 'ident':
        return this.parseIdentifier();
      case 'op':
        break;
      default:
        this.unexpected(tok, 'an operand');
    }
    switch (tok.value) {
      case '(': {
        this.advance();
        const inner = this.parseExpression(0);
        this.expectOp(')');
        return inner;
      }
      case '[':
        return this.parseArray();
      case '{':
        if (this.isOp('{', 1)) {
          this.unexpected(tok, 'an operand ("{{…}}" placeholders must be substituted before the condition is parsed)');
        }
        return this.parseMap();
      case '.': {
        // `.field` inside a predicate means `#.field`.
        this.advance();
        if (this.closureDepth === 0) this.fail('cannot use pointer accessor outside closure', tok.pos);
        const element = this.node({ kind: 'pointer', name: '', pos: tok.pos });
        return this.parseMemberName(element, tok, false);
      }
    }
    if (NEGATABLE.has(tok.value) && this.isOp('(', 1)) {
      this.unexpected(tok, `an operand ("${tok.value}" is an operator: write "a ${tok.value} b")`);
    }
    this.unexpected(tok, 'an operand');
  }

  private intValue(tok: Token): bigint {
    const value = BigInt(tok.value);
    if (value > 0x7fffffffffffffffn) {
      this.fail(`invalid integer literal: ${JSON.stringify(tok.text)} is out of range for a 64-bit integer`,
        tok.pos);
    }
    return value;
  }

  private parseIdentifier(): Node {
    const tok = this.advance();
    switch (tok.value) {
      case 'true': return this.node({ kind: 'bool', value: true, pos: tok.pos });
      case 'false': return this.node({ kind: 'bool', value: false, pos: tok.pos });
      case 'nil': return this.node({ kind: 'nil', pos: tok.pos });
    }
    if (this.isOp('(')) return this.parseCall(tok, undefined);
    return this.node({ kind: 'ident', name: tok.value, pos: tok.pos });
  }

  /** `name(args)`; with `piped`, the value left of `|` becomes the first argument. */
  private parseCall(nameTok: Token, piped: Node | undefined): Node {
    this.expectOp('(');
    const args: Node[] = piped ? [piped] : [];
    if (PREDICATE_BUILTINS.has(nameTok.value)) {
      if (!piped) {
        args.push(this.parseExpression(0));
        this.expectOp(',');
      }
      args.push(this.parseClosure());
      if (nameTok.value === 'reduce' && this.isOp(',')) {
        this.advance();
        args.push(this.parseExpression(0));
      }
    } else if (!this.isOp(')')) {
      args.push(this.parseExpression(0));
      while (this.isOp(',')) {
        this.advance();
        args.push(this.parseExpression(0));
      }
    }
    this.expectOp(')');
    return this.node({ kind: 'call', callee: nameTok.value, args, pos: nameTok.pos }, ...args);
  }

  private parseClosure(): ClosureNode {
    const start = this.peek();
    this.closureDepth++;
    try {
      let body: Node;
      if (this.isOp('{')) {
        this.advance();
        body = this.parseExpression(0);
        this.expectOp('}');
      } else {
        body = this.parseExpression(0);
      }
      return this.node({ kind: 'closure', body, pos: start.pos }, body);
    } finally {
      this.closureDepth--;
    }
  }

  private parsePipe(left: Node): Node {
    const nameTok = this.peek();
    if (nameTok.kind !== 'ident') this.unexpected(nameTok, 'a function call after "|"');
    this.advance();
    if (!this.isOp('(')) this.unexpected(this.peek(), `"(" (a pipe must call a function: x | ${nameTok.value}())`);
    return this.parseCall(nameTok, left);
  }

  private parseArray(): Node {
    const open = this.advance();
    const elements: Node[] = [];
    while (!this.isOp(']')) {
      elements.push(this.parseExpression(0));
      if (!this.isOp(',')) break;
      this.advance();
    }
    if (!this.isOp(']')) this.unexpected(this.peek(), '"," or "]"');
    this.advance();
    return this.node({ kind: 'array', elements, pos: open.pos }, ...elements);
  }

  private parseMap(): Node {
    const open = this.advance();
    const entries: MapEntry[] = [];
    const children: Node[] = [];
    while (!this.isOp('}')) {
      const keyTok = this.peek();
      let key: Node;
      if (keyTok.kind === 'ident' || keyTok.kind === 'int' || keyTok.kind === 'float' ||
          (keyTok.kind === 'op' && WORD_OPERATORS.has(keyTok.value))) {
        this.advance();
        key = this.node({ kind: 'string', value: keyTok.text, pos: keyTok.pos });
      } else if (keyTok.kind === 'string') {
        this.advance();
        key = this.node({ kind: 'string', value: keyTok.value, pos: keyTok.pos });
      } else if (keyTok.kind === 'op' && keyTok.value === '(') {
        this.advance();
        key = this.parseExpression(0);
        this.expectOp(')');
      } else {
        this.unexpected(keyTok, 'a map key (a name, a string, a number or a parenthesized expression)');
      }
      this.expectOp(':');
      const value = this.parseExpression(0);
      entries.push({ key, value });
      children.push(key, value);
      if (!this.isOp(',')) break;
      this.advance();
    }
    if (!this.isOp('}')) this.unexpected(this.peek(), '"," or "}"');
    this.advance();
    return this.node({ kind: 'map', entries, pos: open.pos }, ...children);
  }

  // ---- postfix: .name ?.name [index] [from:to] --------------------------------------------------------------

  private parsePostfix(start: Node): Node {
    let node = start;
    let optionalChain = false;
    for (;;) {
      const tok = this.peek();
      if (tok.kind !== 'op') break;
      if (tok.value === '.' || tok.value === '?.') {
        this.advance();
        const optional = tok.value === '?.';
        if (optional) {
          optionalChain = true;
          if (this.isOp('[')) this.unexpected(this.peek(), 'a name ("?.[" is not supported; use "?.name")');
        }
        node = this.parseMemberName(node, tok, optional);
        continue;
      }
      if (tok.value === '[') {
        this.advance();
        node = this.parseIndexOrSlice(node, tok);
        continue;
      }
      break;
    }
    if (optionalChain) node = this.node({ kind: 'chain', expression: node, pos: start.pos }, node);
    return node;
  }

  private parseMemberName(object: Node, dotTok: Token, optional: boolean): MemberNode {
    const nameTok = this.peek();
    if (nameTok.kind !== 'ident' && !(nameTok.kind === 'op' && WORD_OPERATORS.has(nameTok.value))) {
      this.unexpected(nameTok, 'a name');
    }
    this.advance();
    if (this.isOp('(')) {
      this.fail('method calls are not supported', nameTok.pos,
        'a field name (call a builtin function instead, for example len(x))');
    }
    const property = this.node({ kind: 'string', value: nameTok.value, pos: nameTok.pos });
    return this.node(
      { kind: 'member', object, property, optional, dotted: true, pos: dotTok.pos }, object, property);
  }

  private parseIndexOrSlice(object: Node, open: Token): Node {
    if (this.isOp(':')) {
      this.advance();
      const to = this.isOp(']') ? undefined : this.parseExpression(0);
      this.expectOp(']');
      return this.node({ kind: 'slice', object, from: undefined, to, pos: open.pos }, object, to);
    }
    const index = this.parseExpression(0);
    if (this.isOp(':')) {
      this.advance();
      const to = this.isOp(']') ? undefined : this.parseExpression(0);
      this.expectOp(']');
      return this.node({ kind: 'slice', object, from: index, to, pos: open.pos }, object, index, to);
    }
    if (!this.isOp(']')) this.unexpected(this.peek(), '"]"');
    this.advance();
    return this.node({ kind: 'member', object, property: index, optional: false, dotted: false, pos: open.pos },
      object, index);
  }
}
