// Turns map() inputs into per-item inputs: mapped names are lists, the rest are constants.

/**
 * How `map` pairs its mapped lists: "zip" takes the i-th element of each (lists of equal
 * length, else it throws); "product" takes every combination (the first name varies slowest).
 */
export type MapMode = "zip" | "product";

export function mapOverNames(mapOver: string | readonly string[], where: string): string[] {
  const names = typeof mapOver === "string" ? [mapOver] : [...mapOver];
  if (names.length === 0) throw new Error(`${where}: mapOver must name at least one input.`);
  if (new Set(names).size !== names.length) {
    throw new Error(`${where}: mapOver lists a name twice (${names.join(", ")}).`);
  }
  return names;
}

/** One input object per item, in input order (product: the first name varies slowest). */
export function expandItems(
  inputs: Readonly<Record<string, unknown>>,
  mapOver: readonly string[],
  mode: MapMode,
  where: string,
): Record<string, unknown>[] {
  const lists = mapOver.map((name) => {
    if (!(name in inputs)) {
      throw new Error(
        `${where}: mapOver names "${name}" but the inputs have no such key. Inputs: ${Object.keys(inputs).join(", ") || "(none)"}.`,
      );
    }
    const v = inputs[name];
    if (!Array.isArray(v)) {
      throw new Error(
        `${where}: the mapped input "${name}" must be an array (got ${v === null ? "null" : typeof v}). ` +
          "Wrap a single value in [ ] or leave it out of mapOver to pass it as a constant.",
      );
    }
    return v as readonly unknown[];
  });
  if (mode !== "zip" && mode !== "product") {
    throw new Error(`${where}: mode must be "zip" or "product" (got ${String(mode)}).`);
  }
  const base: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) if (!mapOver.includes(k)) base[k] = v;
  if (mode === "zip") {
    const n = lists[0]!.length;
    if (lists.some((l) => l.length !== n)) {
      const lengths = mapOver.map((name, i) => `${name}: ${lists[i]!.length}`).join(", ");
      throw new Error(
        `${where}: zip mode needs mapped lists of equal length, got ${lengths}. ` +
          'Pass lists of one length, or mode: "product" for every combination.',
      );
    }
    return Array.from({ length: n }, (_, i) => {
      const item = { ...base };
      mapOver.forEach((name, j) => {
        item[name] = lists[j]![i];
      });
      return item;
    });
  }
  let items: Record<string, unknown>[] = [{ ...base }];
  mapOver.forEach((name, j) => {
    items = items.flatMap((item) => lists[j]!.map((v) => ({ ...item, [name]: v })));
  });
  return items;
}
