export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Where `tributary produce` reads lines; process.stdin when absent. */
  stdin?: NodeJS.ReadableStream;
}
