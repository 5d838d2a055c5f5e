import { type Data, type DataType, type Decimal, makeData, Type } from "apache-arrow";
import { bitmapBytes } from "./bits.js";
import { decimalFromKeyBytes } from "./decimal.js";
import { hashColumns, type KeyKind, type KeyView, keyKindOf, keyView } from "./hash.js";

/** A KeyStore's contents as typed arrays (unused ones empty). */
export interface StoreBuffers {
  size: number;
  valid: Uint8Array;
  num: Float64Array;
  words: Int32Array;
  offs: Int32Array;
  bytes: Uint8Array;
}

/** A GroupTable's contents as typed arrays: slots, each group's hash and the stored keys. */
export interface TableBuffers {
  numGroups: number;
  slots: Int32Array;
  groupHash: Int32Array;
  stores: StoreBuffers[];
}

/**
 * The distinct keys seen so far, one slot per group, stored column by column in growable
 * typed arrays (never one JS object per group). Group ids are dense and in first-seen order.
 */
export class KeyStore {
  size = 0;
  // ArrayBufferLike: a read-only store (fromBuffers) may sit over shared memory.
  /** Read directly by GroupTable's single-integer-key loops (replaced when the store grows). */
  valid: Uint8Array<ArrayBufferLike> = new Uint8Array(64);
  private num: Float64Array<ArrayBufferLike> = new Float64Array(0);
  words: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private offs: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private bytes: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  private bytesLen = 0;

  constructor(
    readonly type: DataType,
    readonly kind: KeyKind,
  ) {
    if (kind === "i64") this.words = new Int32Array(128);
    else if (kind === "bytes") {
      this.offs = new Int32Array(65);
      this.bytes = new Uint8Array(1024);
    } else this.num = new Float64Array(64);
  }

  /** Appends a valid 64-bit key given as its two words. */
  pushWords(lo: number, hi: number): void {
    const g = this.size++;
    if (g >= this.valid.length) this.grow();
    this.valid[g] = 1;
    this.words[2 * g] = lo;
    this.words[2 * g + 1] = hi;
  }

  push(v: KeyView, i: number): void {
    const g = this.size++;
    if (g >= this.valid.length) this.grow();
    const b = v.bitOffset + i;
    const isValid = !v.valid || ((v.valid[b >> 3]! >> (b & 7)) & 1) === 1;
    this.valid[g] = isValid ? 1 : 0;
    switch (this.kind) {
      case "num":
      case "float":
        this.num[g] = isValid ? v.num[i]! : 0;
        break;
      case "bool":
        this.num[g] = isValid ? (v.num[b >> 3]! >> (b & 7)) & 1 : 0;
        break;
      case "i64":
        this.words[2 * g] = isValid ? v.words[2 * i]! : 0;
        this.words[2 * g + 1] = isValid ? v.words[2 * i + 1]! : 0;
        break;
      case "bytes": {
        const s = v.offsets[i]!;
        const len = isValid ? v.offsets[i + 1]! - s : 0;
        if (this.bytesLen + len > this.bytes.length) {
          const next = new Uint8Array(Math.max(this.bytes.length * 2, this.bytesLen + len));
          next.set(this.bytes.subarray(0, this.bytesLen));
          this.bytes = next;
          this.generation++;
        }
        for (let k = 0; k < len; k++) this.bytes[this.bytesLen + k] = v.bytes[s + k]!;
        this.bytesLen += len;
        this.offs[g + 1] = this.bytesLen;
        break;
      }
    }
  }

  /** A comparator "row i of this batch column equals group g", specialized per kind. */
  equalsFn(v: KeyView): (i: number, g: number) => boolean {
    const sv = this.valid;
    const valid = v.valid;
    const bo = v.bitOffset;
    const nullAt = (i: number) => {
      const b = bo + i;
      return ((valid![b >> 3]! >> (b & 7)) & 1) === 0;
    };
    let eqValue: (i: number, g: number) => boolean;
    switch (this.kind) {
      case "num": {
        const a = v.num;
        const s = this.num;
        eqValue = (i, g) => s[g] === a[i];
        break;
      }
      case "float": {
        const a = v.num;
        const s = this.num;
        eqValue = (i, g) => {
          const x = a[i]!;
          const y = s[g]!;
          return x === y || (Number.isNaN(x) && Number.isNaN(y));
        };
        break;
      }
      case "bool": {
        const a = v.num;
        const s = this.num;
        eqValue = (i, g) => {
          const b = bo + i;
          return ((a[b >> 3]! >> (b & 7)) & 1) === s[g];
        };
        break;
      }
      case "i64": {
        const a = v.words;
        const s = this.words;
        eqValue = (i, g) => s[2 * g] === a[2 * i] && s[2 * g + 1] === a[2 * i + 1];
        break;
      }
      case "bytes": {
        const ao = v.offsets;
        const ab = v.bytes;
        const so = this.offs;
        const sb = this.bytes;
        eqValue = (i, g) => {
          const s0 = ao[i]!;
          const len = ao[i + 1]! - s0;
          const t0 = so[g]!;
          if (so[g + 1]! - t0 !== len) return false;
          for (let k = 0; k < len; k++) if (ab[s0 + k] !== sb[t0 + k]) return false;
          return true;
        };
        break;
      }
    }
    // Arrays may be replaced when the store grows, so comparators read them through `this`
    // only when the store can grow mid-loop: GroupTable re-creates comparators after a grow.
    if (!valid) return (i, g) => sv[g] === 1 && eqValue(i, g);
    return (i, g) => (nullAt(i) ? sv[g] === 0 : sv[g] === 1 && eqValue(i, g));
  }

