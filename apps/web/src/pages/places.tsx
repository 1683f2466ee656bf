import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiProblem } from '../api';
import {
  isCoordinator,
  PLACE_KINDS,
  RefusedOrFailed,
  SubmitButton,
  TableRegion,
  TextField,
  type Place,
} from '../components/admin';
import {
  ChoiceField,
  ErrorSummary,
  SelectField,
  TextAreaField,
  type FieldErrors,
} from '../components/form';
import { PageTitle } from '../components/layout';
import { Loading } from '../components/status';
import { useI18n, type MessageKey } from '../i18n';
import { useRoute } from '../router';
import { useSession } from '../session';
import { useAllPages } from '../use-api';
import '../styles/admin.css';

const FIELDS = ['name', 'kind', 'areaId', 'latitude', 'longitude', 'precision', 'reason'] as const;
type Field = (typeof FIELDS)[number];
type Draft = Record<Field, string>;

/** Where the API names a field, the form's id for it. */
const FIELD_OF_PATH: Readonly<Record<string, Field>> = {
  name: 'name',
  kind: 'kind',
  areaId: 'areaId',
  'position.latitude': 'latitude',
  'position.longitude': 'longitude',
  'position.precision': 'precision',
  position: 'latitude',
  reason: 'reason',
};

/** The API's refusals that belong to one field, in that field's words. */
const FIELD_OF_CODE: Readonly<Record<string, [Field, MessageKey]>> = {
  'PLACES.NAME_TAKEN': ['name', 'places.error.nameTaken'],
  'PLACES.NAME_REQUIRED': ['name', 'places.error.name'],
  'PLACES.INVALID_AREA': ['areaId', 'places.error.areaId'],
  'PLACES.INVALID_POSITION': ['latitude', 'places.error.latitude'],
  'PLACES.REASON_REQUIRED': ['reason', 'places.error.reason'],
};

