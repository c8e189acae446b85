import { expect } from 'chai';
import { parse } from 'yaml';
import { regenerate, renderPage, BEGIN, END } from '../../src/docs/docs-page';
import { lineDiff } from '../../src/docs/line-diff';
import { durationInWords } from '../../src/docs/markdown-text';

const CONFIG = {
  title: 'EndpointConfig',
  type: 'object',
  required: ['credentials', 'window'],
  $defs: {
    Key: {
      title: 'API key',
      type: 'object',
      required: ['api_key'],
      properties: { kind: { const: 'key', default: 'key' }, api_key: { type: 'string', secret: true, title: 'Key', default: 'leaked-default' } },
    },
    Basic: { title: 'Basic | auth', type: 'object', properties: { kind: { const: 'basic' }, user: { type: 'string', title: 'User', examples: ['ann'] } } },
  },
  properties: {
    credentials: { title: 'Authentication', oneOf: [{ $ref: '#/$defs/Key' }, { $ref: '#/$defs/Basic' }] },
    window: { title: 'Window', type: 'string', format: 'duration', default: 'P2D', description: 'How far back | each *poll* reads <from now>' },
    region: { title: 'Region', type: 'string', enum: ['us', 'eu'], default: 'us' },
    limits: { title: 'Limits', type: 'object', properties: { pages: { type: 'integer', minimum: 1, maximum: 50, title: 'Pages' } } },
    filter: { anyOf: [{ type: 'string', pattern: '^[a-z|]+$' }, { type: 'null' }], default: null, title: 'Filter', advanced: true },
  },
};
const RESOURCE = {
  type: 'object',
  required: ['name'],
  properties: { _meta: { type: 'object' }, name: { type: 'string', title: 'Name' }, interval: { type: 'string', format: 'duration', default: 'PT1H30M' } },
};
const SPEC = { configSchema: CONFIG, resourceConfigSchema: RESOURCE, documentationUrl: 'https://go.estuary.dev/source-thing' };

describe('estuary docs rendering', () => {
  const page = renderPage(SPEC, 'Thing');
  const rows = page.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Property') && !l.startsWith('| ---'));

  it('renders one row per JSON pointer, each oneOf variant and nested object in its own table', () => {
    expect(rows.map((r) => /`([^`]+)`/.exec(r)![1])).to.deep.equal([
      '/credentials',
      '/window',
      '/region',
      '/limits',
      '/filter',
      '/credentials/kind',
      '/credentials/api_key',
      '/credentials/kind',
      '/credentials/user',
      '/limits/pages',
      '/name',
      '/interval',
    ]);
    expect(page).to.include('##### Endpoint: `/credentials` — API key');
    expect(page).to.include('##### Endpoint: `/credentials` — Basic \\| auth');
    expect(page).to.include('##### Endpoint: `/limits`');
  });

  it('marks required, defaults in words, enums, bounds, patterns, secrets and advanced, escaping pipes and Markdown', () => {
    const row = (ptr: string): string => rows.find((r) => r.includes(`\`${ptr}\` |`) || r.includes(`\`${ptr}\`** |`))!;
    expect(row('/window')).to.equal('| **`/window`** | Window | How far back \\| each \\*poll\\* reads \\<from now\\>. | string (duration) | Required, Default: `P2D` (2 days) |');
    expect(row('/region')).to.include('One of: `us`, `eu`.').and.include('Default: `us`');
    expect(row('/limits/pages')).to.include('Minimum: 1. Maximum: 50.').and.include('| integer |');
    expect(row('/filter')).to.include('Pattern: `^[a-z\\|]+$`.').and.include('*Advanced.*').and.include('string or null');
    expect(row('/credentials/api_key')).to.include('**Secret.**').and.include('**`/credentials/api_key`**');
    expect(row('/credentials')).to.include('object, one of: API key, Basic \\| auth');
    expect(row('/interval')).to.include('`PT1H30M` (1 hour 30 minutes)');
    expect(page).to.not.include('_meta');
    for (const r of rows) expect(r.replace(/\\\|/g, '').split('|')).to.have.length(7);
  });

  it('renders a sample catalog from defaults and examples with secrets masked', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(page)![1]!;
    expect(yaml).to.not.include('leaked-default');
    const capture = (parse(yaml) as { captures: Record<string, { endpoint: { connector: Record<string, unknown> }; bindings: unknown[] }> }).captures['${PREFIX}/${CAPTURE_NAME}']!;
    expect(capture.endpoint.connector).to.deep.equal({
      image: 'ghcr.io/estuary/source-thing:dev',
      config: { credentials: { kind: 'key', api_key: '<secret>' }, window: 'P2D', region: 'us' },
    });
    expect(capture.bindings).to.deep.equal([{ resource: { name: '<Name>', interval: 'PT1H30M' }, target: '${PREFIX}/${COLLECTION_NAME}' }]);
  });

  it('keeps prose between markers, and text outside a generated region', () => {
    const edited = page.replace('<!-- estuary-docs:end-prose intro -->', 'Hand-written intro.\n<!-- estuary-docs:end-prose intro -->');
    const changed = { ...SPEC, configSchema: { ...CONFIG, properties: { ...CONFIG.properties, window: { ...CONFIG.properties.window, default: 'P7D' } } } };
    const again = regenerate(edited, changed, 'Thing');
    expect(again).to.include('Hand-written intro.\n<!-- estuary-docs:end-prose intro -->').and.include('`P7D` (7 days)');
    const readme = `# Readme\n\nOwn words.\n\n${BEGIN}\nstale\n${END}\n\nMore own words.\n`;
    const fresh = regenerate(readme, SPEC, 'Thing');
    expect(fresh.startsWith('# Readme\n\nOwn words.\n\n<!-- estuary-docs:begin -->\n## Configuration')).to.equal(true);
    expect(fresh.endsWith(`\`\`\`\n${END}\n\nMore own words.\n`)).to.equal(true);
    expect(regenerate(fresh, SPEC, 'Thing')).to.equal(fresh);
  });

  it('diffs lines and words durations', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nB\nc\n', ['old', 'new'])).to.equal('--- old\n+++ new\n a\n-b\n+B\n c\n \n');
    expect(durationInWords('PT0S')).to.equal('0 seconds');
    expect(durationInWords('P1W2DT1M')).to.equal('1 week 2 days 1 minute');
    expect(durationInWords('5 minutes')).to.equal(undefined);
  });
});
