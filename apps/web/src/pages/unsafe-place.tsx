import { useId, useState, type FormEvent } from 'react';
import { UNSAFE_CATEGORIES } from '../../../../libs/domain/src/citizen-dialogue/unsafe-categories';
import { api, ApiProblem } from '../api';
import { ChoiceField, ErrorSummary, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { PlaceMap } from '../components/place-map';
import { nearestPlace } from '../geo';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useApi } from '../use-api';
import '../styles/citizen-dialogue.css';

export interface PublicPlace {
  readonly placeId: string;
  readonly name: string;
  readonly position: { readonly latitude: number; readonly longitude: number };
}

interface Receipt {
  readonly placeName: string;
  readonly category: string;
  readonly keptDays: number;
}

/** How far a phone's position may be from a place for that place to count as where they are. */
const NEAR_METRES = 3000;
const ORDER = ['place', 'category'] as const;

/** Names compared as people type them: no case, no accents ("lillang" finds Lillängshamnen). */
const folded = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLocaleLowerCase('sv-SE');

type Locating =
  | { readonly status: 'idle' | 'locating' | 'failed' | 'unsupported' | 'none-near' }
  | { readonly status: 'found'; readonly place: string };

/**
 * "Här känner jag mig otrygg", for residents on their phones: no sign-in; a registered place
 * chosen by name from a filtered radio list or as the nearest to the phone's position (asked
 * for only when the button is pressed, and never sent: only the place's id leaves the phone);
 * a category from a fixed list; no free text. The receipt says what happens next and that
 * nothing about them is kept.
 */
