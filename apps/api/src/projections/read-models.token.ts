/** The TypeORM data source of the read models (see libs/projections). */
export const READ_MODELS = Symbol('READ_MODELS');
