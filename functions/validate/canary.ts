// spec.strategy.canary, apart from its steps: surge budget, services, ping-pong, and the fields
// that only make sense with traffic routing.
import { type FieldError, forbiddenError, invalidError, notSupportedError, requiredError } from '../api/index.ts';
import { IntOrPercent } from '../values/int-or-percent.ts';
import { ValueParseError } from '../values/value-parse-error.ts';
import { validateAntiAffinity } from './anti-affinity.ts';
import { validateCanarySteps } from './canary-steps.ts';
import { child } from './field-path.ts';
import { validateMetadataMaps } from './labels.ts';
import { checkBetween, checkNonNegative } from './numbers.ts';
import { type Obj, int, isSet, nonEmpty, obj, str } from './read.ts';
import { validateRolloutAnalysis } from './rollout-analysis.ts';
import { checkServiceName } from './services.ts';
import { type Router, describeRouters, routersOf, validateTrafficRouting } from './traffic-routing.ts';

const PING_PONG_ROUTERS: readonly Router[] = ['alb', 'istio', 'plugins'];
const REPLICA_PROGRESS_TYPES = ['Percent', 'Pods'] as const;

export function validateCanaryStrategy(errors: FieldError[], canary: Obj, path: string): void {
  const trafficRouting = obj(canary['trafficRouting']);
  const routingPath = child(path, 'trafficRouting');
  const routers = routersOf(trafficRouting);

  checkSurgeAndUnavailable(errors, canary, path);

  const canaryService = nonEmpty(canary['canaryService']);
  const stableService = nonEmpty(canary['stableService']);
  checkServiceName(errors, canaryService, child(path, 'canaryService'));
  checkServiceName(errors, stableService, child(path, 'stableService'));
  if (canaryService !== undefined && canaryService === stableService) {
    errors.push(
      invalidError(child(path, 'stableService'), stableService, 'must differ from canaryService: the stable and canary pods need two different Services'),
    );
  }

  validatePingPong(errors, canary, path, trafficRouting, routers);

  if (requiresCanaryAndStableServices(canary, trafficRouting, routers)) {
    const needing = [...routers].filter((r) => r !== 'plugins').join(', ');
    for (const [field, value] of [['stableService', stableService], ['canaryService', canaryService]] as const) {
      if (value === undefined) {
        errors.push(
          requiredError(child(path, field), `traffic routing with ${needing} needs both canaryService and stableService to split traffic between`),
        );
      }
    }
  }

  if (trafficRouting === undefined) {
    if (isSet(canary['scaleDownDelaySeconds'])) {
      errors.push(
        forbiddenError(child(path, 'scaleDownDelaySeconds'), `only used with ${routingPath}; a basic canary scales the old pods down as it goes`),
      );
    }
    if (canary['dynamicStableScale'] === true) {
      errors.push(forbiddenError(child(path, 'dynamicStableScale'), `only used with ${routingPath}; a basic canary always scales the stable down`));
    }
  } else {
    validateTrafficRouting(errors, trafficRouting, routingPath);
    if (isSet(canary['scaleDownDelaySeconds']) && canary['dynamicStableScale'] === true) {
      errors.push(
        forbiddenError(
          child(path, 'dynamicStableScale'),
          'cannot be combined with scaleDownDelaySeconds: dynamicStableScale scales the stable down while traffic moves, so there is nothing left to delay',
        ),
      );
    }
  }

  checkNonNegative(errors, canary['scaleDownDelaySeconds'], child(path, 'scaleDownDelaySeconds'));
  checkNonNegative(errors, canary['scaleDownDelayRevisionLimit'], child(path, 'scaleDownDelayRevisionLimit'));
  checkNonNegative(errors, canary['abortScaleDownDelaySeconds'], child(path, 'abortScaleDownDelaySeconds'));
  checkNonNegative(errors, canary['minPodsPerReplicaSet'], child(path, 'minPodsPerReplicaSet'));
  validateReplicaProgressThreshold(errors, canary['replicaProgressThreshold'], child(path, 'replicaProgressThreshold'));

  validateMetadataMaps(errors, canary['canaryMetadata'], child(path, 'canaryMetadata'));
  validateMetadataMaps(errors, canary['stableMetadata'], child(path, 'stableMetadata'));
  validateRolloutAnalysis(errors, canary['analysis'], child(path, 'analysis'), true);
  validateAntiAffinity(errors, canary['antiAffinity'], child(path, 'antiAffinity'));

  const maxTrafficWeight = int(trafficRouting?.['maxTrafficWeight']);
  validateCanarySteps(errors, canary['steps'], {
    canaryPath: path,
    trafficRouting,
    routers,
    maxWeight: maxTrafficWeight !== undefined && maxTrafficWeight >= 1 ? maxTrafficWeight : 100,
  });
}

