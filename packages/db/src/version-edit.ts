/**
 * Version edits: the records of a manifest (see docs/formats/manifest.md).
 *
 * ```
 * edit  = field*
 * field = tag (varint32) | payload length (varint32) | payload
 * ```
 *
 * | tag | field | payload |
 * |---|---|---|
 * | 1 | comparator | UTF-8 name of the user comparator |
 * | 2 | log number | varint64: logs with smaller numbers are no longer needed |
 * | 3 | next file number | varint64 |
 * | 4 | last sequence | varint64 |
 * | 5 | compaction pointer | varint32 level, then the internal key (rest of the payload) |
 * | 6 | deleted file | varint32 level, varint64 file number |
 * | 7 | new file | varint32 level, varint64 number, varint64 size, length-prefixed smallest and largest internal key, varint64 smallest and largest sequence, varint64 entries, varint64 tombstones [, varint64 range tombstones: only when not 0] |
 *
 * Tags 1..63 must be understood (an unknown one is `CORRUPTION`); tags from 64 up are optional and
 * skipped by readers that do not know them. Bytes after the known parts of a payload are ignored, so a
 * later version may append to a field.
 * @module
 */
import { ByteReader, ByteWriter, corruption, fromUtf8, utf8 } from '@velocity/core';
import { TableFile } from './file-meta.js';

/** Field tags. Persisted: never renumber. */
export const EditTag = {
  Comparator: 1,
  LogNumber: 2,
  NextFileNumber: 3,
  LastSequence: 4,
  CompactPointer: 5,
  DeletedFile: 6,
  NewFile: 7,
} as const;

/** First tag a reader may skip when it does not know it. */
export const FIRST_OPTIONAL_TAG = 64;

/** A file added to a level. */
export interface NewFileEntry {
  /** The level the file joins. */
  level: number;
  /** The file's number, size, key and sequence ranges, and entry counts. */
  file: TableFile;
}

/** A file removed from a level. */
export interface DeletedFileEntry {
  /** The level the file leaves. */
  level: number;
  /** The file's number. */
  number: number;
}

/** One change to the set of live files and counters. */
export class VersionEdit {
  /** Name of the user comparator (tag 1), if the edit records it. */
  comparatorName: string | undefined;
  /** Logs with smaller numbers are no longer needed (tag 2), if recorded. */
  logNumber: number | undefined;
  /** Next file number to allocate (tag 3), if recorded. */
  nextFileNumber: number | undefined;
  /** Sequence number of the last write (tag 4), if recorded. */
  lastSequence: number | undefined;
  /** Compaction pointers (tag 5), as LevelDB records them: encoded and decoded; the engine sets none. */
  readonly compactPointers: {
    /** The level the pointer belongs to. */
    level: number;
    /** The internal key where that level's next compaction starts. */
    key: Uint8Array;
  }[] = [];
  /** Files removed from levels (tag 6). */
  readonly deletedFiles: DeletedFileEntry[] = [];
  /** Files added to levels (tag 7). */
  readonly newFiles: NewFileEntry[] = [];

  /** Records that `number` leaves `level`. */
  deleteFile(level: number, number: number): void {
    this.deletedFiles.push({ level, number });
  }

  /** Records that `file` joins `level`. */
  addFile(level: number, file: TableFile): void {
    this.newFiles.push({ level, file });
  }

  /** The edit's bytes. */
  encode(): Uint8Array {
    const out = new ByteWriter(64 + this.newFiles.length * 96);
    const field = new ByteWriter(128);
    const emit = (tag: number): void => {
      out.putVarint32(tag);
      out.putLengthPrefixed(field.view());
      field.reset();
    };
    if (this.comparatorName !== undefined) {
      field.putBytes(utf8(this.comparatorName));
      emit(EditTag.Comparator);
    }
    if (this.logNumber !== undefined) {
      field.putVarint64(this.logNumber);
      emit(EditTag.LogNumber);
    }
    if (this.nextFileNumber !== undefined) {
      field.putVarint64(this.nextFileNumber);
      emit(EditTag.NextFileNumber);
    }
    if (this.lastSequence !== undefined) {
      field.putVarint64(this.lastSequence);
      emit(EditTag.LastSequence);
    }
    for (const p of this.compactPointers) {
      field.putVarint32(p.level).putBytes(p.key);
      emit(EditTag.CompactPointer);
    }
    for (const d of this.deletedFiles) {
      field.putVarint32(d.level).putVarint64(d.number);
      emit(EditTag.DeletedFile);
    }
    for (const { level, file } of this.newFiles) {
      field
        .putVarint32(level)
        .putVarint64(file.id)
        .putVarint64(file.size)
        .putLengthPrefixed(file.smallest)
        .putLengthPrefixed(file.largest)
        .putVarint64(file.smallestSequence)
        .putVarint64(file.largestSequence)
        .putVarint64(file.entries)
        .putVarint64(file.tombstones);
      // Appended only for files with range tombstones, so older readers (which ignore it) still read
      // every other edit byte for byte as before.
      if (file.rangeTombstones > 0) field.putVarint64(file.rangeTombstones);
      emit(EditTag.NewFile);
    }
    return out.finish();
  }

  /** Parses an edit; throws `CORRUPTION` when malformed. Keys are copied out of `data`. */
  static decode(data: Uint8Array): VersionEdit {
    const edit = new VersionEdit();
    const reader = new ByteReader(data);
    while (reader.remaining > 0) {
      const tag = reader.readVarint32();
      const payload = reader.readLengthPrefixed();
      const r = new ByteReader(payload);
      switch (tag) {
        case EditTag.Comparator:
          edit.comparatorName = fromUtf8(payload);
          break;
        case EditTag.LogNumber:
          edit.logNumber = r.readVarint64();
          break;
        case EditTag.NextFileNumber:
          edit.nextFileNumber = r.readVarint64();
          break;
        case EditTag.LastSequence:
          edit.lastSequence = r.readVarint64();
          break;
        case EditTag.CompactPointer: {
          const level = r.readVarint32();
          edit.compactPointers.push({ level, key: r.readBytes(r.remaining).slice() });
          break;
        }
        case EditTag.DeletedFile: {
          const level = r.readVarint32();
          edit.deletedFiles.push({ level, number: r.readVarint64() });
          break;
        }
        case EditTag.NewFile: {
          const level = r.readVarint32();
          const id = r.readVarint64();
          const size = r.readVarint64();
          const smallest = r.readLengthPrefixed().slice();
          const largest = r.readLengthPrefixed().slice();
          if (smallest.length < 8 || largest.length < 8) throw corruption('new file with a short key');
          const smallestSequence = r.readVarint64();
          const largestSequence = r.readVarint64();
          const entries = r.readVarint64();
          const tombstones = r.readVarint64();
          const rangeTombstones = r.remaining > 0 ? r.readVarint64() : 0;
          edit.newFiles.push({
            level,
            file: new TableFile({
              id,
              size,
              smallest,
              largest,
              smallestSequence,
              largestSequence,
              entries,
              tombstones,
              rangeTombstones,
            }),
          });
          break;
        }
        default:
          if (tag < FIRST_OPTIONAL_TAG) throw corruption(`unknown manifest field tag ${tag}`);
      }
    }
    return edit;
  }
}