  private grow(): void {
    const cap = this.valid.length * 2;
    const valid = new Uint8Array(cap);
    valid.set(this.valid);
    this.valid = valid;
    if (this.kind === "i64") {
      const w = new Int32Array(cap * 2);
      w.set(this.words);
      this.words = w;
    } else if (this.kind === "bytes") {
      const o = new Int32Array(cap + 1);
      o.set(this.offs);
      this.offs = o;
    } else {
      const a = new Float64Array(cap);
      a.set(this.num);
      this.num = a;
    }
    this.generation++;
  }
  /** Bumped whenever the backing arrays are replaced (comparators must then be rebuilt). */
  generation = 0;

  /** The stored keys as typed arrays (trimmed copies), for `fromBuffers` elsewhere. */
  toBuffers(): StoreBuffers {
    const n = this.size;
    return {
      size: n,
      valid: this.valid.slice(0, n),
      num: this.num.slice(0, n),
      words: this.words.slice(0, 2 * n),
      offs: this.offs.slice(0, n + 1),
      bytes: this.bytes.slice(0, this.bytesLen),
    };
  }

  /**
   * Keys from `toBuffers`. `readOnly` adopts the arrays as they are (shared memory a thread
   * only looks keys up in); otherwise they are copied with room to grow.
   */
  static fromBuffers(type: DataType, kind: KeyKind, b: StoreBuffers, readOnly = false): KeyStore {
    const s = new KeyStore(type, kind);
    if (readOnly) {
      s.size = b.size;
      s.valid = b.valid;
      s.num = b.num;
      s.words = b.words;
      s.offs = b.offs;
      s.bytes = b.bytes;
      s.bytesLen = b.bytes.length;
      return s;
    }
    s.size = b.size;
    // Growth doubles `valid`; keep one spare slot so the arrays are never empty.
    const cap = Math.max(64, b.size + 1);
    s.valid = new Uint8Array(cap);
    s.valid.set(b.valid);
    if (kind === "i64") {
      s.words = new Int32Array(2 * cap);
      s.words.set(b.words);
    } else if (kind === "bytes") {
      s.offs = new Int32Array(cap + 1);
      s.offs.set(b.offs);
      s.bytes = b.bytes.length ? b.bytes.slice() : new Uint8Array(1024);
      s.bytesLen = b.bytes.length;
    } else {
      s.num = new Float64Array(cap);
      s.num.set(b.num);
    }
    return s;
  }

  /** The stored keys as a column of the key's type, in group-id order. */
  toData(): Data {
    const n = this.size;
    const type = this.type;
    let nulls = 0;
    const bitmap = new Uint8Array(bitmapBytes(n));
    for (let g = 0; g < n; g++) {
      if (this.valid[g]) bitmap[g >> 3]! |= 1 << (g & 7);
      else nulls++;
    }
    const base = { type, length: n, nullCount: nulls, nullBitmap: nulls ? bitmap : null };
    switch (this.kind) {
      case "num":
      case "float": {
        const Ctor = (type as unknown as { ArrayType: new (n: number) => Float64Array }).ArrayType;
        const out = new Ctor(n);
        out.set(this.num.subarray(0, n));
        return makeData({ ...base, data: out } as never);
      }
      case "bool": {
        const bits = new Uint8Array(bitmapBytes(n));
        for (let g = 0; g < n; g++) if (this.num[g]) bits[g >> 3]! |= 1 << (g & 7);
        return makeData({ ...base, data: bits } as never);
      }
      case "i64": {
        const Ctor = (type as unknown as { ArrayType: new (b: ArrayBuffer) => BigInt64Array })
          .ArrayType;
        return makeData({ ...base, data: new Ctor(this.words.slice(0, 2 * n).buffer) } as never);
      }
      case "bytes":
        if (type.typeId === Type.Decimal) {
          const words = decimalFromKeyBytes(type as Decimal, this.offs, this.bytes, n);
          return makeData({ ...base, data: words } as never);
        }
        return makeData({
          ...base,
          valueOffsets: this.offs.slice(0, n + 1),
          data: this.bytes.slice(0, this.bytesLen),
        } as never);
    }
  }
}

