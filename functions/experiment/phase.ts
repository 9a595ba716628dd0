// How template statuses and analysis phases add up to the Experiment's phase (reference §12.3).
//
//   templates   worst of Successful < Running < Progressing < Error < Failed,
//               reported as Successful / Running / Pending / Error / Failed
//   analyses    worst of Successful < Running < Pending < Inconclusive < Error < Failed
//               (Pending reported as Running); Successful "Required AnalysisRuns completed"
//               once every requiredForCompletion analysis succeeded and none is worse than Running
//
//   templates done (Successful, Failed, Error):
//     Successful and (analyses done, or some analysis is required)  → the analyses' result
//     otherwise                                                     → the templates' result
//   templates not done:
//     analyses done but not Successful  → the analyses' result (the experiment fails early)
//     every required analysis succeeded → Successful
//     otherwise                         → the templates' result (Pending, Running)
//
// The phase is only computed while it is Pending or Running; a completed phase never changes.
import type { AnalysisPhase, ExperimentAnalysisRunStatus, ExperimentSpec, ExperimentStatus, TemplateStatus } from '../api/index.ts';
import { isCompletedPhase, isWorsePhase } from '../analysis/phases.ts';

export const REQUIRED_ANALYSES_COMPLETED = 'Required AnalysisRuns completed';

type TemplateCode = NonNullable<TemplateStatus['status']>;

const TEMPLATE_ORDER: readonly TemplateCode[] = ['Successful', 'Running', 'Progressing', 'Error', 'Failed'];

/** Successful, Failed and Error are final for a template: it never changes status again. */
export function isCompletedTemplateStatus(status: string | undefined): boolean {
  return status === 'Successful' || status === 'Failed' || status === 'Error';
}

export interface Assessment {
  phase: AnalysisPhase;
  message: string;
}

/** The templates' worst status as a phase; a template without a status counts as Progressing. */
export function assessTemplates(spec: ExperimentSpec, statuses: readonly TemplateStatus[]): Assessment {
  let worst: TemplateCode = 'Successful';
  let message = '';
  for (const template of spec.templates) {
    const status = statuses.find((s) => s.name === template.name);
    const code: TemplateCode = status?.status ?? 'Progressing';
    if (TEMPLATE_ORDER.indexOf(code) > TEMPLATE_ORDER.indexOf(worst)) {
      worst = code;
      message = status?.message ?? '';
    }
  }
  const phase: AnalysisPhase = worst === 'Progressing' ? 'Pending' : worst;
  return { phase, message };
}

/** There is at least one analysis with requiredForCompletion, and each of them is Successful. */
export function requiredAnalysesSuccessful(spec: ExperimentSpec, runs: readonly ExperimentAnalysisRunStatus[]): boolean {
  const required = (spec.analyses ?? []).filter((a) => a.requiredForCompletion === true);
  if (required.length === 0) return false;
  return required.every((a) => runs.find((r) => r.name === a.name)?.phase === 'Successful');
}

export function hasRequiredAnalyses(spec: ExperimentSpec): boolean {
  return (spec.analyses ?? []).some((a) => a.requiredForCompletion === true);
}

/**
 * The analyses' worst phase. `considered` says which analyses count (an analysis that never
 * started because the experiment was already ending does not).
 */
export function assessAnalyses(
  spec: ExperimentSpec,
  runs: readonly ExperimentAnalysisRunStatus[],
  considered: (name: string) => boolean = () => true,
): Assessment {
  let worst: AnalysisPhase = 'Successful';
  let message = '';
  for (const analysis of spec.analyses ?? []) {
    if (!considered(analysis.name)) continue;
    const run = runs.find((r) => r.name === analysis.name);
    const phase: AnalysisPhase = run?.phase ?? 'Pending';
    if (isWorsePhase(phase, worst)) {
      worst = phase;
      message = run?.message ?? '';
    }
  }
  if (requiredAnalysesSuccessful(spec, runs) && !isWorsePhase(worst, 'Running')) return { phase: 'Successful', message: REQUIRED_ANALYSES_COMPLETED };
  return { phase: worst === 'Pending' ? 'Running' : worst, message };
}

/** The next phase from the templates' and the analyses' assessments (see the table above). */
export function experimentPhase(spec: ExperimentSpec, templates: Assessment, analyses: Assessment, runs: readonly ExperimentAnalysisRunStatus[]): Assessment {
  if (isCompletedPhase(templates.phase)) {
    if (templates.phase === 'Successful' && (isCompletedPhase(analyses.phase) || hasRequiredAnalyses(spec))) return analyses;
    return templates;
  }
  if (isCompletedPhase(analyses.phase) && analyses.phase !== 'Successful') return analyses;
  if (requiredAnalysesSuccessful(spec, runs)) return analyses;
  return templates;
}

/**
 * Whether the experiment is ending: terminate was asked for, the phase is final, a template
 * failed, an analysis failed or was inconclusive, or every required analysis succeeded. An
 * ending experiment starts nothing new and terminates the analyses still running.
 */
export function isTerminating(spec: ExperimentSpec, status: ExperimentStatus | undefined): boolean {
  if (spec.terminate === true) return true;
  if (isCompletedPhase(status?.phase)) return true;
  if ((status?.templateStatuses ?? []).some((t) => t.status === 'Failed' || t.status === 'Error')) return true;
  if ((status?.analysisRuns ?? []).some((r) => r.phase === 'Failed' || r.phase === 'Error' || r.phase === 'Inconclusive')) return true;
  return requiredAnalysesSuccessful(spec, status?.analysisRuns ?? []);
}
