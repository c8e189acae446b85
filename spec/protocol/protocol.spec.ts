import { expect } from 'chai';
import { ConnectorProtocolError, decodeResponseLine, lineWriter, parseRequest, PROTOCOL_VERSION } from '../../src/protocol';
import { checkCaptureResponse, expectOpened } from '../../src/harness/capture-checks';
import { HarnessError } from '../../src/harness/harness-errors';

describe('protocol module', () => {
  it('parses requests and names what is wrong with a bad line', () => {
    expect(parseRequest('{"spec":{"connectorType":"LOCAL","config":{}}}', 1).kind).to.equal('spec');
    expect(() => parseRequest('{"spec":{},"discover":{"config":{}}}', 3)).to.throw(/request line 3 has several requests/);
    expect(() => parseRequest('nope', 2)).to.throw(/request line 2 is not valid JSON/);
  });

  it('decodes responses in either spelling and rejects unknown fields as the Flow runtime does', () => {
    const { response } = decodeResponseLine('{"captured":{"binding":1,"doc_json":{"id":1}}}');
    expect(response).to.deep.equal({ type: 'captured', binding: 1, doc: { id: 1 } });
    expect(decodeResponseLine(`{"spec":{"protocol":${PROTOCOL_VERSION}}}`).response.type).to.equal('spec');
    const err = (() => {
      try {
        decodeResponseLine('{"captured":{"binding":0,"doc":{},"extra":1}}');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).to.be.instanceOf(ConnectorProtocolError).and.instanceOf(HarnessError);
    expect((err as Error).message).to.equal('unknown field `extra` in captured response');
    expect(() => decodeResponseLine('{not json')).to.throw(ConnectorProtocolError, /not JSON/);
  });

  it('checks capture output the same way for preview and the in-process runner', () => {
    const captured = decodeResponseLine('{"captured":{"binding":2,"doc":{}}}').response;
    expect(() => checkCaptureResponse(captured, 2)).to.throw(ConnectorProtocolError, 'captured document for binding 2, but the capture has 2 bindings');
    expect(checkCaptureResponse(captured, 3).type).to.equal('captured');
    const applied = decodeResponseLine('{"applied":{}}').response;
    expect(() => checkCaptureResponse(applied, 1)).to.throw('unexpected applied response during a capture session');
    expect(() => expectOpened(applied)).to.throw('expected opened as the first response to open, got applied');
  });

  it('splits written chunks into lines, across chunk and UTF-8 boundaries, and fails the write when a line is bad', async () => {
    const lines: string[] = [];
    const w = lineWriter((l) => {
      if (l === 'bad') throw new Error('bad line');
      lines.push(l);
    });
    const bytes = Buffer.from('{"a":"é"}\n\n{"b":');
    await new Promise<void>((r) => w.write(bytes.subarray(0, 7), () => r()));
    await new Promise<void>((r) => w.write(bytes.subarray(7), () => r()));
    await new Promise<void>((r) => w.write('2}\n', () => r()));
    expect(lines).to.deep.equal(['{"a":"é"}', '{"b":2}']);
    const failed = new Promise<Error>((r) => w.once('error', r));
    w.write('bad\n');
    expect((await failed).message).to.equal('bad line');
  });
});
