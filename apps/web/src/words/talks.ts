/** Being written. */
export const sv = {} as const;

export const en: Record<keyof typeof sv, string> = {};
