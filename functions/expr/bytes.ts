// Go strings are UTF-8 byte sequences: len, indexOf, slicing and string indexing count bytes.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s);
}

export function utf8Length(s: string): number {
  if (isAscii(s)) return s.length;
  return encoder.encode(s).length;
}

export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** s[from:to] in bytes; a cut through a multi-byte character yields U+FFFD (Go would keep the raw bytes). */
export function byteSlice(s: string, from: number, to: number): string {
  if (isAscii(s)) return s.slice(from, to);
  return decoder.decode(encoder.encode(s).subarray(from, to));
}

export function byteAt(s: string, index: number): number {
  if (isAscii(s)) return s.charCodeAt(index);
  return encoder.encode(s)[index]!;
}

/** Byte offset of the first occurrence of sub in s, -1 if absent. */
export function byteIndexOf(s: string, sub: string): number {
  const i = s.indexOf(sub);
  return i < 0 ? -1 : utf8Length(s.slice(0, i));
}

export function byteLastIndexOf(s: string, sub: string): number {
  const i = s.lastIndexOf(sub);
  return i < 0 ? -1 : utf8Length(s.slice(0, i));
}
