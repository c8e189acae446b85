/** `estuary init <dir>`: scaffolds a connector (filled in by the toolkit issue). */
export async function initCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { scaffold } = await import('./scaffold');
  return scaffold(args, out);
}
