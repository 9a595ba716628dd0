// Building Kubernetes-style field paths: `spec.strategy.canary.steps[2].setWeight`, map keys in
// brackets (`metadata.labels[app]`).

export function child(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

export function key(path: string, mapKey: string): string {
  return `${path}[${mapKey}]`;
}
