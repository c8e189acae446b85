import { printCommand, runCommand } from './run-command';

const USAGE = `usage: estuary <command> [options]

commands:
  run <connector>                       serve the Flow capture protocol on stdio
  run --airbyte -- <command…>           serve an Airbyte-protocol source (spec, check, discover, read) as a Flow capture
  spec <connector>                      print the connector's spec
  discover <connector> --config <file>  print the discovered bindings
  docs <connector> [--check|--write f]  render the config reference page (Markdown)
  preview <connector> [options]         play the Flow runtime locally and print what is captured
  init <dir>                            scaffold a new connector
  test [--mocha] [files…]               run the connector's TypeScript specs with decorator metadata

<connector> is a .ts or .js file, or a folder holding connector.ts.`;

/** The `estuary` command. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'run':
      return runCommand(args);
    case 'spec':
    case 'discover':
      return printCommand(command, args, process.stdout);
    case 'docs':
      return (await import('./docs-command')).docsCommand(args, process.stdout, process.stderr);
    case 'preview': {
      const { previewCommand } = await import('../harness/preview-command');
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- typed boolean, but undefined when stderr is not a TTY
      return previewCommand(args, { stdout: process.stdout, stderr: process.stderr, isTTY: process.stderr.isTTY === true });
    }
    case 'init': {
      const { initCommand } = await import('./init-command');
      return initCommand(args, process.stdout);
    }
    case 'test': {
      const { testCommand } = await import('./test-command');
      return testCommand(args, process.stdout, process.stderr);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`estuary: unknown command '${command}'\n${USAGE}\n`);
      return 2;
  }
}
