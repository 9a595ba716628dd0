import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admit, admitManaged } from '../../../functions/admission/index.ts';
import { aRollout } from '../../fixtures/index.ts';
import { aReview, responseOf, statusOf } from './reviews.ts';

const context = { mode: 'validate' as const, policies: [] };

describe('AdmissionReview parsing', () => {
  const valid = aReview({ object: aRollout().build() });
  const cases: Array<[string, unknown, RegExp]> = [
    ['a string', 'hello', /the body must be a JSON object \(an admission\.k8s\.io\/v1 AdmissionReview\), got string "hello"/],
    ['null', null, /got null/],
    ['an array', [valid], /got an array/],
    ['admission.k8s.io/v1beta1', { ...valid, apiVersion: 'admission.k8s.io/v1beta1' }, /apiVersion: Unsupported value: "admission\.k8s\.io\/v1beta1": supported values: "admission\.k8s\.io\/v1" \(register the webhook with admissionReviewVersions: \["v1"\]\)/],
    ['another kind', { ...valid, kind: 'TokenReview' }, /kind: Unsupported value: "TokenReview": supported values: "AdmissionReview"/],
    ['no request', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, /request: Required value/],
    ['no uid', { ...valid, request: { ...valid['request'], uid: undefined } }, /request\.uid: Required value: a non-empty string, echoed in the response/],
    ['an empty uid', { ...valid, request: { ...valid['request'], uid: '' } }, /request\.uid: Required value/],
    ['no request.kind', { ...valid, request: { ...valid['request'], kind: undefined } }, /request\.kind: Required value: \{group, version, kind\}/],
    ['an unknown operation', { ...valid, request: { ...valid['request'], operation: 'PATCH' } }, /request\.operation: Unsupported value: "PATCH": supported values: "CREATE", "UPDATE", "DELETE", "CONNECT"/],
    ['CREATE without object', { ...valid, request: { ...valid['request'], object: undefined } }, /request\.object: Required value: CREATE carries the object/],
    ['UPDATE without oldObject', { ...valid, request: { ...valid['request'], operation: 'UPDATE' } }, /request\.oldObject: Required value/],
    ['a numeric namespace', { ...valid, request: { ...valid['request'], namespace: 7 } }, /request\.namespace: Invalid value: number 7: must be a string/],
  ];
  for (const [name, body, message] of cases) {
    it(`${name} → 400 with a clear message`, () => {
      const answer = admit(body, context);
      assert.equal(answer.httpStatus, 400);
      assert.equal(answer.outcome, 'bad-request');
      assert.equal(statusOf(answer).kind, 'Status');
      assert.equal(statusOf(answer).code, 400);
      assert.match(statusOf(answer).message, /^malformed AdmissionReview: /);
      assert.match(statusOf(answer).message, message);
    });
  }

  it('lists every problem at once', () => {
    const answer = admit({ apiVersion: 'x', kind: 'y', request: {} }, context);
    const message = statusOf(answer).message;
    for (const part of ['apiVersion', 'kind:', 'request.uid', 'request.kind', 'request.operation']) assert.ok(message.includes(part), `${part} in ${message}`);
  });

  it('an object of an unknown kind → 400 naming the kinds Ramp admits', () => {
    const answer = admit(aReview({ kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, object: { metadata: { name: 'x' } } }), context);
    assert.equal(answer.httpStatus, 400);
    assert.match(statusOf(answer).message, /request\.kind: Unsupported value: "apps\/v1, Kind=Deployment": Ramp's validate webhook admits argoproj\.io\/v1alpha1 Rollout, .* and ramp\.dev\/v1alpha1 RolloutPolicy/);
  });

  it('an Argo kind in another version → 400', () => {
    const answer = admit(aReview({ kind: { group: 'argoproj.io', version: 'v1beta1', kind: 'Rollout' }, object: aRollout().build() }), context);
    assert.equal(answer.httpStatus, 400);
  });

  it('the guard refuses anything but Services and Ingresses', () => {
    const answer = admitManaged(aReview({ object: aRollout().build() }), undefined);
    assert.equal(answer.httpStatus, 400);
    assert.match(statusOf(answer).message, /the managed-object guard admits v1 Service and networking\.k8s\.io\/v1 Ingress/);
  });

  it('a well-formed review gets its uid back', () => {
    const response = responseOf(admit(aReview({ uid: 'abc-123', object: aRollout().build() }), context));
    assert.equal(response.uid, 'abc-123');
    assert.equal(response.allowed, true);
  });
});
