import { metadata } from '../common/metadata';

export * from './base-document.model';
export * from './resource-config.model';
export * from './credentials.model';
export * from './webhook.model';

// The framework's own models survive clearMetadata() in connector authors' specs.
metadata.sealBuiltins();
