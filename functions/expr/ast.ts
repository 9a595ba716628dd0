// The syntax tree of a condition. Every node records where it starts in the source.

import type { Position } from './errors.ts';

export type BinaryOperator =
  | 'or' | '||' | 'and' | '&&'
  | '==' | '!=' | '<' | '>' | '<=' | '>='
  | 'in' | 'matches' | 'contains' | 'startsWith' | 'endsWith'
  | '..' | '+' | '-' | '*' | '/' | '%' | '**' | '^' | '??';

export type UnaryOperator = 'not' | '!' | '-' | '+';

interface Base { readonly pos: Position }

export interface NilNode extends Base { readonly kind: 'nil' }
export interface BoolNode extends Base { readonly kind: 'bool'; readonly value: boolean }
/** An integer literal: a signed 64-bit value. */
export interface IntNode extends Base { readonly kind: 'int'; readonly value: bigint }
export interface FloatNode extends Base { readonly kind: 'float'; readonly value: number }
export interface StringNode extends Base { readonly kind: 'string'; readonly value: string }
export interface IdentNode extends Base { readonly kind: 'ident'; readonly name: string }
/** `#` (name ''), `#index`, `#acc` inside a predicate. */
export interface PointerNode extends Base { readonly kind: 'pointer'; readonly name: string }
/** An unsubstituted `{{args.x}}`, only when parsing with placeholders allowed (admission-time linting). */
export interface PlaceholderNode extends Base { readonly kind: 'placeholder'; readonly text: string }
export interface UnaryNode extends Base { readonly kind: 'unary'; readonly op: UnaryOperator; readonly operand: Node }
export interface BinaryNode extends Base {
  readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Node; readonly right: Node;
}
/** `object.name`, `object?.name`, `object[index]`. */
export interface MemberNode extends Base {
  readonly kind: 'member'; readonly object: Node; readonly property: Node; readonly optional: boolean;
  /** True when written `.name` (the property is then a string literal). */
  readonly dotted: boolean;
}
/** The end of a `?.` chain: a nil short-circuited anywhere inside makes the whole chain nil. */
export interface ChainNode extends Base { readonly kind: 'chain'; readonly expression: Node }
export interface SliceNode extends Base {
  readonly kind: 'slice'; readonly object: Node; readonly from: Node | undefined; readonly to: Node | undefined;
}
export interface CallNode extends Base { readonly kind: 'call'; readonly callee: string; readonly args: readonly Node[] }
/** The predicate argument of all/any/filter/map/…: evaluated once per element. */
export interface ClosureNode extends Base { readonly kind: 'closure'; readonly body: Node }
export interface ArrayNode extends Base { readonly kind: 'array'; readonly elements: readonly Node[] }
export interface MapEntry { readonly key: Node; readonly value: Node }
export interface MapNode extends Base { readonly kind: 'map'; readonly entries: readonly MapEntry[] }
/** `test ? consequent : alternate`; `test ?: alternate` has no consequent (the test's value is used). */
export interface ConditionalNode extends Base {
  readonly kind: 'conditional'; readonly test: Node; readonly consequent: Node | undefined; readonly alternate: Node;
}
export interface LetNode extends Base {
  readonly kind: 'let'; readonly name: string; readonly value: Node; readonly body: Node;
}

export type Node =
  | NilNode | BoolNode | IntNode | FloatNode | StringNode | IdentNode | PointerNode | PlaceholderNode
  | UnaryNode | BinaryNode | MemberNode | ChainNode | SliceNode | CallNode | ClosureNode
  | ArrayNode | MapNode | ConditionalNode | LetNode;

/** The direct children of a node, in evaluation order. */
export function childrenOf(node: Node): Node[] {
  switch (node.kind) {
    case 'unary': return [node.operand];
    case 'binary': return [node.left, node.right];
    case 'member': return [node.object, node.property];
    case 'chain': return [node.expression];
    case 'slice': return [node.object, ...(node.from ? [node.from] : []), ...(node.to ? [node.to] : [])];
    case 'call': return [...node.args];
    case 'closure': return [node.body];
    case 'array': return [...node.elements];
    case 'map': return node.entries.flatMap((e) => [e.key, e.value]);
    case 'conditional':
      return [node.test, ...(node.consequent ? [node.consequent] : []), node.alternate];
    case 'let': return [node.value, node.body];
    default: return [];
  }
}
