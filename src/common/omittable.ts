import { ValidateIf } from 'class-validator';

/**
 * The field may be left out of the request. Unlike `IsOptional`, a JSON null is still checked,
 * and so refused where the field takes a string, a number or an object: null is a value, not an
 * absence, and one that slipped past the checks would reach the store as the text "null".
 */
export const Omittable = () =>
  ValidateIf((_request: object, value: unknown) => value !== undefined);
