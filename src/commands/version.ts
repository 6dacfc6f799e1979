/** The Redis version whose behaviour we implement, as clients see it. Imports nothing. */
export const REDIS_VERSION_STRING = '7.0.15';
