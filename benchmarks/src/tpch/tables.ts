// The eight TPC-H tables (clause 4.2.3 of the specification), built column by column from
// seeded PRNG streams: one stream per table, so each table is the same bytes for a given scale
// factor whatever else is generated. Keys, ranges and derived columns follow dbgen's rules;
// money and quantities are DOUBLE (two decimals), dates Arrow date32.
import type { Table } from "apache-arrow";
import { prng } from "../data.js";
import { cents, date32, encodeAll, float64, int32, StringColumn, tableOf } from "./columns.js";
import {
  COLORS,
  CONTAINER_KINDS,
  CONTAINER_SIZES,
  INSTRUCTIONS,
  MODES,
  NATIONS,
  PRIORITIES,
  REGIONS,
  SEGMENTS,
  TYPE_FINISHES,
  TYPE_METALS,
  TYPE_SIZES,
} from "./dists.js";
import { commentDrawer, textPool } from "./text.js";

const DAY_MS = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
export const START_DATE = day("1992-01-01");
export const CURRENT_DATE = day("1995-06-17");
export const END_DATE = day("1998-12-31");

/** Row counts per scale factor (clause 4.2.5); lineitem is about 4 per order. */
export function sizes(sf: number) {
  const n = (base: number) => Math.max(1, Math.floor(base * sf));
  return {
    part: n(200_000),
    supplier: n(10_000),
    customer: n(150_000),
    orders: n(1_500_000),
    clerks: n(1_000),
  };
}

type Rand = { int: (lo: number, hi: number) => number; pick: <T>(xs: readonly T[]) => T };

function rand(seed: number): Rand {
  const next = prng(seed);
  return {
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
  };
}

const pad9 = (k: number) => String(k).padStart(9, "0");
const ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, ";

function vstring(r: Rand, min: number, max: number): string {
  const len = r.int(min, max);
  let s = "";
  for (let i = 0; i < len; i++) s += ALNUM[r.int(0, ALNUM.length - 1)];
  return s;
}

const phone = (r: Rand, nation: number) =>
  `${nation + 10}-${r.int(100, 999)}-${r.int(100, 999)}-${r.int(1000, 9999)}`;

function comments(rows: number, min: number, max: number, seed: number): StringColumn {
  const pool = textPool();
  const draw = commentDrawer(seed);
  const out = new StringColumn(rows, (min + max) / 2);
  for (let i = 0; i < rows; i++) {
    const [a, b] = draw(min, max);
    out.pushBytes(pool, a, b);
  }
  return out;
}

/** p_retailprice of a part key, in cents (clause 4.2.3). */
export const retailCents = (p: number) => 90000 + (Math.floor(p / 10) % 20001) + 100 * (p % 1000);

/** The i-th (0..3) supplier of part `p` among `s` suppliers (clause 4.2.3, PS_SUPPKEY). */
export const partSupplier = (p: number, i: number, s: number) =>
  ((p + i * (Math.floor(s / 4) + Math.floor((p - 1) / s))) % s) + 1;

export function region(): Table {
  const name = new StringColumn(5, 12);
  for (const r of REGIONS) name.push(r);
  return tableOf({
    r_regionkey: int32(Int32Array.from(REGIONS, (_, i) => i)),
    r_name: name.finish(),
    r_comment: comments(5, 31, 115, 101).finish(),
  });
}

export function nation(): Table {
  const name = new StringColumn(25, 10);
  for (const [n] of NATIONS) name.push(n);
  return tableOf({
    n_nationkey: int32(Int32Array.from(NATIONS, (_, i) => i)),
    n_name: name.finish(),
    n_regionkey: int32(Int32Array.from(NATIONS, ([, r]) => r)),
    n_comment: comments(25, 31, 114, 102).finish(),
  });
}

export function part(sf: number): Table {
  const rows = sizes(sf).part;
  const r = rand(201);
  const key = new Int32Array(rows);
  const name = new StringColumn(rows, 34);
  const mfgr = new StringColumn(rows, 14);
  const brand = new StringColumn(rows, 8);
  const type = new StringColumn(rows, 21);
  const size = new Int32Array(rows);
  const container = new StringColumn(rows, 8);
  const price = new Float64Array(rows);
  const types = encodeAll(
    TYPE_SIZES.flatMap((a) =>
      TYPE_FINISHES.flatMap((b) => TYPE_METALS.map((c) => `${a} ${b} ${c}`)),
    ),
  );
  const containers = encodeAll(
    CONTAINER_SIZES.flatMap((a) => CONTAINER_KINDS.map((b) => `${a} ${b}`)),
  );
  const colors: string[] = [];
  for (let i = 0; i < rows; i++) {
    const p = i + 1;
    key[i] = p;
    colors.length = 0;
    while (colors.length < 5) {
      const c = r.pick(COLORS);
      if (!colors.includes(c)) colors.push(c);
    }
    name.push(colors.join(" "));
    const m = r.int(1, 5);
    mfgr.push(`Manufacturer#${m}`);
    brand.push(`Brand#${m}${r.int(1, 5)}`);
    type.pushEncoded(r.pick(types));
    size[i] = r.int(1, 50);
    container.pushEncoded(r.pick(containers));
    price[i] = retailCents(p) / 100;
  }
  return tableOf({
    p_partkey: int32(key),
    p_name: name.finish(),
    p_mfgr: mfgr.finish(),
    p_brand: brand.finish(),
    p_type: type.finish(),
    p_size: int32(size),
    p_container: container.finish(),
    p_retailprice: float64(price),
    p_comment: comments(rows, 5, 22, 202).finish(),
  });
}

