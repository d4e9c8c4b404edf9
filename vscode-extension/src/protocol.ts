/** What the stepcat server's `workspace/executeCommand` commands take and answer (the UI's contract). */

export const SERVER_COMMANDS = {
  reindex: 'stepcat.reindex',
  listSteps: 'stepcat.listSteps',
  componentsAt: 'stepcat.componentsAt',
  status: 'stepcat.status',
  /** (uri, line) -> DagGraph | null: the DAG written at that line of that document (or cell). */
  dagGraph: 'stepcat.dagGraph',
  /** One level of the Steps view: () -> TreeWorkspace[] (steps empty, `stepCount`); (workspace) ->
   * TreeStep[] (components empty) | null; (workspace, step) -> TreeComponent[] | null; ('*') -> the
   * whole tree. */
  stepTree: 'stepcat.stepTree',
  /** (uri) -> TreeOwner[]: the step nodes a component file belongs to (reveal-on-open). */
  stepTreeOwners: 'stepcat.stepTreeOwners',
} as const;

/** Sent by the server (no params) when the catalog changed: the step tree and DAG view refresh. */
export const CATALOG_CHANGED_NOTIFICATION = 'stepcat/catalogChanged';

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

/** One step-catalog package of the environment in `stepcat.status`'s `framework`. */
export interface FrameworkPackage {
  name: string;
  distribution: string | null;
  version: string | null;
  location: string;
  editable: boolean;
  /** `package`: indexed read-only; `workspace`: it is (or holds) an opened folder; `unused`. */
  used_as: 'package' | 'workspace' | 'unused';
}

/** Which framework the catalog uses (the core's `framework_report`, as `stepcat env --format json`). */
export interface FrameworkStatus {
  in_use: 'package' | 'workspace' | 'none';
  summary: string;
  environment: { prefix: string; how: string; python: string | null; version: string | null; site_packages: string[] } | null;
  packages: FrameworkPackage[];
  /** The folders indexed read-only (the installed framework): files there open read-only. */
  read_only_roots: string[];
  notes: string[];
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
      /** Absent from servers before the framework report. */
      framework?: FrameworkStatus;
    };

/** One node of `stepcat.dagGraph`; status `error`: the step has error-level problems; `unknown`: no such step. */
export interface DagNode {
  id: string; // the node name as written, e.g. "CradleDataLoading_training"
  step: string | null;
  jobType: string | null;
  status: 'complete' | 'incomplete' | 'unknown' | 'error';
  problems: ProblemCounts;
  workspace: string | null; // 'shared', a developer id, 'package' (installed framework), 'pack'
  location: Location | null; // where the node name is written in the DAG file
  definition: Location | null; // where F12 on the node leads first
  variant: string | null; // e.g. 'variants.training' or 'base spec'
}

export interface DagEdge {
  source: string;
  target: string;
  location: Location | null;
}

/** The answer of `stepcat.dagGraph` (null: no DAG at that position or in that file). */
export interface DagGraph {
  uri: string;
  name: string;
  nodes: DagNode[];
  edges: DagEdge[];
  problems: string[];
}

/** A component of a step in `stepcat.stepTree`: label is script, contract, spec, spec (training), builder, config, interface or registry. */
export interface TreeComponent {
  label: string;
  present: boolean;
  required: boolean;
  location: Location | null;
  note?: string; // e.g. "synthesised at run time"
}

export interface TreeStep {
  name: string;
  sagemakerStepType: string | null;
  layout: '1.x' | 'interface';
  complete: boolean;
  problems: ProblemCounts;
  location: Location | null;
  components: TreeComponent[];
  variants: string[];
  /** The labels of the required components it lacks (when the server says; else from `components`). */
  missing?: string[];
}

/** One workspace of the answer of `stepcat.stepTree` (an array of them). */
export interface TreeWorkspace {
  id: string;
  kind: 'shared' | 'developer' | 'package' | 'pack';
  root: string | null;
  readOnly: boolean;
  steps: TreeStep[];
  /** How many steps it lists (when the server says; else `steps.length`). */
  stepCount?: number;
}

/** A step node of the Steps view: its workspace's id and its name. */
export interface TreeOwner {
  workspace: string;
  step: string;
}
