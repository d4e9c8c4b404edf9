/** What the stepcat server's `workspace/executeCommand` commands take and answer (the UI's contract). */

export const SERVER_COMMANDS = {
  reindex: 'stepcat.reindex',
  listSteps: 'stepcat.listSteps',
  componentsAt: 'stepcat.componentsAt',
  status: 'stepcat.status',
} as const;

/** The server's promotion commands (`stepcat.integrate.*`): stage(step, workspace), validate(step),
 * approve(step, comment?), reject(step, comment?), promote(step), rollback(step), status(). */
export const INTEGRATE_COMMANDS = {
  stage: 'stepcat.integrate.stage',
  validate: 'stepcat.integrate.validate',
  approve: 'stepcat.integrate.approve',
  reject: 'stepcat.integrate.reject',
  promote: 'stepcat.integrate.promote',
  rollback: 'stepcat.integrate.rollback',
  status: 'stepcat.integrate.status',
} as const;

/** What can be done to a step already staged. */
export type IntegrationAction = 'validate' | 'approve' | 'reject' | 'promote' | 'rollback';

/** One staged step in the answer of `stepcat.integrate.status`. */
export interface StagedComponent {
  component_id: string;
  source_workspace: string;
  status: string; // pending, staged, approved, rejected, promoted, rolled_back
  stage: string;
  component_types: string[];
  staged_at: string;
}

/** The answer of `stepcat.integrate.status` (the parts the UI reads). */
export interface IntegrationSummary {
  staged_components: number;
  component_status_distribution: Record<string, number>;
  components: StagedComponent[];
  interrupted_operations: number;
}

/** The answer of the other `stepcat.integrate.*` commands (the server also shows it as a message). */
export interface IntegrationResult {
  success?: boolean;
  overall_ready?: boolean;
  issues?: string[];
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Location {
  uri: string;
  range: Range;
}

/** One row of `stepcat.listSteps`. */
export interface StepRow {
  name: string;
  workspace: string;
  sagemakerStepType: string | null;
  description: string;
  variants: string[];
  complete: boolean;
  location: Location | null;
}

/** One row of `stepcat.componentsAt`: label is spec, spec (training), script, contract, builder, config or registry. */
export interface ComponentRow extends Location {
  step: string;
  label: string;
  workspace: string;
}

export interface ProblemCounts {
  error: number;
  warning: number;
  information: number;
  hint: number;
}

/** The answer of `stepcat.status`. */
export type ServerStatus =
  | { state: 'indexing' }
  | {
      state: 'ready';
      steps: number;
      workspaces: string[];
      folders: string[];
      problems: ProblemCounts;
    };
