// spec.strategy.blueGreen.
import { type FieldError, invalidError, requiredError } from '../api/index.ts';
import { IntOrPercent } from '../values/int-or-percent.ts';
import { ValueParseError } from '../values/value-parse-error.ts';
import { validateAntiAffinity } from './anti-affinity.ts';
import { child } from './field-path.ts';
import { validateMetadataMaps } from './labels.ts';
import { checkNonNegative } from './numbers.ts';
import { type Obj, int, nonEmpty } from './read.ts';
import { validateRolloutAnalysis } from './rollout-analysis.ts';
import { checkServiceName } from './services.ts';

export function validateBlueGreenStrategy(errors: FieldError[], blueGreen: Obj, path: string, revisionHistoryLimit: number): void {
  const active = nonEmpty(blueGreen['activeService']);
  const preview = nonEmpty(blueGreen['previewService']);
  if (active === undefined) {
    errors.push(requiredError(child(path, 'activeService'), 'the Service that sends production traffic to the promoted ReplicaSet'));
  }
  checkServiceName(errors, active, child(path, 'activeService'));
  checkServiceName(errors, preview, child(path, 'previewService'));
  if (active !== undefined && active === preview) {
    errors.push(
      invalidError(child(path, 'previewService'), preview, 'must differ from activeService: the preview and active Services must be two different Services'),
    );
  }

  const limit = int(blueGreen['scaleDownDelayRevisionLimit']);
  if (limit !== undefined && limit >= 0 && limit > revisionHistoryLimit) {
    errors.push(
      invalidError(
        child(path, 'scaleDownDelayRevisionLimit'),
        limit,
        `must not exceed spec.revisionHistoryLimit (${revisionHistoryLimit}): ReplicaSets waiting to scale down are part of the revision history`,
      ),
    );
  }
  for (const field of ['previewReplicaCount', 'autoPromotionSeconds', 'scaleDownDelaySeconds', 'scaleDownDelayRevisionLimit', 'abortScaleDownDelaySeconds']) {
    checkNonNegative(errors, blueGreen[field], child(path, field));
  }
  const maxUnavailable = blueGreen['maxUnavailable'];
  if (typeof maxUnavailable === 'number' || typeof maxUnavailable === 'string') {
    try {
      IntOrPercent.parse(maxUnavailable);
    } catch (e) {
      if (!(e instanceof ValueParseError)) throw e;
      errors.push(invalidError(child(path, 'maxUnavailable'), maxUnavailable, e.detail));
    }
  }
  validateMetadataMaps(errors, blueGreen['activeMetadata'], child(path, 'activeMetadata'));
  validateMetadataMaps(errors, blueGreen['previewMetadata'], child(path, 'previewMetadata'));
  validateRolloutAnalysis(errors, blueGreen['prePromotionAnalysis'], child(path, 'prePromotionAnalysis'));
  validateRolloutAnalysis(errors, blueGreen['postPromotionAnalysis'], child(path, 'postPromotionAnalysis'));
  validateAntiAffinity(errors, blueGreen['antiAffinity'], child(path, 'antiAffinity'));
}
