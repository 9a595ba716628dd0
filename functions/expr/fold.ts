// The one optimisation of expr's optimizer that changes results (reference §3.5): boolean literals fold away the
// other operand of and/or without evaluating it. `X || true` is true even when X would fail; `X && true` is X
// itself, unchecked. Runs after type checking, before evaluation.

import type { Node } from './ast.ts';

export interface FoldedTree {
  readonly root: Node;
  /** For every rebuilt node, the parsed node it stands for (whose static type it shares). */
  readonly origins: ReadonlyMap<Node, Node>;
}

export function foldBooleans(root: Node): FoldedTree {
  const origins = new Map<Node, Node>();
  const bool = (value: boolean, like: Node): Node => ({ kind: 'bool', value, pos: like.pos });
  const isBool = (n: Node, value: boolean): boolean => n.kind === 'bool' && n.value === value;
  const rebuilt = <T extends Node>(original: T, copy: T): T => {
    origins.set(copy, origins.get(original) ?? original);
    return copy;
  };

  const fold = (node: Node): Node => {
    switch (node.kind) {
      case 'binary': {
        const left = fold(node.left);
        const right = fold(node.right);
        if (node.op === 'and' || node.op === '&&') {
          if (isBool(right, false) || isBool(left, false)) return bool(false, node);
          if (isBool(right, true)) return left;
          if (isBool(left, true)) return right;
        } else if (node.op === 'or' || node.op === '||') {
          if (isBool(right, true) || isBool(left, true)) return bool(true, node);
          if (isBool(right, false)) return left;
          if (isBool(left, false)) return right;
        }
        return left === node.left && right === node.right ? node : rebuilt(node, { ...node, left, right });
      }
      case 'unary': {
        const operand = fold(node.operand);
        if ((node.op === 'not' || node.op === '!') && operand.kind === 'bool') return bool(!operand.value, node);
        return operand === node.operand ? node : rebuilt(node, { ...node, operand });
      }
      case 'member': {
        const object = fold(node.object);
        const property = fold(node.property);
        return object === node.object && property === node.property ? node : rebuilt(node, { ...node, object, property });
      }
      case 'chain': {
        const expression = fold(node.expression);
        return expression === node.expression ? node : rebuilt(node, { ...node, expression });
      }
      case 'slice': {
        const object = fold(node.object);
        const from = node.from && fold(node.from);
        const to = node.to && fold(node.to);
        return object === node.object && from === node.from && to === node.to ? node
          : rebuilt(node, { ...node, object, from, to });
      }
      case 'call': {
        const args = node.args.map(fold);
        return args.every((a, i) => a === node.args[i]) ? node : rebuilt(node, { ...node, args });
      }
      case 'closure': {
        const body = fold(node.body);
        return body === node.body ? node : rebuilt(node, { ...node, body });
      }
      case 'array': {
        const elements = node.elements.map(fold);
        return elements.every((e, i) => e === node.elements[i]) ? node : rebuilt(node, { ...node, elements });
      }
      case 'map': {
        const entries = node.entries.map((e) => ({ key: fold(e.key), value: fold(e.value) }));
        return entries.every((e, i) => e.key === node.entries[i]!.key && e.value === node.entries[i]!.value) ? node
          : rebuilt(node, { ...node, entries });
      }
      case 'conditional': {
        const test = fold(node.test);
        const consequent = node.consequent && fold(node.consequent);
        const alternate = fold(node.alternate);
        return test === node.test && consequent === node.consequent && alternate === node.alternate ? node
          : rebuilt(node, { ...node, test, consequent, alternate });
      }
      case 'let': {
        const value = fold(node.value);
        const body = fold(node.body);
        return value === node.value && body === node.body ? node : rebuilt(node, { ...node, value, body });
      }
      default:
        return node;
    }
  };
  return { root: fold(root), origins };
}
