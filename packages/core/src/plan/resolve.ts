// The plan's view of the typing rules (they live in types/typing.ts): plan nodes and the
// DataFrame methods resolve through these names.
export {
  fieldOf,
  literalType,
  numericSupertype,
  PlanError,
  resolveType,
  typeAt,
  unknownColumn,
} from "../types/typing.js";
