/** Direct Line 3.0's path prefix: the token route gives it as the `domain` of the local emulation. */
export const DIRECTLINE_PREFIX = '/v3/directline';
