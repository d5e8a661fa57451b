// Shapes shared by the pure extraction and merge code and by the profile service that persists them.
import type { ProfileField } from '../../../db/types.ts'
import { PROFILE_FIELDS } from '../../infrastructure/config/schema.ts'

export type { ProfileField, ProfileValues } from '../../../db/types.ts'
export type { ProfileChange } from '../../../db/repositories/profiles.ts'

export const ARRAY_FIELDS = ['products_of_interest', 'services_of_interest'] as const satisfies readonly ProfileField[]
export type ArrayField = typeof ARRAY_FIELDS[number]
export type ScalarField = Exclude<ProfileField, ArrayField | 'preferences'>
const isScalar = (field: ProfileField): field is ScalarField => field !== 'preferences' && !(ARRAY_FIELDS as readonly ProfileField[]).includes(field)
export const SCALAR_FIELDS: readonly ScalarField[] = PROFILE_FIELDS.filter(isScalar)
export { PROFILE_FIELDS }

export function isProfileField (name: string): name is ProfileField {
  return (PROFILE_FIELDS as readonly string[]).includes(name)
}

/** The part of a value a correction names ("no wait 0183": the phone's last four digits). */
export type RevisedPart = 'last_digits' | 'house_number' | 'street_name' | 'email_domain' | 'unit' | 'surname' | 'name_word' | 'area_code'

export type ProfileFact =
  /** `onlyReplaces`: a correction that names no field ("actually it's 30308") changes a value, never sets a first one. */
  /** `onlyFills`: a guess that names an empty field and never replaces a value ("Leila" after a phone). */
  | { field: ScalarField, value: string, confidence: number, onlyReplaces?: boolean, onlyFills?: boolean }
  /** `value` replaces `part` of the current value; without a current value it does nothing. */
  | { field: ScalarField, value: string, confidence: number, part: RevisedPart }
  /** "Lenexa, not Lawrence": `value` replaces the current value only when that is `replacing`. */
  | { field: ScalarField, value: string, confidence: number, replacing: string }
  /** The visitor withdrew the value ("ignore that address"): the field becomes empty. */
  | { field: ScalarField, value: null, confidence: number }
  | { field: ArrayField, value: string[], confidence: number }
  | { field: 'preferences', value: Record<string, unknown>, confidence: number }

export interface ExtractOptions {
  products: string[]
  services: string[]
  /** ISO 3166-1 alpha-2 region used for numbers written without a country code */
  defaultRegion: string
}

export type ContactChannel = 'email' | 'phone' | 'text'

/** Someone the customer mentions; stored under preferences.other_contacts, never in the customer's own fields. */
export interface OtherContact {
  relation: string
  name?: string
  email?: string
  phone?: string
}
