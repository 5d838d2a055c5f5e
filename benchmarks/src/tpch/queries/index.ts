// The 22 TPC-H queries, in order.
import type { TpchQuery } from "../query.js";
import { q01 } from "./q01.js";
import { q02 } from "./q02.js";
import { q03 } from "./q03.js";
import { q04 } from "./q04.js";
import { q05 } from "./q05.js";
import { q06 } from "./q06.js";
import { q07 } from "./q07.js";
import { q08 } from "./q08.js";
import { q09 } from "./q09.js";
import { q10 } from "./q10.js";
import { q11 } from "./q11.js";
import { q12 } from "./q12.js";
import { q13 } from "./q13.js";
import { q14 } from "./q14.js";
import { q15 } from "./q15.js";
import { q16 } from "./q16.js";
import { q17 } from "./q17.js";
import { q18 } from "./q18.js";
import { q19 } from "./q19.js";
import { q20 } from "./q20.js";
import { q21 } from "./q21.js";
import { q22 } from "./q22.js";

export const QUERIES: readonly TpchQuery[] = [
  q01,
  q02,
  q03,
  q04,
  q05,
  q06,
  q07,
  q08,
  q09,
  q10,
  q11,
  q12,
  q13,
  q14,
  q15,
  q16,
  q17,
  q18,
  q19,
  q20,
  q21,
  q22,
];
