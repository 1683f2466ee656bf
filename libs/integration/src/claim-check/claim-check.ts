import { pathText, personalFieldsOf, type PathStep } from '@samverkan/domain/personal-fields';
import type { JsonObject, JsonValue } from '@samverkan/event-store/event-store.port';
import { isEnvelope } from '@samverkan/event-store/protection/field-cipher';
import { SEALED_TEXT_PREFIX } from '@samverkan/event-store/protection/field-protection';

/**
 * The claim check of the feed: personal fields never go to a topic, neither as text nor as
 * ciphertext. Ciphertext on a topic would outlive an erasure in every consumer's copy and
 * backup (retention, mirrors) and would be one master key away from plaintext; so the message
 * carries `null` where the field was and the paths of what was withheld, and an agency system
 * that may read the event fetches the text from the API (`dataref`), which checks access and
 * shows `[raderad]` once the keys are destroyed.
 */

export interface ClaimedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  readonly data: JsonObject;
}

export interface ClaimCheck {
  /** The data with every personal field `null`; everything else as it was. */
  readonly data: JsonObject;
  /** Where the withheld fields were (`agreedFollowUp[0].action`), in the data's order. */
  readonly withheld: readonly string[];
  /**
   * What was there, by path: the sealed text (which the API reveals), or the plaintext of an
   * event stored before its fields were encrypted. For the API only, never for a message.
   */
  readonly content: ReadonlyMap<string, string>;
}

/**
 * Withholds, wherever it is in the data: every sealed text (the store's `sealed` read), any
 * envelope (should one ever come unsealed) and every field the domain's inventory lists as
 * personal for the type, even as plaintext (events from before encryption, a store run without
 * master keys). The three overlap on purpose: one missing would let text through.
 */
export function claimCheck(event: ClaimedEvent): ClaimCheck {
  const listed = new Set(
    personalFieldsOf(event.type, event.data, event.streamId).leaves.map((leaf) => leaf.path),
  );
  const withheld: string[] = [];
  const content = new Map<string, string>();
  const walk = (value: JsonValue, steps: PathStep[]): JsonValue => {
    if (typeof value === 'string') {
      const personal =
        value.startsWith(SEALED_TEXT_PREFIX) || (listed.size > 0 && listed.has(pathText(steps)));
      if (!personal) return value;
      const path = pathText(steps);
      withheld.push(path);
      content.set(path, value);
      return null;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (isEnvelope(value)) {
      const path = pathText(steps);
      withheld.push(path);
      // As the store's sealed form has it: bound to its event and the path it was stored at.
      content.set(path, JSON.stringify({ ...value, e: event.eventId, p: path }));
      return null;
    }
    if (Array.isArray(value)) {
      let copy: JsonValue[] | undefined;
      value.forEach((item, index) => {
        const mapped = walk(item, [...steps, index]);
        if (mapped !== item) (copy ??= [...value])[index] = mapped;
      });
      return copy ?? value;
    }
    let copy: JsonObject | undefined;
    for (const [name, item] of Object.entries(value)) {
      const mapped = walk(item, [...steps, name]);
      if (mapped !== item) (copy ??= { ...value })[name] = mapped;
    }
    return copy ?? value;
  };
  return { data: walk(event.data, []) as JsonObject, withheld, content };
}

/** Where the API serves an event's withheld fields (the CloudEvents `dataref`). */
export function dataRef(apiUrl: string, eventId: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/events/${encodeURIComponent(eventId)}/personal-data`;
}
