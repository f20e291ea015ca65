/**
 * Writes records to stdout with backpressure, and notices when the reader went away
 * (`runnel consume t | head -3`), so consuming stops instead of failing with EPIPE.
 */
export class StdoutWriter {
  private closed = false;
  private readonly closedListeners: (() => void)[] = [];

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') process.stderr.write(`runnel: cannot write to stdout: ${err.message}\n`);
      this.close();
    });
  }

  onClosed(listener: () => void): void {
    if (this.closed) listener();
    else this.closedListeners.push(listener);
  }

  /** Resolves once the bytes are handed to the OS or buffered under the high-water mark. */
  async write(bytes: Buffer): Promise<void> {
    if (this.closed) return;
    if (this.stream.write(bytes)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.onClosed(done);
    });
  }

  /** Waits until everything written so far is flushed. */
  async end(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => this.stream.write('', () => resolve()));
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closedListeners.splice(0)) l();
  }
}