export function supplier(sf: number): Table {
  const rows = sizes(sf).supplier;
  const r = rand(301);
  const key = new Int32Array(rows);
  const name = new StringColumn(rows, 18);
  const address = new StringColumn(rows, 25);
  const nationKey = new Int32Array(rows);
  const phones = new StringColumn(rows, 15);
  const acctbal = new Float64Array(rows);
  const comment = new StringColumn(rows, 63);
  const pool = textPool();
  const draw = commentDrawer(302);
  const decoder = new TextDecoder();
  for (let i = 0; i < rows; i++) {
    key[i] = i + 1;
    name.push(`Supplier#${pad9(i + 1)}`);
    address.push(vstring(r, 10, 40));
    nationKey[i] = r.int(0, 24);
    phones.push(phone(r, nationKey[i]!));
    acctbal[i] = r.int(-99999, 999999) / 100;
    const [a, b] = draw(25, 100);
    // About 5 per 10,000 suppliers complain and 5 recommend (the rows Q16 looks for).
    const roll = r.int(0, 9999);
    if (roll < 10) {
      const text = decoder.decode(pool.subarray(a, b));
      const cut = r.int(0, Math.max(0, text.length - 30));
      const tail = roll < 5 ? "Complaints" : "Recommends";
      comment.push(`${text.slice(0, cut)}Customer ${text.slice(cut, cut + 6)}${tail}`);
    } else comment.pushBytes(pool, a, b);
  }
  return tableOf({
    s_suppkey: int32(key),
    s_name: name.finish(),
    s_address: address.finish(),
    s_nationkey: int32(nationKey),
    s_phone: phones.finish(),
    s_acctbal: float64(acctbal),
    s_comment: comment.finish(),
  });
}

export function partsupp(sf: number): Table {
  const { part: parts, supplier: suppliers } = sizes(sf);
  const rows = parts * 4;
  const r = rand(401);
  const partKey = new Int32Array(rows);
  const suppKey = new Int32Array(rows);
  const avail = new Int32Array(rows);
  const cost = new Float64Array(rows);
  for (let p = 1, row = 0; p <= parts; p++) {
    for (let i = 0; i < 4; i++, row++) {
      partKey[row] = p;
      suppKey[row] = partSupplier(p, i, suppliers);
      avail[row] = r.int(1, 9999);
      cost[row] = r.int(100, 100000) / 100;
    }
  }
  return tableOf({
    ps_partkey: int32(partKey),
    ps_suppkey: int32(suppKey),
    ps_availqty: int32(avail),
    ps_supplycost: float64(cost),
    ps_comment: comments(rows, 49, 198, 402).finish(),
  });
}

export function customer(sf: number): Table {
  const rows = sizes(sf).customer;
  const r = rand(501);
  const key = new Int32Array(rows);
  const name = new StringColumn(rows, 18);
  const address = new StringColumn(rows, 25);
  const nationKey = new Int32Array(rows);
  const phones = new StringColumn(rows, 15);
  const acctbal = new Float64Array(rows);
  const segment = new StringColumn(rows, 9);
  const segments = encodeAll(SEGMENTS);
  for (let i = 0; i < rows; i++) {
    key[i] = i + 1;
    name.push(`Customer#${pad9(i + 1)}`);
    address.push(vstring(r, 10, 40));
    nationKey[i] = r.int(0, 24);
    phones.push(phone(r, nationKey[i]!));
    acctbal[i] = r.int(-99999, 999999) / 100;
    segment.pushEncoded(r.pick(segments));
  }
  return tableOf({
    c_custkey: int32(key),
    c_name: name.finish(),
    c_address: address.finish(),
    c_nationkey: int32(nationKey),
    c_phone: phones.finish(),
    c_acctbal: float64(acctbal),
    c_mktsegment: segment.finish(),
    c_comment: comments(rows, 29, 116, 502).finish(),
  });
}

/** o_orderkey of the i-th order (0-based): keys are sparse, the first 8 of every 32 (dbgen). */
export const orderKey = (i: number) => (i >> 3) * 32 + (i & 7) + 1;