/**
 * Open-addressing hash table (linear probing over an Int32Array of group ids) mapping
 * multi-column keys to dense group ids in first-seen order. Null is a key value like any
 * other for `insert` (group-by, distinct); `lookup` can treat rows with a null key as absent
 * (joins, where null never matches).
 */
export class GroupTable {
  numGroups = 0;
  readonly stores: KeyStore[];
  private slots: Int32Array<ArrayBufferLike> = new Int32Array(1024);
  private mask = 1023;
  private groupHash: Int32Array<ArrayBufferLike> = new Int32Array(512);
  private hashes = new Int32Array(0);

  constructor(readonly types: readonly DataType[]) {
    this.stores = types.map((t) => {
      const kind = keyKindOf(t);
      if (!kind) throw new TypeError(`GroupTable: type ${String(t)} cannot be a key`);
      return new KeyStore(t, kind);
    });
  }

  /** Group ids for rows [0, n) of the key columns, creating groups for new keys. */
  insert(columns: readonly Data[], out: Int32Array): void {
    const n = out.length;
    const views = columns.map((c, k) => keyView(c, this.stores[k]!.kind));
    const hashes = this.hashBuffer(n);
    hashColumns(views, n, hashes);
    if (views.length === 1 && views[0]!.kind === "i64" && !views[0]!.valid) {
      this.insertWords(views[0]!.words, hashes, out);
      return;
    }
    let gen = this.generations();
    let eq = this.comparator(views);
    for (let i = 0; i < n; i++) {
      const h = hashes[i]!;
      let s = h & this.mask;
      let g = -1;
      for (;;) {
        const slot = this.slots[s]!;
        if (slot === 0) {
          g = this.numGroups++;
          for (let k = 0; k < views.length; k++) this.stores[k]!.push(views[k]!, i);
          if (g >= this.groupHash.length) {
            const gh = new Int32Array(this.groupHash.length * 2);
            gh.set(this.groupHash);
            this.groupHash = gh;
          }
          this.groupHash[g] = h;
          this.slots[s] = g + 1;
          if (this.numGroups * 2 > this.slots.length) this.rehash();
          const next = this.generations();
          if (next !== gen) {
            gen = next;
            eq = this.comparator(views);
          }
          break;
        }
        if (this.groupHash[slot - 1] === h && eq(i, slot - 1)) {
          g = slot - 1;
          break;
        }
        s = (s + 1) & this.mask;
      }
      out[i] = g;
    }
  }

  /**
   * `insert` for one 64-bit integer key column without nulls (most join and group keys):
   * the key's words are compared in place, with no comparator call per probe.
   */
  private insertWords(words: Int32Array, hashes: Int32Array, out: Int32Array): void {
    const store = this.stores[0]!;
    let sw = store.words;
    let sv = store.valid;
    let slots = this.slots;
    let gh = this.groupHash;
    let mask = this.mask;
    for (let i = 0; i < out.length; i++) {
      const h = hashes[i]!;
      const lo = words[2 * i]!;
      const hi = words[2 * i + 1]!;
      let s = h & mask;
      let g: number;
      for (;;) {
        const slot = slots[s]!;
        if (slot === 0) {
          g = this.numGroups++;
          store.pushWords(lo, hi);
          if (g >= gh.length) {
            const next = new Int32Array(gh.length * 2);
            next.set(gh);
            this.groupHash = gh = next;
          }
          gh[g] = h;
          slots[s] = g + 1;
          if (this.numGroups * 2 > slots.length) {
            this.rehash();
            slots = this.slots;
            mask = this.mask;
          }
          sw = store.words;
          sv = store.valid;
          break;
        }
        const c = slot - 1;
        if (gh[c] === h && sw[2 * c] === lo && sw[2 * c + 1] === hi && sv[c] === 1) {
          g = c;
          break;
        }
        s = (s + 1) & mask;
      }
      out[i] = g;
    }
  }