/** A coordinate typed as Swedes write decimals (59,3265) or with a point. */
function coordinate(text: string, limit: number): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (!/^-?\d{1,3}(\.\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Math.abs(value) <= limit ? value : undefined;
}

const draftOf = (place: Place | undefined, name: string): Draft => ({
  name: place?.name ?? name,
  kind: place?.kind ?? '',
  areaId: place?.areaId ?? '',
  latitude: place ? String(place.position.latitude) : '',
  longitude: place ? String(place.position.longitude) : '',
  precision: place?.position.precision ?? '',
  reason: '',
});

/**
 * The places register: every place with its kind, area, position and how precise it is; the
 * safety coordinator registers a place (its name prefilled from `?name=`, where the worklist's
 * unknown places lead) and changes one with a reason. Everyone else reads it: it is public.
 */
export function PlacesPage() {
  const { t, language } = useI18n();
  const { search } = useRoute();
  const { state } = useSession();
  const session = state.status === 'signed-in' ? state.session : undefined;
  const keeper = isCoordinator(session?.agency, session?.activeRole);
  const places = useAllPages<Place>('/places');
  const [changing, setChanging] = useState<Place>();
  const [done, setDone] = useState<string>();
  const suggested = search.get('name') ?? '';
  if (places.status === 'loading') return <Loading />;
  if (places.status === 'failed') {
    return (
      <>
        <PageTitle>{t('places.title')}</PageTitle>
        <RefusedOrFailed
          problem={places.problem}
          retry={places.retry}
          who={t('audit.who.partners')}
        />
      </>
    );
  }
  const byId = new Map(places.data.items.map((p) => [p.placeId, p]));
  const areas = places.data.items.filter((p) => p.kind === 'area');
  const number = new Intl.NumberFormat(language === 'sv' ? 'sv-SE' : 'en-GB', {
    minimumFractionDigits: 5,
    maximumFractionDigits: 5,
  });
  const sorted = [...places.data.items].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  return (
    <>
      <PageTitle>{t('places.title')}</PageTitle>
      <p className="lead">{t('places.lead')}</p>
      {done && (
        <div className="panel panel--success" role="status">
          <p>{done}</p>
        </div>
      )}
      {!keeper && <p>{t('places.readOnly')}</p>}
      {keeper &&
        (changing ? (
          <PlaceForm
            key={changing.placeId}
            place={changing}
            areas={areas}
            suggested=""
            onCancel={() => setChanging(undefined)}
            onDone={(name) => {
              setChanging(undefined);
              setDone(t('places.changed', { name }));
              places.retry();
            }}
          />
        ) : (
          <PlaceForm
            key="register"
            areas={areas}
            suggested={suggested}
            onDone={(name) => {
              setDone(t('places.registered', { name }));
              places.retry();
            }}
          />
        ))}
      <h2 id="places-list">{t('places.list')}</h2>
      {sorted.length === 0 ? (
        <p>{t('places.none')}</p>
      ) : (
        <TableRegion label={t('places.list')}>
          <thead>
            <tr>
              <th scope="col">{t('places.col.name')}</th>
              <th scope="col">{t('places.col.kind')}</th>
              <th scope="col">{t('places.col.area')}</th>
              <th scope="col">{t('places.col.position')}</th>
              <th scope="col">{t('places.col.precision')}</th>
              {keeper && (
                <th scope="col">
                  <span className="visually-hidden">{t('places.col.change')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {sorted.map((p) => (
              <tr key={p.placeId} data-place-id={p.placeId}>
                <th scope="row">{p.name}</th>
                <td>{t(`places.kind.${p.kind}`)}</td>
                <td>{p.areaId ? (byId.get(p.areaId)?.name ?? p.areaId) : t('places.noArea')}</td>
                <td className="data-table__number">
                  {number.format(p.position.latitude)}, {number.format(p.position.longitude)}
                </td>
                <td>{t(`places.precision.${p.position.precision}`)}</td>
                {keeper && (
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => {
                        setDone(undefined);
                        setChanging(p);
                      }}
                    >
                      {t('places.change')}
                      <span className="visually-hidden"> {p.name}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </TableRegion>
      )}
    </>
  );
}

function PlaceForm({
  place,
  areas,
  suggested,
  onDone,
  onCancel,
}: {
  place?: Place;
  areas: readonly Place[];
  suggested: string;
  onDone: (name: string) => void;
  onCancel?: () => void;
}) {
  const { t, has } = useI18n();
  const [draft, setDraft] = useState<Draft>(() => draftOf(place, suggested));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const key = useRef(crypto.randomUUID());
  const heading = useRef<HTMLHeadingElement>(null);
  const prefix = place ? 'change-' : '';
  const id = (field: Field) => `${prefix}${field}`;
  useEffect(() => {
    // Choosing "Change" moves focus to the form it opened.
    if (place) heading.current?.focus();
  }, [place]);
  const set = (field: Field, value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const labels = new Map<string, string>([
    [id('name'), t('places.name')],
    [id('kind'), t('places.kind')],
    [id('areaId'), t('places.area')],
    [id('latitude'), t('places.latitude')],
    [id('longitude'), t('places.longitude')],
    [id('precision'), t('places.precision')],
    [id('reason'), t('places.reason')],
  ]);

  function check(): Record<string, string> {
    const found: Record<string, string> = {};
    if (draft.name.trim() === '') found[id('name')] = t('places.error.name');
    if (draft.kind === '') found[id('kind')] = t('places.error.kind');
    if (coordinate(draft.latitude, 90) === undefined)
      found[id('latitude')] = t('places.error.latitude');
    if (coordinate(draft.longitude, 180) === undefined)
      found[id('longitude')] = t('places.error.longitude');
    if (draft.precision === '') found[id('precision')] = t('places.error.precision');
    if (place && draft.reason.trim() === '') found[id('reason')] = t('places.error.reason');
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (submitting) return;
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSubmitting(true);
    const details = {
      name: draft.name.trim(),
      kind: draft.kind,
      areaId: draft.areaId === '' ? null : draft.areaId,
      position: {
        latitude: coordinate(draft.latitude, 90),
        longitude: coordinate(draft.longitude, 180),
        precision: draft.precision,
      },
    };
    try {
      await api(place ? `/places/${encodeURIComponent(place.placeId)}/changes` : '/places', {
        method: 'POST',
        idempotencyKey: key.current,
        body: place ? { ...details, reason: draft.reason.trim() } : details,
      });
      key.current = crypto.randomUUID();
      setDraft(draftOf(undefined, ''));
      setErrors({});
      onDone(details.name);
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      const known = FIELD_OF_CODE[error.code];
      if (known) {
        setErrors({ [id(known[0])]: t(known[1]) });
      } else if (error.errors.length > 0) {
        const byField: Record<string, string> = {};
        for (const e of error.errors) {
          const field = FIELD_OF_PATH[e.path];
          const word = `places.error.${field ?? ''}`;
          if (field) byField[id(field)] ??= has(word) ? t(word) : e.reason;
          else byField['form'] = e.reason;
        }
        setErrors(byField);
      } else {
        setErrors({ form: error.detail || error.title });
      }
    } finally {
      setSubmitting(false);
    }
  }

  const order = FIELDS.map(id);
  return (
    <section
      className={`card admin-form${place ? ' admin-form--change' : ''}`}
      aria-labelledby={`${prefix}place-form-title`}
    >
      <h2 id={`${prefix}place-form-title`} ref={heading} tabIndex={-1}>
        {place ? t('places.changeTitle', { name: place.name }) : t('places.register')}
      </h2>
      {!place && suggested && <p className="hint">{t('places.fromWorklist')}</p>}
      <ErrorSummary errors={errors} order={order} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)}>
        <TextField
          id={id('name')}
          label={t('places.name')}
          hint={t('places.nameHint')}
          error={errors[id('name')]}
          value={draft.name}
          onChange={(v) => set('name', v)}
          maxLength={200}
        />
        <SelectField
          id={id('kind')}
          label={t('places.kind')}
          error={errors[id('kind')]}
          value={draft.kind}
          onChange={(v) => set('kind', v)}
          placeholder={t('places.kindChoose')}
          options={PLACE_KINDS.map((k) => ({ value: k, label: t(`places.kind.${k}`) }))}
        />
        <SelectField
          id={id('areaId')}
          label={t('places.area')}
          hint={t('places.areaHint')}
          error={errors[id('areaId')]}
          value={draft.areaId}
          onChange={(v) => set('areaId', v)}
          placeholder={t('places.areaNone')}
          options={areas
            .filter((a) => a.placeId !== place?.placeId)
            .map((a) => ({ value: a.placeId, label: a.name }))}
        />
        <fieldset className="fieldset" aria-describedby={`${prefix}position-hint`}>
          <legend className="legend">{t('places.position')}</legend>
          <p className="hint" id={`${prefix}position-hint`}>
            {t('places.positionHint')}
          </p>
          <div className="field-row">
            <TextField
              id={id('latitude')}
              label={t('places.latitude')}
              error={errors[id('latitude')]}
              value={draft.latitude}
              onChange={(v) => set('latitude', v)}
              maxLength={20}
              inputMode="decimal"
              narrow
            />
            <TextField
              id={id('longitude')}
              label={t('places.longitude')}
              error={errors[id('longitude')]}
              value={draft.longitude}
              onChange={(v) => set('longitude', v)}
              maxLength={20}
              inputMode="decimal"
              narrow
            />
          </div>
        </fieldset>
        <ChoiceField
          id={id('precision')}
          type="radio"
          legend={t('places.precision')}
          error={errors[id('precision')]}
          value={[draft.precision]}
          onChange={([v]) => set('precision', v ?? '')}
          options={(['approximate', 'surveyed'] as const).map((p) => ({
            value: p,
            label: t(`places.precision.${p}`),
            hint: t(`places.precision.${p}Hint`),
          }))}
        />
        {place && (
          <TextAreaField
            id={id('reason')}
            label={t('places.reason')}
            hint={t('places.reasonHint')}
            error={errors[id('reason')]}
            value={draft.reason}
            onChange={(v) => set('reason', v)}
            maxLength={2000}
          />
        )}
        <ul className="button-row">
          <li>
            <SubmitButton id={`${prefix}submit`} busy={submitting}>
              {place ? t('places.submitChange') : t('places.submitRegister')}
            </SubmitButton>
          </li>
          {onCancel && (
            <li>
              <button type="button" className="button button--secondary" onClick={onCancel}>
                {t('places.cancel')}
              </button>
            </li>
          )}
        </ul>
      </form>
    </section>
  );
}
