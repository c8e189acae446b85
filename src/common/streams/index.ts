/** Stream processors: JSON and CSV items out of byte streams, gzip and zip decoding, async-iterable helpers. */
export { IncrementalJsonProcessor, type JsonProcessorOptions } from './incremental-json.processor';
export { type LargeIntegerMode } from './json-path.assembler';
export { IncrementalCsvProcessor, IncrementalCsvRowProcessor, type CsvDialectOptions, type CsvProcessorOptions } from './incremental-csv.processor';
export { type TextEncodingName } from './text.decoder';
export { type ContextAware, type StreamModelOptions } from './model.converter';
export { gunzipStream } from './gunzip.stream';
export { unzipStream, type ZipEntry } from './unzip.stream';
export { merge, type MergeOptions } from './merge.iterable';
export { bufferOrdered, type OrderedTask } from './buffer-ordered.iterable';
export { StreamParseError, StreamValidationError, StreamStateError, StreamUnsupportedError, type StreamLocation } from './stream.errors';
