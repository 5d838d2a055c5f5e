// One group of the relational workload: its data, its DuckDB tables and its cases.
import type { DeftFrame } from "../deft.js";
import { requireMethods } from "../deft.js";
import type { DuckDB } from "../peers.js";
import type { Case } from "../runner.js";

export interface RelationalPart {
  group: string;
  baseline: string;
  cases: Case[];
  /** Untimed: build the data (seeded) and load it into `db`. */
  setup(db: DuckDB): Promise<void>;
  /** Drop the data. */
  teardown(): void;
}

/** The deft case of a group: the frame(s) are built at setup, where a missing operator
 * (`method`) makes the row "not available"; `run` executes the query to an Arrow table. */
export function deftCase(
  group: string,
  method: string,
  build: () => DeftFrame,
  query: (frame: DeftFrame) => Promise<unknown>,
  check: Case["check"],
): Case {
  let frame: DeftFrame | undefined;
  return {
    label: "deft",
    group,
    setup: () => {
      frame = build();
      requireMethods(frame, method);
    },
    run: () => query(frame!),
    check,
    teardown: () => {
      frame = undefined;
    },
  };
}
