// The Rollout kind.
import Type, { type Static } from 'typebox';
import { ObjectMetaSchema } from './meta.ts';
import { str } from './primitives.ts';
import { RolloutSpecSchema } from './rollout-spec.ts';
import { RolloutStatusSchema } from './rollout-status.ts';

export const RolloutSchema = Type.Object(
  {
    apiVersion: Type.Optional(str()),
    kind: Type.Optional(str()),
    metadata: Type.Optional(ObjectMetaSchema),
    spec: RolloutSpecSchema,
    status: Type.Optional(RolloutStatusSchema),
  },
  { description: 'A Deployment-like workload updated with a canary or blue-green strategy.' },
);
export type Rollout = Static<typeof RolloutSchema>;
