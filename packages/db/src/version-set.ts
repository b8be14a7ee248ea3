/**
 * The version set: the current version, the live older versions still used by readers, the counters
 * (next file number, log number, last sequence) and the manifest that records every change.
 * @module
 */
import { type Comparator, type FileSystem, VelocityError, corruption, invalidArgument } from '@velocity/core';
import { ManifestWriter, readCurrent, readManifest, writeCurrent } from './manifest.js';
import { Version, VersionBuilder } from './version.js';
import { VersionEdit } from './version-edit.js';

/** Levels a manifest may name (a strategy uses at most this many). */
export const MAX_LEVELS = 64;

/** Versions, counters and the manifest of one open database. */
export class VersionSet {
  /** The newest version (the set holds one reference to it). */
  current: Version;
  /** Versions with references (current included). */
  private readonly live = new Set<Version>();
  /** Next unused file number. */
  nextFileNumber = 2;
  /** Write-ahead logs numbered below this hold nothing the tables lack. */
  logNumber = 0;
  /** Sequence number of the last write applied. */
  lastSequence = 0;
  private manifest: ManifestWriter | undefined;
  private manifestNumber = 0;
  /** True when recovery cut damaged bytes off the end of the manifest. */
  manifestTailDropped = false;
  /** Called when a version loses its last reference (the database then deletes obsolete files). */
  onVersionReleased: () => void = () => {};
  /** The last edit queued by {@link VersionSet.logAndApplyAsync}, settled (never rejects). */
  private installs: Promise<void> = Promise.resolve();
  /** Edits queued by {@link VersionSet.logAndApplyAsync} and not yet settled. */
  private queuedInstalls = 0;
  /**
   * Why recording an edit failed, once one did. The edit may have reached the manifest anyway, so no
   * later edit is recorded after it (it would be replayed on top of an edit this process never
   * installed): every later call fails with this error.
   */
  private recordError: unknown;

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly ucmp: Comparator,
    readonly numLevels: number,
    private readonly maxManifestSize: number,
  ) {
    this.current = this.makeVersion(Array.from({ length: numLevels }, () => []));
    this.current.ref();
  }

  private makeVersion(levels: ReturnType<VersionBuilder['build']>): Version {
    const version = new Version(levels, this.ucmp, (v) => {
      this.live.delete(v);
      this.onVersionReleased();
    });
    this.live.add(version);
    return version;
  }

  /** Allocates a file number. */
  newFileNumber(): number {
    return this.nextFileNumber++;
  }

  /** Number of the manifest in use. */
  get manifestFileNumber(): number {
    return this.manifestNumber;
  }

  /**
   * Loads the state named by `CURRENT`. Throws `INVALID_ARGUMENT` if the recorded comparator differs
   * from ours, `CORRUPTION` for a damaged or incomplete manifest. Writes nothing.
   */
  recover(): void {
    const manifestNumber = readCurrent(this.fs, this.dir);
    const { edits, tailDropped } = readManifest(this.fs, this.dir, manifestNumber);
    this.manifestTailDropped = tailDropped;
    const builder = new VersionBuilder(this.ucmp, MAX_LEVELS);
    let logNumber: number | undefined;
    let nextFileNumber: number | undefined;
    let lastSequence: number | undefined;
    for (const edit of edits) {
      if (edit.comparatorName !== undefined && edit.comparatorName !== this.ucmp.name) {
        throw invalidArgument(
          `database was created with comparator ${edit.comparatorName}, opened with ${this.ucmp.name}`,
        );
      }
      builder.apply(edit);
      logNumber = edit.logNumber ?? logNumber;
      nextFileNumber = edit.nextFileNumber ?? nextFileNumber;
      lastSequence = edit.lastSequence ?? lastSequence;
    }
    if (logNumber === undefined || nextFileNumber === undefined || lastSequence === undefined) {
      throw corruption(`manifest ${manifestNumber} lacks log number, next file number or last sequence`);
    }
    const deepest = builder.deepestLevel();
    if (deepest >= this.numLevels) {
      throw invalidArgument(
        `the database has files in level ${deepest} but the compaction strategy uses ${this.numLevels} levels`,
      );
    }
    const levels = builder.build().slice(0, this.numLevels);
    this.installVersion(this.makeVersion(levels));
    this.logNumber = logNumber;
    this.nextFileNumber = Math.max(nextFileNumber, manifestNumber + 1);
    this.lastSequence = lastSequence;
    this.manifestNumber = manifestNumber;
  }

  /** Takes over the state `other` recovered (a read-only handle catching up with the writer). */
  adopt(other: VersionSet): void {
    this.installVersion(this.makeVersion(other.current.levels.map((files) => [...files])));
    this.logNumber = other.logNumber;
    this.nextFileNumber = other.nextFileNumber;
    this.lastSequence = other.lastSequence;
    this.manifestNumber = other.manifestNumber;
  }

  /** Makes sure no file number at or below `n` is handed out again. */
  markFileNumberUsed(n: number): void {
    if (this.nextFileNumber <= n) this.nextFileNumber = n + 1;
  }

  private installVersion(version: Version): void {
    version.ref();
    const old = this.current;
    this.current = version;
    old.unref();
  }

  /** The full state as one edit (the first record of every manifest). */
  private snapshotEdit(version: Version, logNumber: number): VersionEdit {
    const edit = new VersionEdit();
    edit.comparatorName = this.ucmp.name;
    edit.logNumber = logNumber;
    edit.nextFileNumber = this.nextFileNumber;
    edit.lastSequence = this.lastSequence;
    version.levels.forEach((files, level) => {
      for (const f of files) edit.addFile(level, f);
    });
    return edit;
  }

  /**
   * Applies `edit` to the current version, records it durably in the manifest (starting a new manifest
   * with a full snapshot when there is none yet or the current one is too large), and installs the
   * result as the current version. On failure nothing is installed and the error is thrown, by this
   * call and by every later one.
   * REQUIRES: no edit queued by {@link VersionSet.logAndApplyAsync} (recovery, read-only catch-up).
   */
  logAndApply(edit: VersionEdit): void {
    if (this.queuedInstalls > 0)
      throw new VelocityError('INVALID_ARGUMENT', 'an edit is being recorded in the background');
    if (this.recordError !== undefined) throw this.recordError;
    const version = this.prepare(edit);
    const logNumber = edit.logNumber as number;
    try {
      if (this.needsNewManifest()) this.startManifest(version, logNumber);
      else (this.manifest as ManifestWriter).append(edit);
    } catch (error) {
      this.live.delete(version);
      this.recordError = error;
      throw error;
    }
    this.install(version, logNumber);
  }

  /**
   * {@link VersionSet.logAndApply} with the manifest's fsync off the main thread where the file
   * allows it (a disk's fsync takes milliseconds, a cloud volume's tens, and the event loop would stop
   * for all of it). Edits queued here are applied one after another in call order, each to the
   * version the previous one installed; the current version, the log number and everything derived
   * from them (which logs and tables are obsolete) change only once the edit is durable, as with
   * the synchronous call. Rejects, installing nothing, when recording fails, and so do all later
   * edits.
   */
  logAndApplyAsync(edit: VersionEdit): Promise<void> {
    this.queuedInstalls++;
    const run = this.installs.then(() => this.recordAndInstall(edit));
    this.installs = run.then(
      () => {
        this.queuedInstalls--;
      },
      () => {
        this.queuedInstalls--;
      },
    );
    return run;
  }

  /** Resolves once every edit queued by {@link VersionSet.logAndApplyAsync} has settled. */
  whenInstalled(): Promise<void> {
    return this.installs;
  }

  /**
   * True while an edit queued by {@link VersionSet.logAndApplyAsync} has not settled: it may be in the
   * manifest file already while `current` is still the version before it.
   */
  get recording(): boolean {
    return this.queuedInstalls > 0;
  }

  private async recordAndInstall(edit: VersionEdit): Promise<void> {
    if (this.recordError !== undefined) throw this.recordError;
    const version = this.prepare(edit);
    const logNumber = edit.logNumber as number;
    try {
      if (this.needsNewManifest()) this.startManifest(version, logNumber);
      else await (this.manifest as ManifestWriter).appendAsync(edit);
    } catch (error) {
      this.live.delete(version);
      this.recordError = error;
      throw error;
    }
    this.install(version, logNumber);
  }

  /** Fills in `edit`'s counters and builds the version it makes of the current one. */
  private prepare(edit: VersionEdit): Version {
    if (edit.logNumber !== undefined) {
      if (edit.logNumber < this.logNumber)
        throw new VelocityError('INVALID_ARGUMENT', 'log number moved back');
    } else {
      edit.logNumber = this.logNumber;
    }
    edit.nextFileNumber = this.nextFileNumber;
    edit.lastSequence = this.lastSequence;
    const builder = new VersionBuilder(this.ucmp, this.numLevels, this.current);
    builder.apply(edit);
    return this.makeVersion(builder.build());
  }

  private needsNewManifest(): boolean {
    return this.manifest === undefined || this.manifest.size >= this.maxManifestSize;
  }

  /** Makes a recorded edit's result current. */
  private install(version: Version, logNumber: number): void {
    this.logNumber = logNumber;
    this.installVersion(version);
  }

  /** Writes a new manifest holding `version`, points `CURRENT` at it, and closes the old one. */
  private startManifest(version: Version, logNumber: number): void {
    const number = this.newFileNumber();
    const snapshot = this.snapshotEdit(version, logNumber);
    snapshot.nextFileNumber = this.nextFileNumber;
    const writer = ManifestWriter.create(this.fs, this.dir, number, snapshot);
    try {
      writeCurrent(this.fs, this.dir, number);
    } catch (error) {
      writer.close();
      throw error;
    }
    this.manifest?.close();
    this.manifest = writer;
    this.manifestNumber = number;
  }

  /** Numbers of every table file some live version lists. */
  liveFiles(): Set<number> {
    const out = new Set<number>();
    for (const v of this.live) for (const level of v.levels) for (const f of level) out.add(f.id);
    return out;
  }

  /** Number of versions with references (the current one included). */
  get liveVersionCount(): number {
    return this.live.size;
  }

  /** Closes the manifest. */
  close(): void {
    this.manifest?.close();
    this.manifest = undefined;
  }
}
