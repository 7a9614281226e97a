/**
 * Text fields: EBCDIC by code page table (tables generated from CPython/glibc, see
 * generate-code-pages.py) or ASCII-family charsets via Node's decoders; then the trimming policy.
 */
import { CODE_PAGE_TABLES } from './code-pages.generated.ts';

export type TrimPolicy = 'none' | 'left' | 'right' | 'both' | 'keep_all';
export const TRIM_POLICIES: readonly TrimPolicy[] = ['none', 'left', 'right', 'both', 'keep_all'];

export const EBCDIC_CODE_PAGES: readonly string[] = Object.keys(CODE_PAGE_TABLES);
export const ASCII_CHARSETS: readonly string[] = ['ascii', 'latin1', 'utf8', 'utf-8', 'iso-8859-1', 'us-ascii'];

const tableCache = new Map<string, Uint16Array>();

// Custom pages (Cobrix's ebcdic_code_page_class): kept on globalThis so that a plugin package's
// copy of this module registers into the worker's.
const CUSTOM_PAGES = Symbol.for('tributary.mainframe.codePages');
const customHolder = globalThis as unknown as Record<symbol, Map<string, string> | undefined>;
const customPages = (customHolder[CUSTOM_PAGES] ??= new Map<string, string>());
const CUSTOM_PREFIX = 'custom:';

/**
 * Registers a custom EBCDIC code page under a name usable as `ebcdic.code.page` (or Cobrix's
 * `ebcdic_code_page_class`): 256 characters, the one byte 0x00..0xFF decodes to; used as given
 * (control characters are not turned into spaces).
 */
export function registerEbcdicCodePage(name: string, table: string | ArrayLike<number>): void {
  const text = typeof table === 'string' ? table : String.fromCharCode(...Array.from(table));
  if (text.length !== 256)
    throw new Error(`a code page table has 256 characters (one per byte), ${name} has ${text.length}`);
  const n = name.trim().toLowerCase();
  customPages.set(n, text);
  tableCache.delete(CUSTOM_PREFIX + n);
}

/** Normalises `cp037`, `CP037`, `IBM037`, `ibm-037`, `037` and Cobrix's `common` to a table key. */
export function codePageKey(name: string): string | undefined {
  const n = name.trim().toLowerCase();
  if (customPages.has(n)) return CUSTOM_PREFIX + n;
  if (n === 'common' || n === 'common_extended') return 'cp037';
  const m = /^(?:cp|ibm-?|ccsid-?)?0*(\d{2,4})(?:_extended)?$/.exec(n);
  if (!m) return undefined;
  const key = `cp${m[1].padStart(3, '0')}`;
  return key in CODE_PAGE_TABLES ? key : undefined;
}

export function codePageTable(name: string): Uint16Array {
  const key = codePageKey(name);
  if (!key) throw new Error(`Unknown EBCDIC code page "${name}"; supported: ${EBCDIC_CODE_PAGES.join(', ')}`);
  let t = tableCache.get(key);
  if (!t) {
    const s = key.startsWith(CUSTOM_PREFIX) ? customPages.get(key.slice(CUSTOM_PREFIX.length))! : CODE_PAGE_TABLES[key];
    t = new Uint16Array(256);
    for (let i = 0; i < 256; i++) t[i] = s.charCodeAt(i);
    tableCache.set(key, t);
  }
  return t;
}

export interface TextDecoder {
  /** Decodes bytes [start, end) without trimming. */
  decode(buf: Buffer, start: number, end: number): string;
  /** The encoding's space byte (0x40 EBCDIC, 0x20 ASCII). */
  readonly space: number;
  readonly ebcdic: boolean;
  /** One character per byte (Latin-1 permutations and single-byte charsets): substrings of a decoded record are decoded fields. */
  readonly singleByte: boolean;
  /** 1 for bytes that decode to U+0000-U+0020: what trimming removes (as Java's String.trim in Cobrix). */
  readonly pad: Uint8Array;
  /**
   * Single-byte decoders: the record [start, end) as one string of which only the characters
   * inside `spans` (pairs of offsets from start) are meaningful; null spans: all of it.
   */
  decodeSpans?(buf: Buffer, start: number, end: number, spans: Int32Array | null): string;
}

