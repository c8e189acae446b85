import { airbyteShim } from 'estuary-cdk';
import { AirbyteSourceLogger } from 'faros-airbyte-cdk';
import { FakerSource } from './source';

/** The faros-airbyte-cdk source, run in-process as a Flow capture. */
export const shim = airbyteShim({
  source: new FakerSource(new AirbyteSourceLogger()),
  documentationUrl: 'https://github.com/estuary/connectors',
});
