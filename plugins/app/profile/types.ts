// Shapes shared by the pure extraction and merge code and by the profile service that persists them.
export const SCALAR_FIELDS = ['customer_name', 'email', 'phone', 'address_street', 'address_city', 'address_state', 'address_zip'] as const
export type ScalarField = typeof SCALAR_FIELDS[number]
export const ARRAY_FIELDS = ['products_of_interest', 'services_of_interest'] as const
export type ArrayField = typeof ARRAY_FIELDS[number]
export type ProfileField = ScalarField | ArrayField | 'preferences'
export const PROFILE_FIELDS: readonly ProfileField[] = [...SCALAR_FIELDS, ...ARRAY_FIELDS, 'preferences']

export function isProfileField (name: string): name is ProfileField {
  return (PROFILE_FIELDS as readonly string[]).includes(name)
}

export type ProfileFact =
  /** `onlyReplaces`: a correction that names no field ("actually it's 30308") changes a value, never sets a first one. */
  | { field: ScalarField, value: string, confidence: number, onlyReplaces?: boolean }
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

export type { ProfileValues } from '../../../db/types.ts'

export interface ProfileChange {
  field: ProfileField
  oldValue: unknown
  newValue: unknown
  confidence: number
}

export type ContactChannel = 'email' | 'phone' | 'text'

/** Someone the customer mentions; stored under preferences.other_contacts, never in the customer's own fields. */
export interface OtherContact {
  relation: string
  name?: string
  email?: string
  phone?: string
}
