// spec.strategy.canary.trafficRouting: which routers are configured, and each router's own
// exactly-one-of rules (they need no lookup, so they are errors, not reference warnings).
import { type FieldError, duplicateError, invalidError, requiredError, forbiddenError } from '../api/index.ts';
import { child, index } from './field-path.ts';
import { checkBetween } from './numbers.ts';
import { type Obj, int, isSet, list, nonEmpty, obj, str } from './read.ts';

export const ROUTERS = ['istio', 'nginx', 'alb', 'smi', 'ambassador', 'appMesh', 'traefik', 'apisix', 'plugins'] as const;
export type Router = (typeof ROUTERS)[number];

/** The routers a trafficRouting block configures; `plugins` counts when it names at least one plugin. */
export function routersOf(trafficRouting: Obj | undefined): Set<Router> {
  const routers = new Set<Router>();
  if (trafficRouting === undefined) return routers;
  for (const router of ROUTERS) {
    if (router === 'plugins') {
      const plugins = obj(trafficRouting['plugins']);
      if (plugins !== undefined && Object.keys(plugins).length > 0) routers.add(router);
    } else if (isSet(trafficRouting[router])) {
      routers.add(router);
    }
  }
  return routers;
}

export function describeRouters(routers: ReadonlySet<Router>): string {
  return routers.size === 0 ? 'none' : [...routers].join(', ');
}

export function validateTrafficRouting(errors: FieldError[], trafficRouting: Obj, path: string): void {
  const routers = routersOf(trafficRouting);
  if (routers.size === 0) {
    errors.push(
      requiredError(path, `name a traffic router: one of ${ROUTERS.join(', ')}; without one no traffic is shifted (remove trafficRouting for a basic canary)`),
    );
  }

  const maxPath = child(path, 'maxTrafficWeight');
  const max = int(trafficRouting['maxTrafficWeight']);
  if (max !== undefined) {
    if (!routers.has('nginx') && !routers.has('plugins')) {
      errors.push(forbiddenError(maxPath, `only the nginx and plugin traffic routers support a maxTrafficWeight (configured: ${describeRouters(routers)})`));
    }
    if (max < 1) errors.push(invalidError(maxPath, max, 'must be at least 1'));
  }

  const istio = obj(trafficRouting['istio']);
  if (istio !== undefined) {
    exactlyOne(errors, istio, child(path, 'istio'), 'virtualService', 'virtualServices');
    const rule = obj(istio['destinationRule']);
    const canarySubset = nonEmpty(rule?.['canarySubsetName']);
    if (canarySubset !== undefined && canarySubset === nonEmpty(rule?.['stableSubsetName'])) {
      errors.push(
        invalidError(
          child(child(child(path, 'istio'), 'destinationRule'), 'stableSubsetName'),
          canarySubset,
          'must differ from canarySubsetName; the stable and canary subsets must be two different subsets',
        ),
      );
    }
  }
  const nginx = obj(trafficRouting['nginx']);
  if (nginx !== undefined) exactlyOne(errors, nginx, child(path, 'nginx'), 'stableIngress', 'stableIngresses');
  const alb = obj(trafficRouting['alb']);
  if (alb !== undefined) {
    exactlyOne(errors, alb, child(path, 'alb'), 'ingress', 'ingresses');
    checkBetween(errors, alb['servicePort'], child(child(path, 'alb'), 'servicePort'), 1, 65535);
  }
  const ambassador = obj(trafficRouting['ambassador']);
  if (ambassador !== undefined && Array.isArray(ambassador['mappings']) && ambassador['mappings'].length === 0) {
    errors.push(requiredError(child(child(path, 'ambassador'), 'mappings'), 'name at least one Ambassador Mapping'));
  }
  const appMesh = obj(trafficRouting['appMesh']);
  if (appMesh !== undefined && !isSet(appMesh['virtualService'])) {
    errors.push(requiredError(child(child(path, 'appMesh'), 'virtualService'), 'the App Mesh virtual service whose router is updated'));
  }
  const traefik = obj(trafficRouting['traefik']);
  if (traefik !== undefined && traefik['weightedTraefikServiceName'] === '') {
    errors.push(requiredError(child(child(path, 'traefik'), 'weightedTraefikServiceName'), 'the weighted TraefikService to update'));
  }
  const apisix = obj(trafficRouting['apisix']);
  if (apisix !== undefined && !isSet(apisix['route'])) {
    errors.push(requiredError(child(child(path, 'apisix'), 'route'), 'the APISIX route to update'));
  }

  const seen = new Map<string, string>();
  list(trafficRouting['managedRoutes']).forEach((route, i) => {
    const r = obj(route);
    const namePath = child(index(child(path, 'managedRoutes'), i), 'name');
    const name = str(r?.['name']);
    if (name === '') errors.push(requiredError(namePath, 'the name steps use in setHeaderRoute or setMirrorRoute'));
    if (name === undefined || name === '') return;
    const first = seen.get(name);
    if (first !== undefined) errors.push(duplicateError(namePath, name, `route "${name}" is already listed at ${first}`));
    else seen.set(name, index(child(path, 'managedRoutes'), i));
  });
}

/** Exactly one of a single-object field and its list form (a list counts when non-empty). */
function exactlyOne(errors: FieldError[], router: Obj, path: string, single: string, plural: string): void {
  const hasSingle = single === 'virtualService' ? isSet(router[single]) : nonEmpty(router[single]) !== undefined;
  const hasPlural = list(router[plural]).length > 0;
  if (hasSingle && hasPlural) {
    errors.push(invalidError(path, { [single]: router[single], [plural]: router[plural] }, `set either ${single} or ${plural}, not both`));
  } else if (!hasSingle && !hasPlural) {
    errors.push(requiredError(child(path, single), `set ${single} (one) or ${plural} (a list)`));
  }
}
