import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import asyncapi from '../asyncapi.json';

const BASE = 'urn:samverkan:asyncapi';
const document = asyncapi as unknown as { components: { messages: Record<string, unknown> } };

/**
 * Checks a received CloudEvent against the AsyncAPI document's message of its type, the way an
 * agency system would: every field known, nothing extra, formats checked.
 */
export function feedValidator(): (event: { readonly type: string }) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: BASE, components: document.components });
  const byType = new Map<string, ValidateFunction>();
  return (event: { readonly type: string }): string[] => {
    const ceType = event.type;
    const name = /^se\.samverkan\.([A-Za-z]+)\.v[0-9]+$/.exec(ceType)?.[1];
    if (!name || !(name in document.components.messages)) return [`no message for ${ceType}`];
    let validate = byType.get(name);
    if (!validate) {
      validate = ajv.compile({ $ref: `${BASE}#/components/messages/${name}/payload` });
      byType.set(name, validate);
    }
    return validate(event)
      ? []
      : (validate.errors ?? []).map((e) => `${ceType} ${e.instancePath} ${e.message ?? ''}`);
  };
}