const scratch = new Uint16Array(32 * 1024);
const scratchBytes = Buffer.allocUnsafe(32 * 1024);

/**
 * The table text fields decode with, as Cobrix names pages: `cpNNN` turns control characters
 * (below U+0020 and U+007F-U+009F) into spaces, `cpNNN_extended` keeps them; `common` is cp037
 * limited to printable ASCII (anything else a space), `common_extended` cp037 limited to ASCII.
 */
export function displayTable(codePage: string): Uint16Array {
  const n = codePage.trim().toLowerCase();
  const base = codePageTable(n);
  if (customPages.has(n)) return base;
  const cobrix = cobrixTable(n, base);
  if (cobrix) return cobrix;
  if (n.endsWith('_extended') && n !== 'common_extended') return base;
  const keep =
    n === 'common'
      ? (c: number) => c >= 0x20 && c < 0x7f
      : n === 'common_extended'
        ? (c: number) => c < 0x80
        : (c: number) => c >= 0x20 && (c < 0x7f || c >= 0xa0);
  return base.map((c) => (keep(c) ? c : 0x20));
}

/**
 * Cobrix's own pages, as Cobrix 2.6.9 decodes them (checked position by position against it,
 * test/integration/mainframe/cobrix-code-pages.test.ts): `common` and `common_extended` differ
 * from cp037 at a few positions (0x0D/0x25 as LF/CR, 0x6A broken bar, 0xCA hyphen; control
 * bytes as SUB), `cp037_extended` keeps C0 controls and NEL but makes the other C1 controls spaces.
 */
const COBRIX_OVERRIDES: Record<string, Record<number, number>> = {
  common: { 0x0d: 0x0a, 0x25: 0x0d, 0x6a: 0xa6, 0xca: 0x2d },
  common_extended: {
    0x04: 0x1a,
    0x06: 0x1a,
    0x07: 0x20,
    0x08: 0x1a,
    0x09: 0x1a,
    0x0a: 0x1a,
    0x0d: 0x0a,
    0x14: 0x1a,
    0x15: 0x1a,
    0x17: 0x1a,
    0x1a: 0x1a,
    0x1b: 0x1a,
    0x25: 0x0d,
    0x3f: 0x20,
    0x6a: 0xa6,
    0xca: 0x2d,
  },
};

function cobrixTable(name: string, cp037: Uint16Array): Uint16Array | null {
  if (name === 'cp037_extended')
    return cp037.map((c, b) =>
      b === 0x0d ? 0x0a : b === 0x25 ? 0x0d : c >= 0x80 && c < 0xa0 && c !== 0x85 ? 0x20 : c,
    );
  const overrides = COBRIX_OVERRIDES[name];
  if (!overrides) return null;
  const base =
    name === 'common' ? cp037.map((c) => (c >= 0x20 && c < 0x7f ? c : 0x20)) : cp037.map((c) => (c < 0x80 ? c : 0x20));
  for (const [b, c] of Object.entries(overrides)) base[Number(b)] = c;
  return base;
}

