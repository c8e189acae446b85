import { expect } from 'chai';
import { runCli } from '../helpers/cli-process';

const HELLO = 'sample-connectors/hello-world';
const ACKED = 'spec/fixtures/connectors/acked-counter.ts';

function binding(name: string, stateKey = name): Record<string, unknown> {
  return { resourceConfig: { name, interval: 'PT1S' }, resourcePath: [name], collection: { name: `acmeCo/${name}`, key: ['/count'] }, stateKey };
}

function open(state: unknown, bindings = [binding('greetings')], config: Record<string, unknown> = { batch: 5, limit: 20 }): unknown {
  return { open: { capture: { name: 'acmeCo/hello', config, intervalSeconds: 1, bindings }, range: { keyEnd: 4294967295 }, state } };
}

function ackedOpen(config: Record<string, unknown> = {}): unknown {
  return {
    open: {
      capture: {
        name: 'acmeCo/acked',
        config,
        intervalSeconds: 1,
        bindings: [{ resourceConfig: { name: 'counter' }, resourcePath: ['counter'], collection: { name: 'acmeCo/counter', key: ['/id'] }, stateKey: 'counter' }],
      },
      range: { keyEnd: 4294967295 },
      state: {},
    },
  };
}

/** Exit 1, and the only error is the last stderr line: one line, no stack, containing `text`. */
function expectOneLine(r: { code: number | null; logs: Record<string, any>[] }, ...texts: string[]): string {
  expect(r.code, JSON.stringify(r.logs.slice(-3))).to.equal(1);
  const last = r.logs[r.logs.length - 1]!;
  expect(last.level).to.equal('error');
  for (const t of texts) expect(last.msg).to.include(t);
  expect(last.msg).not.to.include('\n');
  expect(last.fields?.stack).to.equal(undefined);
  expect(r.logs.filter((l) => l.level === 'error' || l.raw !== undefined)).to.have.length(1);
  return last.msg as string;
}

describe('hostile input (estuary run as a child process)', function () {
  this.timeout(120_000);

  describe('refuses a bad open state with one line naming the binding and path, writing nothing', () => {
    const cases: [string, unknown, string[]][] = [
      ['bindingStateV1 as a string', { bindingStateV1: 'oops' }, ['/bindingStateV1', 'expected an object']],
      ['a binding state of 7', { bindingStateV1: { greetings: 7 } }, ["binding 'greetings'", '/bindingStateV1/greetings']],
      ['an unknown key in a binding state', { bindingStateV1: { greetings: { inc: { cursor: 3 }, incc: 1 } } }, ["binding 'greetings'", '/bindingStateV1/greetings/incc', 'no such key']],
      ['backfillRequests as an array', { backfillRequests: ['greetings'] }, ['/backfillRequests', 'expected an object']],
      ['a garbage cursor', { bindingStateV1: { greetings: { inc: { cursor: 'yesterday' } } } }, ["binding 'greetings'", '/bindingStateV1/greetings/inc/cursor', 'integer cursor']],
      ['a garbage last_initialized', { bindingStateV1: { greetings: { inc: { cursor: 3 }, last_initialized: 'soon' } } }, ['/bindingStateV1/greetings/last_initialized', 'RFC 3339']],
      ['inc as a number', { bindingStateV1: { greetings: { inc: 5 } } }, ['/bindingStateV1/greetings/inc']],
    ];
    for (const [what, state, texts] of cases) {
      it(what, async () => {
        const r = await runCli(['run', HELLO], [open(state)]);
        expectOneLine(r, ...texts);
        expect(r.stdout.filter((l) => l.trim() !== '')).to.deep.equal([]);
      });
    }
  });

  it('refuses duplicate bindings at validate and at open', async () => {
    const validate = await runCli(['run', HELLO], [{ validate: { name: 'acmeCo/hello', config: {}, bindings: [binding('greetings'), binding('greetings', 'other')] } }]);
    expectOneLine(validate, "binding 1: resource 'greetings' is already bound by binding 0");
    const opened = await runCli(['run', HELLO], [open({}, [binding('greetings'), binding('greetings')])]);
    expectOneLine(opened, "resource 'greetings' is already bound by binding 0");
    expect(opened.stdout.filter((l) => l.trim() !== '')).to.deep.equal([]);
  });

  describe('acknowledgements', () => {
    it('an acknowledge without explicit acknowledgements is a protocol error', async () => {
      const r = await runCli(['run', HELLO], [open({}), { acknowledge: { checkpoints: 1 } }]);
      expectOneLine(r, 'did not request explicit acknowledgements');
    });
    it('a negative count is a protocol error', async () => {
      const r = await runCli(['run', ACKED], [ackedOpen(), { acknowledge: { checkpoints: -1 } }], { keepOpen: () => true });
      expectOneLine(r, 'acknowledge of -1 checkpoints');
    });
    it('acknowledging more checkpoints than were emitted is a protocol error', async () => {
      const r = await runCli(['run', ACKED], [ackedOpen(), { acknowledge: { checkpoints: 1000 } }], { keepOpen: () => true });
      expectOneLine(r, 'acknowledge of 1000 checkpoints, but only');
    });
    it('a malformed line while a checkpoint awaits its acknowledgement fails at once, exit 1', async () => {
      // stdin stays open: the failure must not wait for it to close.
      let sent = false;
      const r = await runCli(['run', ACKED], [ackedOpen()], {
        keepOpen: () => true,
        onStdout: (lines, stdin) => {
          if (!sent && lines.some((l) => l.includes('"checkpoint"'))) {
            sent = true;
            stdin.write('{"acknowledge": \n');
          }
        },
      });
      expectOneLine(r, 'request line 2 is not valid JSON');
    });
  });

  describe('framing', () => {
    it('an invalid UTF-8 request line is an error, not replaced', async () => {
      const r = await runCli(['run', HELLO], [Buffer.from([0x7b, 0x22, 0x73, 0x70, 0xff, 0x22, 0x3a, 0x7b, 0x7d, 0x7d])]);
      expectOneLine(r, 'request line 1 is not valid UTF-8');
    });
  });

  it('estuary run without a connector is one line, exit 1', async () => {
    const r = await runCli(['run'], []);
    expectOneLine(r, 'estuary run needs the connector to run');
  });

  it('an unhandled promise rejection in connector code is one redacted line, exit 1', async () => {
    const secret = 'tok en+secret/42';
    const r = await runCli(['run', ACKED], [ackedOpen({ token: secret, mode: 'reject' })], { keepOpen: () => true });
    expect(r.code).to.equal(1);
    const last = r.logs[r.logs.length - 1]!;
    expect(last.level).to.equal('error');
    expect(last.msg).to.include('unhandled promise rejection in connector code: lost request with token [redacted]');
    const all = r.stderr.join('\n') + r.stdout.join('\n');
    for (const form of [secret, encodeURIComponent(secret), 'tok+en%2Bsecret%2F42']) expect(all).not.to.include(form);
    expect(all).not.to.include('Node.js v');
  });
});
