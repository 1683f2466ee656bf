import { useState, type ReactNode } from 'react';
import type { Loaded } from '../use-api';
import { Failed } from './status';
import { nearestPlace, type Position } from '../geo';
import { useI18n } from '../i18n';
import { SelectField } from './form';

export interface RegisteredPlace {
  readonly placeId: string;
  readonly name: string;
  readonly kind: string;
  readonly areaId: string | null;
  readonly position?: Position | null;
}

type Located =
  | { readonly status: 'idle' }
  | { readonly status: 'asking' }
  | {
      readonly status: 'found';
      readonly placeId: string;
      readonly name: string;
      readonly metres: number;
    }
  | { readonly status: 'failed'; readonly reason: 'refused' | 'unavailable' | 'none-near' };

/** Within this distance a place counts as "here"; further off, the user picks it. */
const NEAR_METRES = 2000;

/**
 * A registered place, chosen from the list or preselected as the one nearest the phone: the
 * position is asked for only when the user presses the button, used here to pick the place,
 * and never sent. The user can always choose another place.
 */
export function PlaceField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  places,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange: (placeId: string) => void;
  places: readonly RegisteredPlace[];
}) {
  const { t } = useI18n();
  const [located, setLocated] = useState<Located>({ status: 'idle' });
  const sorted = [...places].sort((a, b) => a.name.localeCompare(b.name, 'sv'));

  function locate() {
    if (!('geolocation' in navigator)) {
      setLocated({ status: 'failed', reason: 'unavailable' });
      return;
    }
    setLocated({ status: 'asking' });
    navigator.geolocation.getCurrentPosition(
      (at) => {
        // Points, not areas: an area's position is only its middle.
        const candidates = places.filter(
          (p): p is RegisteredPlace & { position: Position } => !!p.position && p.kind !== 'area',
        );
        const near = nearestPlace(
          candidates,
          { latitude: at.coords.latitude, longitude: at.coords.longitude },
          NEAR_METRES,
        );
        if (!near) {
          setLocated({ status: 'failed', reason: 'none-near' });
          return;
        }
        onChange(near.place.placeId);
        setLocated({
          status: 'found',
          placeId: near.place.placeId,
          name: near.place.name,
          metres: near.metres,
        });
      },
      (problem) =>
        setLocated({
          status: 'failed',
          reason: problem.code === problem.PERMISSION_DENIED ? 'refused' : 'unavailable',
        }),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }

  return (
    <div className="place-field">
      <SelectField
        id={id}
        label={label}
        hint={hint}
        error={error}
        value={value}
        onChange={onChange}
        placeholder={t('walks.place.choose')}
        options={sorted.map((p) => ({ value: p.placeId, label: p.name }))}
      />
      <button
        type="button"
        className="button button--secondary place-field__locate"
        onClick={locate}
        aria-describedby={`${id}-located`}
      >
        {t('walks.place.useMyPosition')}
      </button>
      <p className="meta place-field__status" id={`${id}-located`} role="status">
        {located.status === 'asking' && t('walks.place.asking')}
        {/* Said while the place picked is still the one chosen (not after a reset or a change). */}
        {located.status === 'found' &&
          located.placeId === value &&
          t('walks.place.found', {
            place: located.name,
            metres: Math.max(10, Math.round(located.metres / 10) * 10),
          })}
        {located.status === 'failed' && t(`walks.place.${located.reason}`)}
      </p>
    </div>
  );
}

/** A form that needs the places register: shown once it has loaded, or why it could not. */
export function WithPlaces({
  places,
  children,
}: {
  places: Loaded<{ items: RegisteredPlace[] }> & { retry: () => void };
  children: (places: readonly RegisteredPlace[]) => ReactNode;
}) {
  if (places.status === 'failed') return <Failed problem={places.problem} retry={places.retry} />;
  return places.status === 'ok' ? children(places.data.items) : null;
}
