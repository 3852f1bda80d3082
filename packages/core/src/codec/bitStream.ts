/**
 * Bit-level writer and reader for the codec's index and value sections. Bits go in
 * least-significant-first within each byte, so a 2-bit code `c_i` sits at bits
 * `2·(i mod 4)` of byte `⌊i/4⌋`. Internal to codec/.
 */

/** Writes values of up to 32 bits into a zero-filled byte array. */
export class BitWriter {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Bits written so far. */
  get bitLength(): number {
    return this.position;
  }

  /** Appends the low `width` bits of `value` (0 ≤ width ≤ 32). */
  write(value: number, width: number): void {
    let rest = value >>> 0;
    let left = width;
    let position = this.position;
    while (left > 0) {
      const byte = Math.floor(position / 8);
      const offset = position % 8;
      const take = Math.min(8 - offset, left);
      this.bytes[byte] = (this.bytes[byte] ?? 0) | ((rest & ((1 << take) - 1)) << offset);
      rest >>>= take;
      left -= take;
      position += take;
    }
    this.position = position;
  }

  /** Appends `count` zero bits. */
  skip(count: number): void {
    this.position += count;
  }
}

/** Reads values of up to 32 bits; the caller keeps reads within the section it sized. */
export class BitReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Bits read so far. */
  get bitLength(): number {
    return this.position;
  }

  /** Reads the next `width` bits (0 ≤ width ≤ 32) as an unsigned integer. */
  read(width: number): number {
    let value = 0;
    let got = 0;
    let position = this.position;
    while (got < width) {
      const byte = Math.floor(position / 8);
      const offset = position % 8;
      const take = Math.min(8 - offset, width - got);
      const bits = ((this.bytes[byte] ?? 0) >>> offset) & ((1 << take) - 1);
      value += bits * 2 ** got;
      got += take;
      position += take;
    }
    this.position = position;
    return value;
  }

  /** Reads one bit. */
  readBit(): number {
    const position = this.position++;
    return ((this.bytes[Math.floor(position / 8)] ?? 0) >>> (position % 8)) & 1;
  }
}
