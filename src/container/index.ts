export * from './tokens';
export * from './binding-context';
export * from './run-container';
export * from './config-loader';
export * from './library-copies';
