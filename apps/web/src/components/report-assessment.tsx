import { useI18n, type MessageKey } from '../i18n';
import { ChoiceField, DateField, type FieldErrors } from './form';

/**
 * What a report to the situation picture judges: its problem area (of the promise's list), the
 * days it covers, the trend and the severity.
 */
export interface Assessment {
  readonly problemArea: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly trend: string;
  readonly severity: string;
}

/**
 * The problem area, period (typed ÅÅÅÅ-MM-DD), trend and severity of a situation report, as the report form
 * and the safety coordinator's acceptance of residents' submissions both ask for them.
 */
export function ReportAssessmentFields({
  areas,
  draft,
  errors,
  set,
}: {
  areas: readonly { readonly code: string; readonly name: string }[];
  draft: Assessment;
  errors: FieldErrors;
  set: (field: keyof Assessment, value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <ChoiceField
        id="problemArea"
        type="radio"
        legend={t('report.problemArea')}
        error={errors['problemArea']}
        value={[draft.problemArea]}
        onChange={([v]) => set('problemArea', v ?? '')}
        options={areas.map((a) => ({ value: a.code, label: a.name }))}
      />
      <div className="field-row">
        <DateField
          id="periodFrom"
          label={t('report.periodFrom')}
          hint={t('report.dateHint')}
          error={errors['periodFrom']}
          value={draft.periodFrom}
          onChange={(v) => set('periodFrom', v)}
        />
        <DateField
          id="periodTo"
          label={t('report.periodTo')}
          hint={t('report.dateHint')}
          error={errors['periodTo']}
          value={draft.periodTo}
          onChange={(v) => set('periodTo', v)}
        />
      </div>
      {(
        [
          ['trend', ['rising', 'stable', 'falling']],
          ['severity', ['low', 'medium', 'high']],
        ] as const
      ).map(([field, values]) => (
        <ChoiceField
          key={field}
          id={field}
          type="radio"
          inline
          legend={t(`report.${field}`)}
          error={errors[field]}
          value={[draft[field]]}
          onChange={([v]) => set(field, v ?? '')}
          options={values.map((v) => ({
            value: v,
            label: t(`report.${field}.${v}` as MessageKey),
          }))}
        />
      ))}
    </>
  );
}
