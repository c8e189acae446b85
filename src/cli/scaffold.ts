/** Scaffolding of new connectors. */
export async function scaffold(_args: string[], out: NodeJS.WritableStream): Promise<number> {
  out.write('estuary init is not available yet\n');
  return 1;
}