/** Both may be given as int (pods) or string (percent); both zero would leave no room to move. */
function checkSurgeAndUnavailable(errors: FieldError[], canary: Obj, path: string): void {
  const parsed: Partial<Record<'maxSurge' | 'maxUnavailable', IntOrPercent>> = {};
  for (const field of ['maxSurge', 'maxUnavailable'] as const) {
    const value = canary[field];
    if (typeof value !== 'number' && typeof value !== 'string') continue;
    try {
      parsed[field] = IntOrPercent.parse(value);
    } catch (e) {
      if (!(e instanceof ValueParseError)) throw e;
      errors.push(invalidError(child(path, field), value, e.detail));
    }
  }
  if (parsed.maxSurge?.isZero() === true && parsed.maxUnavailable?.isZero() === true) {
    errors.push(
      invalidError(
        child(path, 'maxUnavailable'),
        canary['maxUnavailable'],
        'maxSurge and maxUnavailable cannot both be zero: the update could neither add a pod nor remove one; raise either',
      ),
    );
  }
}

function validatePingPong(errors: FieldError[], canary: Obj, path: string, trafficRouting: Obj | undefined, routers: ReadonlySet<Router>): void {
  const pingPong = obj(canary['pingPong']);
  if (pingPong === undefined) return;
  const pingPongPath = child(path, 'pingPong');
  if (!PING_PONG_ROUTERS.some((router) => routers.has(router))) {
    errors.push(
      forbiddenError(
        pingPongPath,
        `ping-pong needs traffic routing with alb, istio or a plugin (configured: ${trafficRouting === undefined ? 'no trafficRouting' : describeRouters(routers)})`,
      ),
    );
  }
  const ping = nonEmpty(pingPong['pingService']);
  const pong = nonEmpty(pingPong['pongService']);
  for (const [field, value] of [['pingService', ping], ['pongService', pong]] as const) {
    if (value === undefined) {
      errors.push(requiredError(child(pingPongPath, field), 'ping-pong needs both pingService and pongService'));
    }
    checkServiceName(errors, value, child(pingPongPath, field));
  }
  if (ping !== undefined && ping === pong) {
    errors.push(invalidError(child(pingPongPath, 'pongService'), pong, 'must differ from pingService: ping-pong alternates between two different Services'));
  }
  const alb = obj(trafficRouting?.['alb']);
  if (alb !== undefined && nonEmpty(alb['rootService']) === undefined) {
    errors.push(requiredError(child(child(child(path, 'trafficRouting'), 'alb'), 'rootService'), 'the alb router with ping-pong needs the root Service the ingress points at'));
  }
}

/**
 * Routers that split traffic between two Services. Istio with a DestinationRule splits by
 * subsets, ALB or Istio with ping-pong alternate the ping/pong Services, and plugins decide
 * for themselves.
 */
function requiresCanaryAndStableServices(canary: Obj, trafficRouting: Obj | undefined, routers: ReadonlySet<Router>): boolean {
  if (trafficRouting === undefined) return false;
  const pingPong = isSet(canary['pingPong']);
  const istio = obj(trafficRouting['istio']);
  return (
    (routers.has('alb') && !pingPong) ||
    (istio !== undefined && !isSet(istio['destinationRule']) && !pingPong) ||
    (['smi', 'apisix', 'ambassador', 'nginx', 'appMesh', 'traefik'] as const).some((r) => routers.has(r))
  );
}

function validateReplicaProgressThreshold(errors: FieldError[], threshold: unknown, path: string): void {
  const t = obj(threshold);
  if (t === undefined) return;
  const type = str(t['type']);
  if (type !== undefined && !(REPLICA_PROGRESS_TYPES as readonly string[]).includes(type)) {
    errors.push(notSupportedError(child(path, 'type'), type, REPLICA_PROGRESS_TYPES));
  }
  if (type === 'Percent') checkBetween(errors, t['value'], child(path, 'value'), 0, 100);
  else checkNonNegative(errors, t['value'], child(path, 'value'));
}