export function ebcdicDecoder(codePage: string): TextDecoder {
  const table = displayTable(codePage);
  const pad = Uint8Array.from(table, (c) => (c <= 0x20 ? 1 : 0));
  if (table.every((c) => c <= 0xff)) {
    // a permutation of Latin-1 (cp037, cp500, ...): translate bytes, then Node's native latin1 decoder
    const map = Uint8Array.from(table);
    return {
      space: 0x40,
      ebcdic: true,
      singleByte: true,
      pad,
      decode(buf, start, end) {
        const n = end - start;
        if (n <= 0) return '';
        const out = n <= scratchBytes.length ? scratchBytes : Buffer.allocUnsafe(n);
        for (let i = 0; i < n; i++) out[i] = map[buf[start + i]];
        return out.toString('latin1', 0, n);
      },
      decodeSpans(buf, start, end, spans) {
        const n = end - start;
        if (n <= 0) return '';
        const out = n <= scratchBytes.length ? scratchBytes : Buffer.allocUnsafe(n);
        if (spans === null) for (let i = 0; i < n; i++) out[i] = map[buf[start + i]];
        else {
          for (let k = 0; k < spans.length; k += 2) {
            const b = spans[k + 1] < n ? spans[k + 1] : n;
            for (let i = spans[k]; i < b; i++) out[i] = map[buf[start + i]];
          }
        }
        return out.toString('latin1', 0, n);
      },
    };
  }
  return {
    space: 0x40,
    ebcdic: true,
    singleByte: false,
    pad,
    decode(buf, start, end) {
      const n = end - start;
      if (n <= 0) return '';
      if (n > scratch.length) {
        let s = '';
        for (let i = start; i < end; i++) s += String.fromCharCode(table[buf[i]]);
        return s;
      }
      for (let i = 0; i < n; i++) scratch[i] = table[buf[start + i]];
      return String.fromCharCode.apply(null, scratch.subarray(0, n) as unknown as number[]);
    },
  };
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f]/g;
const ASCII_PAD = Uint8Array.from({ length: 256 }, (_, b) => (b <= 0x20 ? 1 : 0));
/** US-ASCII: bytes above 0x7F read as spaces, so they trim as spaces. */
const US_ASCII_PAD = Uint8Array.from({ length: 256 }, (_, b) => (b <= 0x20 || b >= 0x80 ? 1 : 0));

const NON_ASCII = /[\u0080-\uffff]/g;

export function asciiDecoder(charset: string): TextDecoder {
  const c = charset.trim().toLowerCase();
  const enc: BufferEncoding =
    c === 'utf8' || c === 'utf-8' ? 'utf8' : c === 'ascii' || c === 'us-ascii' ? 'ascii' : 'latin1';
  // control characters are left out of ASCII text, and US-ASCII reads bytes above 0x7F as spaces, as Cobrix reads them
  const decode =
    enc === 'ascii'
      ? (buf: Buffer, start: number, end: number) =>
          buf.toString('latin1', start, end).replace(CONTROL_CHARACTERS, '').replace(NON_ASCII, ' ')
      : (buf: Buffer, start: number, end: number) => buf.toString(enc, start, end).replace(CONTROL_CHARACTERS, '');
  return { space: 0x20, ebcdic: false, singleByte: false, pad: enc === 'ascii' ? US_ASCII_PAD : ASCII_PAD, decode };
}

export function textDecoderFor(encoding: 'ebcdic' | 'ascii', codePage: string, asciiCharset: string): TextDecoder {
  return encoding === 'ebcdic' ? ebcdicDecoder(codePage) : asciiDecoder(asciiCharset);
}

function isPad(c: number, keepNul: boolean): boolean {
  return c === 0x20 || (!keepNul && c === 0);
}

/** Trims spaces (and NULs, except with keep_all) at the ends the policy names. */
export function trimText(s: string, policy: TrimPolicy): string {
  if (policy === 'none' || policy === 'keep_all') return s;
  let a = 0;
  let b = s.length;
  if (policy === 'left' || policy === 'both') while (a < b && isPad(s.charCodeAt(a), false)) a++;
  if (policy === 'right' || policy === 'both') while (b > a && isPad(s.charCodeAt(b - 1), false)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** UTF-16BE (USAGE NATIONAL / PIC N). */
export function decodeNational(buf: Buffer, start: number, end: number): string {
  let s = '';
  for (let i = start; i + 1 < end; i += 2) s += String.fromCharCode((buf[i] << 8) | buf[i + 1]);
  return s;
}
