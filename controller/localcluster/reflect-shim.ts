// @peculiar/x509 2.x loads tsyringe, which refuses to start without the `reflect-metadata`
// polyfill (not a dependency of this project). It only needs three functions of that API,
// for its own decorator bookkeeping; this installs a small, faithful WeakMap-backed version
// of them when no polyfill is present. Import it before @peculiar/x509.
type Store = WeakMap<object, Map<unknown, unknown>>;

interface ReflectMetadata {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
}

const reflect = Reflect as unknown as ReflectMetadata;
if (typeof reflect.getMetadata !== 'function') {
  const store: Store = new WeakMap();
  const own = (key: unknown, target: object): unknown => store.get(target)?.get(key);
  reflect.getOwnMetadata = own;
  reflect.defineMetadata = (key, value, target) => {
    let map = store.get(target);
    if (!map) store.set(target, (map = new Map()));
    map.set(key, value);
  };
  reflect.getMetadata = (key, target) => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
      const map = store.get(t);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  };
}

export {};