  /**
   * Group ids of existing keys for rows [0, n), -1 where the key is absent. With
   * `nullMatches` false a row with a null in any key column gets -1 (SQL join semantics).
   */
  lookup(columns: readonly Data[], out: Int32Array, nullMatches: boolean): void {
    const n = out.length;
    const views = columns.map((c, k) => keyView(c, this.stores[k]!.kind));
    const hashes = this.hashBuffer(n);
    hashColumns(views, n, hashes);
    if (views.length === 1 && views[0]!.kind === "i64" && !views[0]!.valid) {
      this.lookupWords(views[0]!.words, hashes, out);
      return;
    }
    const eq = this.comparator(views);
    const mask = this.mask;
    for (let i = 0; i < n; i++) {
      const h = hashes[i]!;
      let s = h & mask;
      let g = -1;
      for (;;) {
        const slot = this.slots[s]!;
        if (slot === 0) break;
        if (this.groupHash[slot - 1] === h && eq(i, slot - 1)) {
          g = slot - 1;
          break;
        }
        s = (s + 1) & mask;
      }
      out[i] = g;
    }
    if (!nullMatches) {
      for (const v of views) {
        if (!v.valid) continue;
        for (let i = 0; i < n; i++) {
          const b = v.bitOffset + i;
          if (((v.valid[b >> 3]! >> (b & 7)) & 1) === 0) out[i] = -1;
        }
      }
    }
  }

  /** `lookup` for one 64-bit integer key column without nulls (see insertWords). */
  private lookupWords(words: Int32Array, hashes: Int32Array, out: Int32Array): void {
    const store = this.stores[0]!;
    const sw = store.words;
    const sv = store.valid;
    const slots = this.slots;
    const gh = this.groupHash;
    const mask = this.mask;
    for (let i = 0; i < out.length; i++) {
      const h = hashes[i]!;
      const lo = words[2 * i]!;
      const hi = words[2 * i + 1]!;
      let s = h & mask;
      let g = -1;
      for (;;) {
        const slot = slots[s]!;
        if (slot === 0) break;
        const c = slot - 1;
        if (gh[c] === h && sw[2 * c] === lo && sw[2 * c + 1] === hi && sv[c] === 1) {
          g = c;
          break;
        }
        s = (s + 1) & mask;
      }
      out[i] = g;
    }
  }

  /**
   * The whole table as typed arrays (copies), so a build made here can be rebuilt on another
   * thread with `fromBuffers` without re-hashing.
   */
  toBuffers(): TableBuffers {
    return {
      numGroups: this.numGroups,
      slots: this.slots.slice(),
      groupHash: this.groupHash.slice(0, Math.max(1, this.numGroups)),
      stores: this.stores.map((s) => s.toBuffers()),
    };
  }

  /**
   * A table from `toBuffers` without re-hashing. `readOnly` adopts the arrays (shared memory
   * that threads only probe with `lookup`; inserting into it is a bug); otherwise they are
   * copied with room to grow.
   */
  static fromBuffers(types: readonly DataType[], b: TableBuffers, readOnly = false): GroupTable {
    const t = new GroupTable(types);
    if (b.stores.length !== t.stores.length) {
      throw new Error(
        `internal: a table of ${b.stores.length} key columns given ${types.length} types`,
      );
    }
    t.numGroups = b.numGroups;
    t.slots = readOnly ? b.slots : new Int32Array(b.slots);
    t.mask = b.slots.length - 1;
    if (readOnly) t.groupHash = b.groupHash;
    else {
      t.groupHash = new Int32Array(Math.max(512, b.groupHash.length * 2));
      t.groupHash.set(b.groupHash);
    }
    t.stores.forEach((s, k) => {
      (t.stores as KeyStore[])[k] = KeyStore.fromBuffers(s.type, s.kind, b.stores[k]!, readOnly);
    });
    return t;
  }

  /** The distinct keys, one column per key, in group-id order. */
  keys(): Data[] {
    return this.stores.map((s) => s.toData());
  }

  private hashBuffer(n: number): Int32Array {
    if (this.hashes.length < n) this.hashes = new Int32Array(n);
    return this.hashes;
  }

  private generations(): number {
    let g = 0;
    for (const s of this.stores) g += s.generation;
    return g;
  }

  private comparator(views: readonly KeyView[]): (i: number, g: number) => boolean {
    const fns = views.map((v, k) => this.stores[k]!.equalsFn(v));
    if (fns.length === 1) return fns[0]!;
    if (fns.length === 2) {
      const [a, b] = fns as [(i: number, g: number) => boolean, (i: number, g: number) => boolean];
      return (i, g) => a(i, g) && b(i, g);
    }
    return (i, g) => {
      for (const f of fns) if (!f(i, g)) return false;
      return true;
    };
  }

  private rehash(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap);
    const mask = cap - 1;
    for (let g = 0; g < this.numGroups; g++) {
      let s = this.groupHash[g]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = g + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
