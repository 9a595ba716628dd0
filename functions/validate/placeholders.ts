// `{{…}}` placeholders, substituted into analysis metrics (`{{args.NAME}}`) and experiment
// analysis arguments (`{{templates.NAME.podTemplateHash}}`, …) before use.

const PLACEHOLDER = /\{\{([^{}\n]*)\}\}/g;

export function hasPlaceholder(text: string): boolean {
  return /\{\{[^{}\n]*\}\}/.test(text);
}

/** The trimmed text of every placeholder in `text`, in order. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!.trim());
}
