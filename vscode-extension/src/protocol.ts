/** What the stepcat server's `workspace/executeCommand` commands take and answer (the UI's contract). */

export const SERVER_COMMANDS = {
  reindex: 'stepcat.reindex',
  listSteps: 'stepcat.listSteps',
  componentsAt: 'stepcat.componentsAt',
  status: 'stepcat.status',
} as const;

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