/** Orders and their lineitems together: o_orderstatus and o_totalprice derive from the lines. */
export function ordersAndLineitem(sf: number): { orders: Table; lineitem: Table } {
  const { orders: rows, customer: customers, part: parts, supplier: suppliers, clerks } = sizes(sf);
  const r = rand(601);
  const lr = rand(701);
  const oKey = new Int32Array(rows);
  const oCust = new Int32Array(rows);
  const oStatus = new StringColumn(rows, 1);
  const oTotal = new Float64Array(rows);
  const oDate = new Int32Array(rows);
  const oPriority = new StringColumn(rows, 9);
  const oClerk = new StringColumn(rows, 15);
  const priorities = encodeAll(PRIORITIES);
  const status = encodeAll(["F", "O", "P"]);

  const cap = rows * 7;
  const lOrder = new Int32Array(cap);
  const lPart = new Int32Array(cap);
  const lSupp = new Int32Array(cap);
  const lNumber = new Int32Array(cap);
  const lQty = new Float64Array(cap);
  const lPrice = new Float64Array(cap);
  const lDisc = new Float64Array(cap);
  const lTax = new Float64Array(cap);
  const lShip = new Int32Array(cap);
  const lCommit = new Int32Array(cap);
  const lReceipt = new Int32Array(cap);
  const lFlag = new StringColumn(rows * 4, 1);
  const lStatus = new StringColumn(rows * 4, 1);
  const lInstruct = new StringColumn(rows * 4, 12);
  const lMode = new StringColumn(rows * 4, 4);
  const flags = encodeAll(["R", "A", "N"]);
  const lineStatus = encodeAll(["O", "F"]);
  const instructions = encodeAll(INSTRUCTIONS);
  const modes = encodeAll(MODES);

  let line = 0;
  for (let i = 0; i < rows; i++) {
    const key = orderKey(i);
    oKey[i] = key;
    let c = r.int(1, customers);
    // A third of the customers place no orders (dbgen skips keys divisible by 3).
    while (c % 3 === 0 && customers > 2) c = r.int(1, customers);
    oCust[i] = c;
    const date = r.int(START_DATE, END_DATE - 151);
    oDate[i] = date;
    oPriority.pushEncoded(r.pick(priorities));
    oClerk.push(`Clerk#${pad9(r.int(1, clerks))}`);
    const lines = r.int(1, 7);
    let total = 0;
    let shippedOut = 0;
    for (let n = 1; n <= lines; n++, line++) {
      const p = lr.int(1, parts);
      const qty = lr.int(1, 50);
      const price = (qty * retailCents(p)) / 100;
      const disc = lr.int(0, 10) / 100;
      const tax = lr.int(0, 8) / 100;
      const ship = date + lr.int(1, 121);
      const receipt = ship + lr.int(1, 30);
      lOrder[line] = key;
      lPart[line] = p;
      lSupp[line] = partSupplier(p, lr.int(0, 3), suppliers);
      lNumber[line] = n;
      lQty[line] = qty;
      lPrice[line] = price;
      lDisc[line] = disc;
      lTax[line] = tax;
      lShip[line] = ship;
      lCommit[line] = date + lr.int(30, 90);
      lReceipt[line] = receipt;
      lFlag.pushEncoded(receipt <= CURRENT_DATE ? flags[lr.int(0, 1)]! : flags[2]!);
      const open = ship > CURRENT_DATE;
      lStatus.pushEncoded(lineStatus[open ? 0 : 1]!);
      if (open) shippedOut++;
      lInstruct.pushEncoded(lr.pick(instructions));
      lMode.pushEncoded(lr.pick(modes));
      total += price * (1 + tax) * (1 - disc);
    }
    oTotal[i] = cents(total);
    oStatus.pushEncoded(status[shippedOut === 0 ? 0 : shippedOut === lines ? 1 : 2]!);
  }
  const orders = tableOf({
    o_orderkey: int32(oKey),
    o_custkey: int32(oCust),
    o_orderstatus: oStatus.finish(),
    o_totalprice: float64(oTotal),
    o_orderdate: date32(oDate),
    o_orderpriority: oPriority.finish(),
    o_clerk: oClerk.finish(),
    o_shippriority: int32(new Int32Array(rows)),
    o_comment: comments(rows, 19, 78, 602).finish(),
  });
  const lineitem = tableOf({
    l_orderkey: int32(lOrder.slice(0, line)),
    l_partkey: int32(lPart.slice(0, line)),
    l_suppkey: int32(lSupp.slice(0, line)),
    l_linenumber: int32(lNumber.slice(0, line)),
    l_quantity: float64(lQty.slice(0, line)),
    l_extendedprice: float64(lPrice.slice(0, line)),
    l_discount: float64(lDisc.slice(0, line)),
    l_tax: float64(lTax.slice(0, line)),
    l_returnflag: lFlag.finish(),
    l_linestatus: lStatus.finish(),
    l_shipdate: date32(lShip.slice(0, line)),
    l_commitdate: date32(lCommit.slice(0, line)),
    l_receiptdate: date32(lReceipt.slice(0, line)),
    l_shipinstruct: lInstruct.finish(),
    l_shipmode: lMode.finish(),
    l_comment: comments(line, 10, 43, 702).finish(),
  });
  return { orders, lineitem };
}
