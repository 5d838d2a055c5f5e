/**
 * An incremental RFC 4180 tokenizer over decoded text. `parse` consumes complete records
 * from `text` starting at `pos` and returns where the first incomplete record begins, so the
 * caller can prepend that rest to the next chunk. Line numbers are 1-based file lines, counted
 * across quoted newlines, so errors can point at the record's first line.
 */
export class CsvTokenizer {
  /** File line of the next record's first character. */
  line = 1;
  readonly fields: string[] = [];
  /** Whether each field was quoted ("" is an empty string, an empty unquoted field may be null). */
  readonly quoted: boolean[] = [];
  count = 0;

  constructor(
    private readonly delim: number,
    private readonly quote: number,
  ) {}

  /**
   * Calls `onRecord(line)` for each record (fields in `this.fields[0..count)`); stops early
   * when it returns false. Returns the position after the last consumed record.
   */
  parse(text: string, pos: number, final: boolean, onRecord: (line: number) => boolean): number {
    const { delim, quote, fields, quoted } = this;
    const len = text.length;
    while (pos < len) {
      const start = pos;
      const startLine = this.line;
      let lines = 0;
      let count = 0;
      let done = false;
      // Blank lines are skipped (they are not records of one empty field).
      const c0 = text.charCodeAt(pos);
      if (c0 === 10 || (c0 === 13 && text.charCodeAt(pos + 1) === 10)) {
        if (c0 === 13 && pos + 1 >= len && !final) return pos;
        pos += c0 === 13 ? 2 : 1;
        this.line++;
        continue;
      }
      while (!done) {
        if (pos < len && text.charCodeAt(pos) === quote) {
          // Quoted field: "" inside is one quote; delimiters and newlines are literal.
          let value = "";
          let from = pos + 1;
          let i = from;
          let closed = false;
          while (i < len) {
            const c = text.charCodeAt(i);
            if (c === quote) {
              if (text.charCodeAt(i + 1) === quote) {
                value += text.slice(from, i + 1);
                i += 2;
                from = i;
                continue;
              }
              if (i + 1 >= len && !final) break;
              closed = true;
              break;
            }
            if (c === 10) lines++;
            i++;
          }
          if (!closed) {
            if (!final) {
              this.line = startLine;
              return start;
            }
            throw new CsvSyntaxError(
              startLine,
              "a quoted field is not closed before the end of the file",
            );
          }
          value += text.slice(from, i);
          quoted[count] = true;
          fields[count++] = value;
          pos = i + 1;
          const c = text.charCodeAt(pos);
          if (c === delim) pos++;
          else if (pos >= len) {
            if (!final) {
              this.line = startLine;
              return start;
            }
            done = true;
          } else if (c === 10 || c === 13) {
            if (c === 13 && pos + 1 >= len && !final) {
              this.line = startLine;
              return start;
            }
            pos += c === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
            lines++;
            done = true;
          } else
            throw new CsvSyntaxError(
              startLine + lines,
              `unexpected text after a closing quote in field ${count}`,
            );
          continue;
        }
        let i = pos;
        let c = 0;
        while (i < len) {
          c = text.charCodeAt(i);
          if (c === delim || c === 10 || c === 13) break;
          i++;
        }
        if (i >= len && !final) {
          this.line = startLine;
          return start;
        }
        quoted[count] = false;
        fields[count++] = text.slice(pos, i);
        if (i >= len) {
          pos = i;
          done = true;
        } else if (c === delim) {
          pos = i + 1;
          if (pos >= len && final) {
            quoted[count] = false;
            fields[count++] = "";
            done = true;
          }
        } else {
          if (c === 13 && i + 1 >= len && !final) {
            this.line = startLine;
            return start;
          }
          pos = i + (c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1);
          lines++;
          done = true;
        }
      }
      this.count = count;
      this.line = startLine + lines;
      if (!onRecord(startLine)) return pos;
    }
    return pos;
  }
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}
