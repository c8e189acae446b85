export * from './messages';
export * from './validators';
