import { CaptureError, CdkError, ProtocolError } from '../common/errors';
import { DEFAULT_ENCRYPTION_URL, HttpClient, encryptConfig } from '../common/http';
import { PROTOCOL_VERSION, type CaptureBindingSpec } from '../protocol';
import { readAcknowledgements, requestReader } from '../runtime/io/request-reader';
import { OutputWriter } from '../runtime/io/output-writer';
import type { ServeOptions } from '../runtime/server';
import { StopSignal } from '../runtime/capture/stop-signal';
import { Transactor } from '../runtime/capture/transactor';
import type { AirbyteStream } from './airbyte-protocol';
import type { AirbyteShim } from './airbyte-shim';
import { runShimCapture, type ShimBinding } from './shim-capture';
import { SHIM_RESOURCE_CONFIG_SCHEMA, SHIM_RESOURCE_PATH_POINTERS, documentSchema, shimBindings, type ShimResourceConfig } from './shim-discovery';
import { ShimTask } from './shim-task';

/** A failed `check`: one line with the source's message. */
export class AirbyteCheckError extends CdkError {
  constructor(message: string) {
    super('VALIDATION', message, { userError: true });
  }
}

/**
 * Serves the Flow capture protocol for an Airbyte shim on the runtime's stdio transport, until
 * stdin closes or a capture ends. Throws on failure (the caller logs it last and exits 1).
 */
export async function serveAirbyte(shim: AirbyteShim, options: ServeOptions): Promise<void> {
  const out = new OutputWriter(options.stdout);
  const send = (msg: unknown): Promise<void> => out.write(JSON.stringify(msg) + '\n');
  const log = options.log;
  const driver = shim.driver(log);
  const opts = shim.options;
  const requests = requestReader(options.stdin);
  for (;;) {
    const item = await requests.next();
    if (item === undefined) return;
    const { req, kind } = item;
    switch (kind) {
      case 'spec': {
        const spec = await driver.spec();
        await send({
          spec: {
            protocol: PROTOCOL_VERSION,
            configSchema: spec.connectionSpecification,
            resourceConfigSchema: SHIM_RESOURCE_CONFIG_SCHEMA,
            documentationUrl: opts.documentationUrl ?? (process.env.DOCS_URL || undefined) ?? spec.documentationUrl ?? '',
            ...(opts.oauth2 !== undefined ? { oauth2: opts.oauth2 } : {}),
            resourcePathPointers: SHIM_RESOURCE_PATH_POINTERS,
          },
        });
        break;
      }
      case 'discover':
        await send({ discovered: { bindings: shimBindings(await driver.discover(req.discover!.config), { schemaInference: opts.schemaInference === true }) } });
        break;
      case 'validate': {
        const v = req.validate!;
        const status = await driver.check(v.config);
        if (status.status !== 'SUCCEEDED') throw new AirbyteCheckError(status.message ?? `the Airbyte source's check failed without a message`);
        const streams = await driver.discover(v.config);
        const resolved = resolveShimBindings(v.bindings ?? [], streams);
        await send({ validated: { bindings: resolved.map((b) => ({ resourcePath: resourcePath(b.resourceConfig) })) } });
        break;
      }
      case 'apply':
        await send({ applied: { actionDescription: '' } });
        break;
      case 'open': {
        const o = req.open!;
        const streams = await driver.discover(o.capture.config);
        const resolved = resolveShimBindings(o.capture.bindings ?? [], streams);
        const bindings: ShimBinding[] = resolved.map((r, index) => ({
          index,
          stateKey: r.spec.stateKey ?? r.resourceConfig.stream,
          stream: r.resourceConfig.stream,
          namespace: r.resourceConfig.namespace || undefined,
          resourceConfig: r.resourceConfig,
          writeSchema: (r.spec.collection.writeSchema ?? r.spec.collection.readSchema ?? {}) as Record<string, unknown>,
          discoveredSchema: documentSchema(r.stream, { schemaInference: opts.schemaInference === true }),
        }));
        const stop = new StopSignal();
        const transactor = new Transactor(out, false);
        options.onStoppable?.((reason) => stop.stop(reason));
        await send({ opened: { explicitAcknowledgements: false } });
        const reader = readAcknowledgements({ stop, transactor }, requests);
        let http: HttpClient | undefined;
        try {
          await runShimCapture({
            driver,
            config: o.capture.config,
            bindings,
            openState: o.state,
            task: new ShimTask(transactor, options.session?.spillBytes),
            stop,
            log,
            sourcedSchemas: opts.sourcedSchemas === true,
            silenceWarningMs: opts.silenceWarningMs ?? 5 * 60_000,
            graceMs: opts.stopGraceMs ?? 10_000,
            onConfigUpdate: async (config) => {
              http ??= new HttpClient({ log, ...(options.http ?? {}) });
              const spec = await driver.spec();
              const encrypted = await encryptConfig(http, process.env.ENCRYPTION_URL ?? DEFAULT_ENCRYPTION_URL, config, spec.connectionSpecification);
              log.info({ eventType: 'configUpdate', config: encrypted }, 'Updating the endpoint config as the Airbyte source asked (CONTROL message).');
            },
          });
        } finally {
          await http?.close();
        }
        await out.flush();
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows whatever was caught earlier, as a catch clause would
        if (reader.error !== undefined) throw reader.error;
        return;
      }
      case 'acknowledge':
        throw new ProtocolError(`request line ${requests.lineNo}: acknowledge received before open`);
    }
  }
}

interface ResolvedShimBinding {
  spec: CaptureBindingSpec & { stateKey?: string };
  resourceConfig: ShimResourceConfig;
  stream: AirbyteStream;
}

function resourcePath(rc: ShimResourceConfig): string[] {
  return rc.namespace ? [rc.namespace, rc.stream] : [rc.stream];
}

/** Matches bindings to discovered streams by namespace and name; lists every problem at once. */
function resolveShimBindings(specs: readonly (CaptureBindingSpec & { stateKey?: string })[], streams: readonly AirbyteStream[]): ResolvedShimBinding[] {
  const problems: string[] = [];
  const out: ResolvedShimBinding[] = [];
  for (const [i, spec] of specs.entries()) {
    const rc = spec.resourceConfig as Partial<ShimResourceConfig>;
    if (typeof rc.stream !== 'string' || (rc.syncMode !== 'full_refresh' && rc.syncMode !== 'incremental')) {
      problems.push(`binding ${i}: resource config needs stream (a string) and syncMode (full_refresh or incremental), got ${JSON.stringify(spec.resourceConfig)}`);
      continue;
    }
    const stream = streams.find((s) => s.name === rc.stream && (s.namespace || undefined) === (rc.namespace || undefined));
    if (stream === undefined) {
      problems.push(
        `binding ${i}: the source has no stream ${resourcePath(rc as ShimResourceConfig).join('.')} (it has ${streams.map((s) => (s.namespace ? `${s.namespace}.${s.name}` : s.name)).join(', ') || 'none'})`,
      );
      continue;
    }
    out.push({ spec, resourceConfig: rc as ShimResourceConfig, stream });
  }
  if (problems.length > 0) throw new CaptureError(problems.length === 1 ? problems[0]! : `${problems.length} bindings do not resolve: ${problems.join('; ')}`, { code: 'BINDING_INVALID' });
  return out;
}
