// The pure merge: incremental updates, one change per field, the confidence threshold, and log masking.
import t from 'tap'
import { emptyProfile, maskValue, mergeProfile } from '../../../../plugins/app/profile/merge.ts'
import type { ProfileFact, ProfileValues } from '../../../../plugins/app/profile/types.ts'

const MIN = 0.6

function withValues (values: Partial<ProfileValues>): ProfileValues {
  return { ...emptyProfile(), ...values }
}

t.test('emptyProfile has every field empty and is a fresh object each time', async (t) => {
  t.same(emptyProfile(), {
    customer_name: null,
    email: null,
    phone: null,
    address_street: null,
    address_city: null,
    address_state: null,
    address_zip: null,
    products_of_interest: [],
    services_of_interest: [],
    preferences: {}
  })
  t.not(emptyProfile().products_of_interest, emptyProfile().products_of_interest)
})

t.test('a scalar gets a value when one is found', async (t) => {
  const { next, changes } = mergeProfile(emptyProfile(), [{ field: 'email', value: 'dana@example.com', confidence: 0.95 }], MIN)
  t.equal(next.email, 'dana@example.com')
  t.same(changes, [{ field: 'email', oldValue: null, newValue: 'dana@example.com', confidence: 0.95 }])
})

t.test('a later different value replaces it; an equal value is no change', async (t) => {
  const current = withValues({ phone: '+14155550134', email: 'Dana@example.com' })
  const replaced = mergeProfile(current, [{ field: 'phone', value: '+14155550199', confidence: 0.9 }], MIN)
  t.same(replaced.changes, [{ field: 'phone', oldValue: '+14155550134', newValue: '+14155550199', confidence: 0.9 }])
  const same = mergeProfile(current, [
    { field: 'phone', value: '+14155550134', confidence: 0.9 },
    { field: 'email', value: 'dana@example.com', confidence: 0.95 }
  ], MIN)
  t.same(same.changes, [], 'e-mail addresses compare case-insensitively')
  t.equal(same.next, current, 'nothing changed, the same object comes back')
})

t.test('a name that only repeats part of the known name does not shorten it', async (t) => {
  const current = withValues({ customer_name: 'Dana Reyes' })
  t.same(mergeProfile(current, [{ field: 'customer_name', value: 'Dana', confidence: 0.8 }], MIN).changes, [])
  const fuller = mergeProfile(withValues({ customer_name: 'Bobby' }), [{ field: 'customer_name', value: 'Bobby Chen', confidence: 0.8 }], MIN)
  t.equal(fuller.next.customer_name, 'Bobby Chen')
  t.equal(mergeProfile(current, [{ field: 'customer_name', value: 'Sam', confidence: 0.8 }], MIN).next.customer_name, 'Sam')
})

t.test('facts below minConfidence are ignored', async (t) => {
  const facts: ProfileFact[] = [
    { field: 'email', value: 'dana@example.com', confidence: 0.59 },
    { field: 'products_of_interest', value: ['roof'], confidence: 0.3 },
    { field: 'preferences', value: { contact_channel: 'text' }, confidence: Number.NaN }
  ]
  const { next, changes } = mergeProfile(emptyProfile(), facts, MIN)
  t.same(next, emptyProfile())
  t.same(changes, [])
  t.equal(mergeProfile(emptyProfile(), [{ field: 'email', value: 'dana@example.com', confidence: 0.6 }], MIN).next.email, 'dana@example.com', 'exactly at the threshold counts')
})

t.test('arrays grow as a case-insensitive, order-keeping union; the first spelling wins', async (t) => {
  const current = withValues({ products_of_interest: ['Solar Panels'] })
  const { next, changes } = mergeProfile(current, [
    { field: 'products_of_interest', value: ['solar panels', 'heat pump'], confidence: 0.9 },
    { field: 'products_of_interest', value: ['EV charger', 'HEAT PUMP'], confidence: 0.8 }
  ], MIN)
  t.same(next.products_of_interest, ['Solar Panels', 'heat pump', 'EV charger'])
  t.same(changes, [{ field: 'products_of_interest', oldValue: ['Solar Panels'], newValue: ['Solar Panels', 'heat pump', 'EV charger'], confidence: 0.8 }])
  t.same(current.products_of_interest, ['Solar Panels'], 'the input profile is not mutated')
  t.same(mergeProfile(current, [{ field: 'products_of_interest', value: ['SOLAR PANELS'], confidence: 0.9 }], MIN).changes, [])
})