export function UnsafePlacePage() {
  const { t } = useI18n();
  const places = useApi<{ items: PublicPlace[] }>('/public/places');
  const [placeId, setPlaceId] = useState('');
  const [category, setCategory] = useState('');
  const [search, setSearch] = useState('');
  const [locating, setLocating] = useState<Locating>({ status: 'idle' });
  /** The place a tap on the map chose (null: no place near the tap). */
  const [picked, setPicked] = useState<string | null | undefined>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [sending, setSending] = useState(false);
  const [receipt, setReceipt] = useState<Receipt>();
  const listId = useId();

  if (places.status === 'loading') return <Loading />;
  if (places.status === 'failed') return <Failed problem={places.problem} retry={places.retry} />;
  const all = places.data.items;
  // The register's positions are shown as approximate: a resident reads them as "about here".
  const mapPlaces = all.map((p) => ({
    ...p,
    position: { ...p.position, precision: 'approximate' as const },
  }));

  /** Chooses a place: from the list, the phone's position or a tap on the map. */
  const choose = (id: string) => {
    setPlaceId(id);
    setErrors(({ place: _, ...rest }) => rest);
  };

  function usePosition() {
    if (!('geolocation' in navigator)) return setLocating({ status: 'unsupported' });
    setLocating({ status: 'locating' });
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        // The point stays here: only the nearest registered place is kept.
        const near = nearestPlace(
          all,
          { latitude: coords.latitude, longitude: coords.longitude },
          NEAR_METRES,
        );
        if (!near) return setLocating({ status: 'none-near' });
        setSearch('');
        choose(near.place.placeId);
        setLocating({ status: 'found', place: near.place.name });
        // Shown where it is in the list, which may be further down than the list shows.
        requestAnimationFrame(() =>
          document
            .getElementById(`place-${near.place.placeId}`)
            ?.scrollIntoView({ block: 'nearest' }),
        );
      },
      () => setLocating({ status: 'failed' }),
      { enableHighAccuracy: false, maximumAge: 60_000, timeout: 15_000 },
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    const found: Record<string, string> = {};
    if (!placeId) found['place'] = t('unsafe.error.place');
    if (!category) found['category'] = t('unsafe.error.category');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSending(true);
    try {
      setReceipt(
        await api<Receipt>('/public/unsafe-places', {
          method: 'POST',
          body: { placeId, category },
        }),
      );
      setPlaceId('');
      setCategory('');
      setSearch('');
      setLocating({ status: 'idle' });
      setErrors({});
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      if (error.code === 'CITIZEN_DIALOGUE.UNKNOWN_PLACE') {
        setErrors({ place: t('unsafe.error.unknownPlace') });
        places.retry();
      } else if (error.status === 429) {
        setErrors({ form: t('unsafe.error.tooMany') });
      } else {
        setErrors({ form: t('unsafe.error.failed') });
      }
    } finally {
      setSending(false);
    }
  }

  if (receipt) {
    return (
      <>
        <PageTitle>{t('unsafe.done')}</PageTitle>
        <div className="panel panel--success">
          <p>
            {t('unsafe.doneWhat', {
              place: receipt.placeName,
              category: t(`unsafe.category.${receipt.category}` as 'unsafe.category.other'),
            })}
          </p>
        </div>
        <h2>{t('unsafe.nextTitle')}</h2>
        <p>{t('unsafe.next')}</p>
        <p>{t('unsafe.nothingStored', { days: String(receipt.keptDays) })}</p>
        <p className="unsafe-emergency">{t('unsafe.emergency')}</p>
        <ul className="button-row">
          <li>
            <button type="button" className="button" onClick={() => setReceipt(undefined)}>
              {t('unsafe.another')}
            </button>
          </li>
          <li>
            <Link to="/invanare" className="button button--secondary">
              {t('unsafe.residents')}
            </Link>
          </li>
        </ul>
      </>
    );
  }

  const typed = folded(search.trim());
  const shown = all.filter((p) => p.placeId === placeId || folded(p.name).includes(typed));
  const placeError = errors['place'];
  return (
    <>
      <PageTitle>{t('unsafe.title')}</PageTitle>
      <p className="lead">{t('unsafe.lead')}</p>
      <p className="unsafe-emergency">{t('unsafe.emergency')}</p>
      <ErrorSummary
        errors={errors}
        order={ORDER}
        labels={
          new Map([
            ['place', t('unsafe.place')],
            ['category', t('unsafe.category')],
          ])
        }
      />
      <form noValidate onSubmit={(e) => void submit(e)} className="unsafe-form">
        <div className={`field${placeError ? ' field--error' : ''}`}>
          <fieldset
            className="fieldset"
            aria-describedby={`place-hint${placeError ? ' place-error' : ''}`}
          >
            <legend className="legend">{t('unsafe.place')}</legend>
            <p className="hint" id="place-hint">
              {t('unsafe.placeHint')}
            </p>
            {placeError && (
              <p className="field-error" id="place-error">
                <span className="visually-hidden">{t('form.errorPrefix')} </span>
                {placeError}
              </p>
            )}
            <PlaceMap
              places={mapPlaces}
              selectedPlaceId={placeId || undefined}
              onSelectPlace={(id) => {
                choose(id);
                setPicked(all.find((p) => p.placeId === id)?.name);
              }}
              onPickPoint={(point) => {
                // The tapped point stays here: only the nearest registered place is kept.
                const near = nearestPlace(all, point, NEAR_METRES);
                if (!near) return setPicked(null);
                setSearch('');
                choose(near.place.placeId);
                setPicked(near.place.name);
              }}
              keyboardMarkers={false}
              label={t('unsafe.mapLabel')}
              className="unsafe-map"
            />
            <p role="status" className="unsafe-position__status">
              {picked === null
                ? t('unsafe.mapNoneNear')
                : picked !== undefined && t('unsafe.mapPicked', { place: picked })}
            </p>
            <div className="unsafe-position">
              <button
                type="button"
                className="button button--secondary"
                onClick={usePosition}
                disabled={locating.status === 'locating'}
              >
                {t('unsafe.usePosition')}
              </button>
              <p role="status" className="unsafe-position__status">
                {locating.status === 'locating' && t('unsafe.locating')}
                {locating.status === 'found' && t('unsafe.nearest', { place: locating.place })}
                {locating.status === 'none-near' && t('unsafe.noneNear')}
                {locating.status === 'failed' && t('unsafe.positionFailed')}
                {locating.status === 'unsupported' && t('unsafe.noPosition')}
              </p>
            </div>
            <label className="label" htmlFor="place">
              {t('unsafe.search')}
            </label>
            <input
              id="place"
              name="place-search"
              type="search"
              className="input unsafe-search"
              autoComplete="off"
              spellCheck={false}
              aria-controls={listId}
              aria-invalid={placeError ? true : undefined}
              aria-describedby={`${listId}-count${placeError ? ' place-error' : ''}`}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <p id={`${listId}-count`} className="meta" aria-live="polite">
              {shown.length === 0
                ? t('unsafe.noMatch')
                : shown.length === 1
                  ? t('unsafe.matchesOne')
                  : t('unsafe.matches', { count: String(shown.length) })}
            </p>
            <div className="choices unsafe-places" id={listId}>
              {shown.map((p) => (
                <div className="choice" key={p.placeId}>
                  <input
                    id={`place-${p.placeId}`}
                    name="placeId"
                    type="radio"
                    value={p.placeId}
                    checked={placeId === p.placeId}
                    onChange={() => choose(p.placeId)}
                  />
                  <label htmlFor={`place-${p.placeId}`}>{p.name}</label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <ChoiceField
          id="category"
          type="radio"
          legend={t('unsafe.category')}
          error={errors['category']}
          value={[category]}
          onChange={([v]) => {
            setCategory(v ?? '');
            setErrors(({ category: _, ...rest }) => rest);
          }}
          options={UNSAFE_CATEGORIES.map((c) => ({
            value: c,
            label: t(`unsafe.category.${c}`),
          }))}
        />
        <button
          id="submit"
          type="submit"
          className="button"
          disabled={sending}
          aria-disabled={sending}
        >
          {t('unsafe.submit')}
        </button>
      </form>
    </>
  );
}
