import { asRecord } from '../../artifacts/kubernetes/as-record.js';

/** An ownerReference as an object carries it. */
export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
}

/** metadata.ownerReferences of a raw object. */
export function ownerReferences(obj: Record<string, unknown>): OwnerRef[] {
  const list = asRecord(obj.metadata)?.ownerReferences;
  return (Array.isArray(list) ? list : []).map(asRecord).filter((o) => o !== undefined).map((o) => ({
    apiVersion: String(o.apiVersion ?? ''), kind: String(o.kind ?? ''), name: String(o.name ?? ''), uid: String(o.uid ?? ''), controller: o.controller === true,
  }));
}