t.test('preferences merge key by key', async (t) => {
  const current = withValues({ preferences: { contact_channel: 'email', language: 'de' } })
  const { next, changes } = mergeProfile(current, [
    { field: 'preferences', value: { contact_time: 'after 5pm' }, confidence: 0.75 },
    { field: 'preferences', value: { contact_channel: 'text' }, confidence: 0.85 }
  ], MIN)
  t.same(next.preferences, { contact_channel: 'text', language: 'de', contact_time: 'after 5pm' })
  t.equal(changes.length, 1, 'one change for the field, however many facts')
  t.same(changes[0], { field: 'preferences', oldValue: current.preferences, newValue: next.preferences, confidence: 0.85 })
  t.same(mergeProfile(current, [{ field: 'preferences', value: { language: 'de' }, confidence: 0.8 }], MIN).changes, [])
})

t.test('other_contacts are unioned by email, phone or name, and completed', async (t) => {
  const current = withValues({ preferences: { other_contacts: [{ relation: 'wife', name: 'Anna', email: 'anna@example.com' }] } })
  const { next } = mergeProfile(current, [
    { field: 'preferences', value: { other_contacts: [{ relation: 'other', name: 'Anna', phone: '+13125550199' }] }, confidence: 0.8 },
    { field: 'preferences', value: { other_contacts: [{ relation: 'colleague', email: 'ANNA@example.com' }] }, confidence: 0.8 },
    { field: 'preferences', value: { other_contacts: [{ relation: 'manager', name: 'John Smith' }] }, confidence: 0.8 },
    { field: 'preferences', value: { other_contacts: [{ relation: 'other', name: 'John', phone: '+14695550110' }] }, confidence: 0.8 }
  ], MIN)
  t.same(next.preferences.other_contacts, [
    { relation: 'wife', name: 'Anna', email: 'anna@example.com', phone: '+13125550199' },
    { relation: 'manager', name: 'John Smith', phone: '+14695550110' }
  ])
})

t.test('one change per field actually changed, in a stable field order', async (t) => {
  const { changes } = mergeProfile(emptyProfile(), [
    { field: 'preferences', value: { contact_channel: 'email' }, confidence: 0.85 },
    { field: 'phone', value: '+14155550134', confidence: 0.9 },
    { field: 'phone', value: '+14155550199', confidence: 0.7 },
    { field: 'email', value: 'a@example.com', confidence: 0.95 },
    { field: 'customer_name', value: 'Dana', confidence: 0.85 },
    { field: 'customer_name', value: 'Dana', confidence: 0.9 }
  ], MIN)
  t.same(changes.map((c) => [c.field, c.newValue]), [
    ['customer_name', 'Dana'],
    ['email', 'a@example.com'],
    ['phone', '+14155550199'],
    ['preferences', { contact_channel: 'email' }]
  ])
  const back = mergeProfile(withValues({ phone: '+1' }), [
    { field: 'phone', value: '+2', confidence: 0.9 },
    { field: 'phone', value: '+1', confidence: 0.9 }
  ], MIN)
  t.same(back.changes, [], 'a value that ends where it started is no change')
})

t.test('maskValue keeps logs free of personal data', async (t) => {
  t.equal(maskValue('email', 'dana.reyes@example.com'), 'd***@e***.com')
  t.equal(maskValue('phone', '+14155550134'), '+1******0134')
  t.equal(maskValue('customer_name', 'Dana Reyes'), 'D.R.')
  t.equal(maskValue('address_street', '12 Oak Street'), '***')
  t.equal(maskValue('address_city', 'Springfield'), 'S***')
  t.equal(maskValue('address_state', 'IL'), 'IL')
  t.equal(maskValue('address_zip', '62704'), '627**')
  t.equal(maskValue('products_of_interest', ['solar panels', 'heat pump']), 'solar panels, heat pump')
  t.equal(maskValue('preferences', { contact_channel: 'email', contact_time: 'after 5pm', other_contacts: [{ relation: 'wife', email: 'anna@example.com' }] }), 'contact_channel=email,contact_time,other_contacts(1)')
  t.equal(maskValue('email', null), 'null')
  t.equal(maskValue('phone', 12345), '***', 'an unexpected type is masked, not printed')
  for (const [field, value] of [['email', 'dana.reyes@example.com'], ['phone', '+14155550134'], ['customer_name', 'Dana Reyes'], ['address_street', '12 Oak Street']] as const) {
    t.notMatch(maskValue(field, value), value)
  }
})
