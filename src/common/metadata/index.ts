export * from './metadata-store';
export * from './types';
