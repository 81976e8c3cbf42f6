// How the command-line tools end: the exit code their main returns, or 1 with the error on stderr.
export function runCli(main: (argv: string[]) => Promise<number>): void {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}
