/**
 * A material's type is decided by its bytes, never by its name or the client's Content-Type:
 * PDF, JPEG, PNG and OFD (GB/T 33190-2016, the national layout format: a ZIP package whose root
 * holds OFD.xml).
 */
export type MaterialMediaType = 'application/pdf' | 'image/jpeg' | 'image/png' | 'application/ofd';

export const ACCEPTED_TYPES = 'PDF、JPEG、PNG、OFD';

export function sniff(head: Buffer): MaterialMediaType | null {
  if (head.length >= 5 && head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 30 && head.readUInt32LE(0) === 0x04034b50 && zipHasRootEntry(head, 'OFD.xml')) return 'application/ofd';
  return null;
}

/** Walks the ZIP local file headers in `buf` looking for an entry named exactly `name`. */
function zipHasRootEntry(buf: Buffer, name: string): boolean {
  let off = 0;
  for (let n = 0; n < 64 && off + 30 <= buf.length && buf.readUInt32LE(off) === 0x04034b50; n++) {
    const flags = buf.readUInt16LE(off + 6);
    const compressed = buf.readUInt32LE(off + 18);
    const nameLen = buf.readUInt16LE(off + 26);
    const extraLen = buf.readUInt16LE(off + 28);
    const entry = buf.subarray(off + 30, off + 30 + nameLen).toString('utf8');
    if (entry === name) return true;
    if (flags & 0x08) return false; // sizes follow the data: cannot walk further without inflating
    off += 30 + nameLen + extraLen + compressed;
  }
  return false;
}
