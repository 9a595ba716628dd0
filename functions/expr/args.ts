// `{{args.name}}` placeholders, substituted textually before parsing, as Argo does when it creates an AnalysisRun.

import { ExprError } from './errors.ts';

const PLACEHOLDER = /\{\{([^{}\n]*)\}\}/g;

/**
 * Replaces every `{{args.name}}` (spaces inside the braces allowed) by the argument's value. Throws ExprError
 * naming the first placeholder without a value. Other `{{…}}` tags are left as they are.
 */
export function substituteArgs(source: string, args: Readonly<Record<string, string>>): string {
  return source.replace(PLACEHOLDER, (whole, inner: string) => {
    const tag = inner.trim();
    if (!tag.startsWith('args.')) return whole;
    const name = tag.slice('args.'.length);
    if (!Object.hasOwn(args, name) || typeof args[name] !== 'string') {
      throw new ExprError({ stage: 'syntax', detail: `failed to resolve {{${tag}}}: no argument named "${name}"` });
    }
    return args[name];
  });
}

/** The names of the arguments a condition refers to, in order of first use. */
export function referencedArgs(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(PLACEHOLDER)) {
    const tag = m[1]!.trim();
    if (tag.startsWith('args.') && !names.includes(tag.slice(5))) names.push(tag.slice(5));
  }
  return names;
}
