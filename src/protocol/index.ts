/** Flow's capture protocol, both directions: request and response types and their parsers. */
export * from './requests';
export * from './request-parser';
export * from './responses';
export * from './line-splitter';
