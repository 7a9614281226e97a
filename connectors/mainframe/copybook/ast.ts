/** What the copybook says, entry by entry, before any offset is computed. */
import type { Picture } from './picture.ts';

export type Usage =
  | 'DISPLAY'
  | 'COMP'
  | 'COMP-1'
  | 'COMP-2'
  | 'COMP-3'
  | 'COMP-3U'
  | 'COMP-5'
  | 'COMP-9'
  | 'NATIONAL'
  | 'INDEX'
  | 'POINTER'
  | 'DISPLAY-1';

export type Literal =
  | { kind: 'string'; value: string; hex?: boolean; national?: boolean }
  | { kind: 'number'; value: string }
  | { kind: 'figurative'; value: 'ZERO' | 'SPACE' | 'HIGH-VALUE' | 'LOW-VALUE' | 'QUOTE' | 'NULL'; all?: boolean }
  | { kind: 'all'; value: string };

export interface ValueRange {
  from: Literal;
  thru?: Literal;
}

export interface ConditionName {
  name: string;
  values: ValueRange[];
  line: number;
}

export interface CopybookEntry {
  level: number;
  /** The data name upper-cased (COBOL names are case-insensitive), or FILLER (also for entries without a name). */
  name: string;
  /** The data name in the case written (Cobrix keeps it in field names). */
  displayName: string;
  filler: boolean;
  line: number;
  column: number;
  picture?: Picture;
  usage?: Usage;
  signPosition?: 'leading' | 'trailing';
  signSeparate?: boolean;
  sync?: boolean;
  justified?: boolean;
  blankWhenZero?: boolean;
  redefines?: string;
  occurs?: { min: number; max: number; dependingOn?: string };
  value?: ValueRange[];
  /** 88-level condition names under this entry: metadata only, never fields. */
  conditions: ConditionName[];
  children: CopybookEntry[];
}

/** Level 66: an alternative name for a range of fields of the record. */
export interface RenamesEntry {
  name: string;
  from: string;
  thru?: string;
  line: number;
}

export interface CopybookAst {
  /** Level 01 and 77 entries, in order; in a copybook without a level-01 root, the top-level items. */
  records: CopybookEntry[];
  /** The copybook has no level-01 root: its top-level items follow each other (as Cobrix lays them out). */
  noRoot?: boolean;
  renames: RenamesEntry[];
}
