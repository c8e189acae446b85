export * from './base-document.model';
export * from './resource-config.model';
