/**
 * Where material files live: under the data directory (`<dataDir>/uploads/ab/<id>`), written to a
 * temporary name and renamed into place so a crash never leaves a half file under a real name.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export class FileStorage {
  constructor(private readonly root: string) {}

  tempPath(id: string): string {
    return path.join(this.root, 'tmp', `${id}.part`);
  }

  async prepare(): Promise<void> {
    await mkdir(path.join(this.root, 'tmp'), { recursive: true });
  }

  keyFor(id: string): string {
    return `${id.slice(0, 2)}/${id}`;
  }

  async commit(tempFile: string, key: string): Promise<void> {
    const dest = path.join(this.root, key);
    await mkdir(path.dirname(dest), { recursive: true });
    await rename(tempFile, dest);
  }

  async discard(tempFile: string): Promise<void> {
    await rm(tempFile, { force: true });
  }

  async remove(key: string): Promise<void> {
    await rm(path.join(this.root, key), { force: true });
  }

  read(key: string) {
    return createReadStream(path.join(this.root, key));
  }
}
