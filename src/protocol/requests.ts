/** Requests of Flow's capture protocol (JSON codec): what the Flow runtime sends a connector. */

export type ConnectorType = 'IMAGE' | 'LOCAL';

export interface CollectionSpec {
  name: string;
  key: string[];
  writeSchema?: object;
  readSchema?: object;
  uuidPtr?: string;
}

export interface CaptureBindingSpec {
  resourceConfig: Record<string, unknown>;
  resourcePath?: string[];
  collection: CollectionSpec;
  stateKey?: string;
  backfill?: number;
}

export interface SpecRequest {
  connectorType?: ConnectorType;
  config?: object;
}
export interface DiscoverRequest {
  connectorType?: ConnectorType;
  config: Record<string, unknown>;
}
export interface ValidateRequest {
  name: string;
  connectorType?: ConnectorType;
  config: Record<string, unknown>;
  bindings?: CaptureBindingSpec[];
}
export interface CaptureSpec {
  name: string;
  connectorType?: ConnectorType;
  config: Record<string, unknown>;
  bindings?: (CaptureBindingSpec & { stateKey: string })[];
  intervalSeconds?: number;
}
export interface ApplyRequest {
  capture: CaptureSpec;
  version?: string;
}
export interface OpenRequest {
  capture: CaptureSpec;
  version?: string;
  range?: { keyBegin?: number; keyEnd?: number; rClockBegin?: number; rClockEnd?: number };
  state?: Record<string, unknown>;
}
export interface AcknowledgeRequest {
  checkpoints?: number;
}

/** One request line. Exactly one field is set; unknown fields (such as `$internal`) are ignored. */
export interface Request {
  spec?: SpecRequest;
  discover?: DiscoverRequest;
  validate?: ValidateRequest;
  apply?: ApplyRequest;
  open?: OpenRequest;
  acknowledge?: AcknowledgeRequest;
}
