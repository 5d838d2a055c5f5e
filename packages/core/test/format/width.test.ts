import { cutToWidth, displayWidth, padToWidth } from "@deft/core/internal";
import { describe, expect, it } from "vitest";

describe("displayWidth", () => {
  const cases: [string, number][] = [
    ["abc", 3],
    ["日本語", 6],
    ["한국어", 6],
    ["ｆｕｌｌ", 8],
    ["😀😀", 4],
    ["👩‍👩‍👧", 2],
    ["👍🏽", 2],
    ["é", 1],
    ["e\u0301", 1],
    ["❤️", 1],
    ["", 0],
  ];
  it.each(cases)("%s is %i columns", (s, w) => {
    expect(displayWidth(s)).toBe(w);
  });

  it("cuts and pads by columns, never splitting a wide character", () => {
    expect(cutToWidth("日本語", 5)).toBe("日本");
    expect(cutToWidth("ab😀c", 3)).toBe("ab");
    expect(padToWidth("日本", 6)).toBe("日本  ");
    expect(padToWidth("1.5", 5, true)).toBe("  1.5");
  });
});
