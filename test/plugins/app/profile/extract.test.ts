// Unit cases per field for the rule-based extractor, through extract + merge at the production threshold.
import t from 'tap'
import { extractProfileFacts } from '../../../../plugins/app/profile/extract.ts'
import { emptyProfile, mergeProfile } from '../../../../plugins/app/profile/merge.ts'
import type { ExtractOptions, ProfileValues } from '../../../../plugins/app/profile/types.ts'
import { DANA_MESSAGE } from '../../../fixtures/dana.ts'
import { runConversation } from '../../../helpers/profile-score.ts'

const OPTIONS: ExtractOptions = {
  products: ['solar panels', 'battery storage', 'heat pump', 'EV charger'],
  services: ['installation', 'maintenance', 'energy audit', 'financing'],
  defaultRegion: 'US'
}

/** A conversation, message by message, through extract and merge at the production threshold. */
const run = (messages: string[]): ProfileValues => runConversation(messages, OPTIONS)

function profileOf (text: string, options: ExtractOptions = OPTIONS): ProfileValues {
  return mergeProfile(emptyProfile(), extractProfileFacts(text, options), 0.6).next
}

type Case = [text: string, expected: string | null]
type ScalarField = 'customer_name' | 'email' | 'phone' | 'address_street' | 'address_city' | 'address_state' | 'address_zip'
/** [found, wanted, message] triples for a table of messages and the value expected in one field. */
function fieldCases (field: ScalarField, cases: Case[], options?: ExtractOptions): Array<[string | null, string | null, string]> {
  return cases.map(([text, expected]) => [profileOf(text, options)[field], expected, JSON.stringify(text)])
}

t.test('email: RFC-shaped addresses, domain lower-cased, local part kept as typed', async (t) => {
  for (const [found, wanted, message] of fieldCases('email', [
    ['my email is Dana.Reyes@Example.COM', 'Dana.Reyes@example.com'],
    ['my emial is jo+quotes@sub.example.co.uk.', 'jo+quotes@sub.example.co.uk'],
    ['reach me at (dana_r@example.org)', 'dana_r@example.org'],
    ['email: dana at example dot com', 'dana@example.com'],
    ['my old email was a@example.com, the new one is b@example.net', 'b@example.net'],
    ['foo@bar, a..b@example.com, x@-example.com and user@example.c0m', null],
    ['I sent it to sales@solarco.com already', null],
    ['what is your email address?', null]
  ])) t.equal(found, wanted, message)
})

t.test('phone: normalised to E.164, international numbers too', async (t) => {
  for (const [found, wanted, message] of fieldCases('phone', [
    ['(415) 555-0134', '+14155550134'],
    ['phone: 415.555.0134', '+14155550134'],
    ['call 4155550134', '+14155550134'],
    ['+1 (212) 555-0199 ext. 12', '+12125550199'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['UK mobile 07700 900123', '+447700900123'],
    ['+49 30 901820', '+4930901820'],
    ['+33 1 42 68 53 00', '+33142685300'],
    ['+91 98765 43210', '+919876543210'],
    ['+61 2 9374 4000', '+61293744000'],
    ['Springfield, IL 62704 415-555-0134', '+14155550134']
  ])) t.equal(found, wanted, message)
  t.equal(profileOf('020 7946 0958', { ...OPTIONS, defaultRegion: 'GB' }).phone, '+442079460958', 'default region from options')
})

t.test('phone: zip codes, order numbers, prices, dates and years are not phones', async (t) => {
  for (const [found, wanted, message] of fieldCases('phone', [
    ['zip 62704', null],
    ['order #4155550134', null],
    ['My order number is 4155550134, can you check it?', null],
    ['account 2125550199', null],
    ['it cost $4,155,550,134', null],
    ['on 2024-05-06 or 05/06/2024', null],
    ['built between 1998 and 2004, remodeled 1998 2004', null],
    ['about 1,100 kWh and 3,200 sq ft', null],
    ['I tried to call 1-800-555-0100 yesterday', null],
    ['your number is 415-555-0134 right?', null],
    ['a callback at 555-0134', null]
  ])) t.equal(found, wanted, message)
})

t.test('customer_name: clear self-introductions and sign-offs, proper-cased', async (t) => {
  for (const [found, wanted, message] of fieldCases('customer_name', [
    ['my name is dana reyes', 'Dana Reyes'],
    ["Hi, I'm Dana Reyes — interested in solar", 'Dana Reyes'],
    ["I'm Dana Reyes from Acme", 'Dana Reyes'],
    ['I am Dana', 'Dana'],
    ['Hello, this is Dana Reyes.', 'Dana Reyes'],
    ['you can call me Dana', 'Dana'],
    ["name's Dana", 'Dana'],
    ['Name: Rosa Delgado\nEmail: rosa@example.org', 'Rosa Delgado'],
    ['Thanks, Dana', 'Dana'],
    ['Cheers,\nDana Reyes', 'Dana Reyes'],
    ['Sounds good — Dana', 'Dana'],
    ['Best regards,\nDr. Naomi Hart\nnaomi@example.edu | 510-555-0147', 'Naomi Hart'],
    ['Hi, Dana here. Quick question', 'Dana'],
    ['MY NAME IS DANA REYES', 'Dana Reyes'],
    ['my name is jean-luc picard', 'Jean-Luc Picard'],
    ["my name is marcus o'neil", "Marcus O'Neil"],
    ['my name is mary mcdonald', 'Mary McDonald'],
    ['my name is Ludwig van Beethoven', 'Ludwig van Beethoven'],
    ['Me llamo Lucía Fernández.', 'Lucía Fernández'],
    ["i'm dana, looking for panels", 'Dana'],
    ["I'm Dr. Sarah Connor, call me Sarah", 'Sarah Connor']
  ])) t.equal(found, wanted, message)
})

t.test('customer_name: never from "I\'m looking / fine / in …" and other non-names', async (t) => {
  for (const [found, wanted, message] of fieldCases('customer_name', [
    ["I'm looking for a quote", null],
    ["I'm interested in solar panels", null],
    ["I'm Interested In Solar Panels", null],
    ["I'm fine, I'm not sure, I'm happy with that, I'm here.", null],
    ["I'm in Springfield", null],
    ["I'm a homeowner", null],
    ['I am writing on behalf of the HOA.', null],
    ["I'm currently renting.", null],
    ['im good thanks', null],
    ["i'm exhausted, this is taking forever", null],
    ['This is great. Call me at 5pm. Call me back.', null],
    ['Thanks, that helps', null],
    ['Thanks!', null],
    ["It's Sunday, are you open?", null],
    ['his name is Bob and the company name is Acme', null],
    ['- Interested in: heat pump, maintenance', null]
  ])) t.equal(found, wanted, message)
})

t.test('address: the usual shapes', async (t) => {
  const cases: Array<[string, Partial<ProfileValues>]> = [
    ['12 Oak Street, Springfield, IL 62704', { address_street: '12 Oak Street', address_city: 'Springfield', address_state: 'IL', address_zip: '62704' }],
    ['I live at 45 Maple Ave in Austin, Texas', { address_street: '45 Maple Ave', address_city: 'Austin', address_state: 'TX', address_zip: null }],
    ['my zip is 94107', { address_zip: '94107', address_city: null }],
    ['zip code: 62704-1234', { address_zip: '62704-1234' }],
    ["we're in Denver, CO", { address_city: 'Denver', address_state: 'CO' }],
    ["we're in austin tx", { address_city: 'Austin', address_state: 'TX' }],
    ['12 Oak Street\nApt 4B\nSpringfield, IL 62704', { address_street: '12 Oak Street Apt 4B', address_city: 'Springfield', address_state: 'IL', address_zip: '62704' }],
    ['1600 Pennsylvania Ave NW, Washington, DC 20500', { address_street: '1600 Pennsylvania Ave NW', address_city: 'Washington', address_state: 'DC', address_zip: '20500' }],
    ['Address: 500 N Main St Apt 12, Hillsboro, Oregon 97124', { address_street: '500 N Main St Apt 12', address_city: 'Hillsboro', address_state: 'OR', address_zip: '97124' }],
    ['we are in St. Louis, MO 63101', { address_city: 'St. Louis', address_state: 'MO', address_zip: '63101' }],
    ['we live in new york, ny', { address_city: 'New York', address_state: 'NY' }],
    ['I live in an apartment in Chicago', { address_city: 'Chicago', address_state: null }],
    ["We're at 3301 E Camelback Rd, Phoenix 85018", { address_street: '3301 E Camelback Rd', address_city: 'Phoenix', address_zip: '85018' }]
  ]
  for (const [text, expected] of cases) t.match(profileOf(text), expected, JSON.stringify(text))
})

t.test('address: things that only look like addresses', async (t) => {
  for (const text of [
    "it's a 20 minute drive from here",
    'we need 2 heat pumps for a 3 bedroom place',
    "I'm in sales, ok?",
    'somewhere between Springfield or Shelbyville',
    'Are you in Springfield, IL?',
    "I'm currently in London but will be back soon",
    'order 62704 shipped'
  ]) {
    t.match(profileOf(text), { address_street: null, address_city: null, address_state: null, address_zip: null }, JSON.stringify(text))
  }
})

t.test('interests: catalogue terms with plural and case variants, in the catalogue spelling', async (t) => {
  const cases: Array<[string, string[], string[]]> = [
    ['interested in Solar Panel quotes', ['solar panels'], []],
    ['need 2 ev-chargers and a heat pumps price', ['EV charger', 'heat pump'], []],
    ['need a quote for installation', [], ['installation']],
    ['can you install it and do maintainance?', [], ['installation', 'maintenance']],
    ['how long does an install take?', [], ['installation']],
    ['wanna get solar pannels', ['solar panels'], []],
    ['looking for a new roof', ['roof'], []],
    ['Interested in Tesla Powerwall and solar', ['Tesla Powerwall', 'solar panels'], []],
    ['interested in learning more', [], []],
    ["I'm looking for a quote", [], []]
  ]
  for (const [text, products, services] of cases) {
    const profile = profileOf(text)
    t.same([profile.products_of_interest, profile.services_of_interest], [products, services], JSON.stringify(text))
  }
})

t.test('interests: negated mentions never add the term', async (t) => {
  const cases: Array<[string, string[], string[]]> = [
    ['not interested in batteries', [], []],
    ['no need for installation', [], []],
    ["We don't need financing but an energy audit would help", [], ['energy audit']],
    ["I'm not interested in battery storage, just the heat pump", ['heat pump'], []],
    ['we already have solar panels, looking to add battery storage', ['battery storage'], []],
    ['solar panels rather than a heat pump', ['solar panels'], []],
    ['Batteries are out of budget for now.', [], []],
    ['maintenance for our existing solar panels', [], ['maintenance']],
    ['Not the batteries though, too pricey.', [], []]
  ]
  for (const [text, products, services] of cases) {
    const profile = profileOf(text)
    t.same([profile.products_of_interest, profile.services_of_interest], [products, services], JSON.stringify(text))
  }
})

t.test('interests: works with any catalogue', async (t) => {
  const options = { ...OPTIONS, products: ['Roof Shingles', 'Gutter Guard'], services: ['Inspection'] }
  const profile = profileOf('We need new roof shingles and gutter guards, plus an inspection.', options)
  t.same(profile.products_of_interest, ['Roof Shingles', 'Gutter Guard'])
  t.same(profile.services_of_interest, ['Inspection'])
})

t.test('an off-catalogue phrase is a lower-confidence product', async (t) => {
  const facts = extractProfileFacts('we need a quote for a new roof and solar panels', OPTIONS)
  const roof = facts.find((f) => f.field === 'products_of_interest' && f.value.includes('roof'))
  const panels = facts.find((f) => f.field === 'products_of_interest' && f.value.includes('solar panels'))
  t.ok(roof !== undefined && panels !== undefined && roof.confidence < panels.confidence)
  t.same(mergeProfile(emptyProfile(), facts, 0.7).next.products_of_interest, ['solar panels'], 'a stricter threshold drops the guess')
})

t.test('preferences: contact channel', async (t) => {
  const cases: Array<[string, string | undefined]> = [
    ['Email is better than calling.', 'email'],
    ['email me rather than call', 'email'],
    ['please text me', 'text'],
    ['I prefer a call', 'phone'],
    ['Preferred contact: text', 'text'],
    ['Texting is easiest for me', 'text'],
    ['Best to reach me by phone: 773 555 0123', 'phone'],
    ['Best way to reach me is carla@example.com', 'email'],
    ["don't call me, email instead", 'email'],
    ['text only pls', 'text'],
    ['please don\'t text', undefined],
    ['email me at dana@example.com or call 415-555-0134', 'email'],
    ['My French number works on WhatsApp: +33 6 12 34 56 78', undefined],
    ['You can call me Bobby', undefined]
  ]
  for (const [text, channel] of cases) t.equal(profileOf(text).preferences.contact_channel, channel, JSON.stringify(text))
})

t.test('preferences: contact time and language', async (t) => {
  const times: Array<[string, string | undefined]> = [
    ['call me after 5pm', 'after 5pm'],
    ['A call is fine, ideally after 5 pm on weekdays.', 'after 5pm on weekdays'],
    ['Mornings are best to reach me.', 'mornings'],
    ['reach me in the evening', 'evenings'],
    ['Best time is weekends, I work long shifts during the week.', 'weekends'],
    ['Afternoons are best, I nap in the morning.', 'afternoons'],
    ['Good morning! Do you sell heat pumps?', undefined],
    ['Do you guys work weekends?', undefined]
  ]
  for (const [text, time] of times) t.equal(profileOf(text).preferences.contact_time, time, JSON.stringify(text))
  const languages: Array<[string, string | undefined]> = [
    ['I would prefer to communicate in German if possible', 'de'],
    ['Can we continue in Spanish?', 'es'],
    ["I'd prefer to speak French", 'fr'],
    ['Hola, prefiero hablar en español.', 'es'],
    ['Sorry, my English is not very good.', undefined]
  ]
  for (const [text, language] of languages) t.equal(profileOf(text).preferences.language, language, JSON.stringify(text))
})

t.test('other people: their details go to other_contacts, never to the customer', async (t) => {
  const cases: Array<[string, Partial<ProfileValues>, unknown[]]> = [
    ["my colleague's email is bob@example.com", { email: null }, [{ relation: 'colleague', email: 'bob@example.com' }]],
    ['my wife Anna wants a heat pump', { customer_name: null, products_of_interest: ['heat pump'] }, [{ relation: 'wife', name: 'Anna' }]],
    ["my husband's number is 415-555-0199", { phone: null }, [{ relation: 'husband', phone: '+14155550199' }]],
    ['cc my assistant bob@example.com', { email: null }, [{ relation: 'assistant', email: 'bob@example.com' }]],
    ['my manager, John Smith, will decide', { customer_name: null }, [{ relation: 'manager', name: 'John Smith' }]],
    ["My wife's email is a@example.com and mine is b@example.com", { email: 'b@example.com' }, [{ relation: 'wife', email: 'a@example.com' }]],
    ['please cc jo@example.com on this', { email: null }, [{ relation: 'cc', email: 'jo@example.com' }]],
    ["Can you call my husband instead? He's at 702-555-0124.", { phone: null }, [{ relation: 'husband', phone: '+17025550124' }]],
    ['Also my manager, John Smith, signs off. His direct line is 469-555-0110.', { phone: null }, [{ relation: 'manager', name: 'John Smith', phone: '+14695550110' }]],
    ['The tenant in unit A is Mike Ross (828) 555-0170. I\'m Carla.', { customer_name: 'Carla', phone: null }, [{ relation: 'tenant', name: 'Mike Ross', phone: '+18285550170' }]],
    ['My business partner Chris Olsen will join, chris@olsenbakes.com.', { customer_name: null, email: null }, [{ relation: 'business partner', name: 'Chris Olsen', email: 'chris@olsenbakes.com' }]]
  ]
  for (const [text, own, contacts] of cases) {
    const profile = profileOf(text)
    t.match(profile, own, JSON.stringify(text))
    t.same(profile.preferences.other_contacts, contacts, JSON.stringify(text))
  }
  const together = profileOf('My wife and I live at 12 Oak Street, Springfield IL')
  t.equal(together.address_street, '12 Oak Street', '"my wife and I" is still the customer')
  t.equal(together.preferences.other_contacts, undefined)
})

t.test('messages without facts yield no facts', async (t) => {
  for (const text of ['', 'hey there', 'What brands do you carry?', "ok thanks, I'll think about it", 'Your website is really slow.']) {
    t.same(extractProfileFacts(text, OPTIONS), [], JSON.stringify(text))
  }
})

t.test('facts are deterministic and confidences stay within 0..1', async (t) => {
  const text = DANA_MESSAGE
  const first = extractProfileFacts(text, OPTIONS)
  t.same(extractProfileFacts(text, OPTIONS), first)
  t.ok(first.every((f) => f.confidence > 0 && f.confidence <= 1))
})

t.test('adversarial input returns quickly', async (t) => {
  const inputs = {
    letters: 'a'.repeat(8000),
    digitPairs: '1 '.repeat(4000),
    digitRun: '9'.repeat(8000),
    dashes: '1-'.repeat(4000),
    openParen: '(' + '1-'.repeat(3999),
    ats: 'a@'.repeat(4000),
    dots: 'a.'.repeat(4000),
    longLocalPart: 'x'.repeat(7990) + '@example',
    emailish: 'a.'.repeat(3000) + '@' + 'b.'.repeat(990),
    streets: '12 Oak '.repeat(1150),
    intros: 'my name is '.repeat(730),
    capitalized: "I'm " + 'Dana '.repeat(1600),
    relations: 'my wife '.repeat(1000),
    negations: 'not no not no '.repeat(570),
    places: 'in Springfield, '.repeat(500),
    times: 'after 5pm on '.repeat(615),
    lowerPlaces: 'im in '.repeat(1600),
    kindOf: "we're a " + 'big '.repeat(1900),
    repeatedMessage: 'Call me at 415 555 0134, 12 Oak Street, Springfield, IL 62704 '.repeat(125)
  }
  for (const [name, text] of Object.entries(inputs)) {
    const started = performance.now()
    extractProfileFacts(text, OPTIONS)
    const elapsed = performance.now() - started
    t.ok(elapsed < 1000, `${name} (${text.length} chars) took ${elapsed.toFixed(1)} ms`)
  }
})

t.test('a normal message is cheap', async (t) => {
  const text = DANA_MESSAGE
  for (let i = 0; i < 50; i++) extractProfileFacts(text, OPTIONS)
  const runs = 300
  const started = performance.now()
  for (let i = 0; i < runs; i++) extractProfileFacts(text, OPTIONS)
  const perMessage = (performance.now() - started) / runs
  t.comment(`${(perMessage * 1000).toFixed(0)} µs per message`)
  // Hundreds of microseconds on an idle machine; the bound only catches a pathological regression on a busy CI box.
  t.ok(perMessage < 50, 'well under 50 ms per message')
})

t.test('"please don\'t use that" at the start of a message withdraws what the message before it gave', async (t) => {
  const phoneThenWithdrawn = run(['Here\'s my number: 563-555-0118.', 'Actually please don\'t use that, I\'d prefer email.'])
  t.equal(phoneThenWithdrawn.phone, null)
  const emailThenWithdrawn = run(['you can write to rue.fenwick@example.com', 'ignore that, my partner handles it'])
  t.equal(emailThenWithdrawn.email, null)
  const withdrawnThenGiven = run(['cell is 503-555-0124', 'scratch that, 503-555-0199 is better'])
  t.equal(withdrawnThenGiven.phone, '+15035550199', 'a value after the phrase is the new one')
  const forgetIt = run(['my number is 503-555-0124', 'how much is a heat pump?', 'forget it, too expensive'])
  t.equal(forgetIt.phone, '+15035550124', '"forget it" after another message withdraws nothing')
  const notBefore = run(['how much is a battery', 'don\'t use that, we have solar already'])
  t.same([notBefore.phone, notBefore.email], [null, null], 'nothing given before, nothing withdrawn')
})

t.test('replies to the assistant\'s questions: a message that is only a name, a place, a ZIP or a unit', async (t) => {
  t.equal(run(['pls call 724 555 0197', 'benedikt sorensen']).customer_name, 'Benedikt Sorensen')
  t.equal(run(['sorry whats the next step', 'sure, Thaddeus Imbery']).customer_name, 'Thaddeus Imbery')
  t.equal(run(['its wes']).customer_name, 'Wes')
  t.equal(run(['this is ophelia, can i get a callback tmrw']).customer_name, 'Ophelia')
  for (const notName of ['sounds good', 'evenings pls', 'its fine', 'tesla powerwall', 'portsmouth nh', 'this is urgent, call me']) {
    t.equal(run([notName]).customer_name, null, `"${notName}" is no name`)
  }
  t.match(run(['yo', 'want solar', 'bowling green ky']), { address_city: 'Bowling Green', address_state: 'KY' })
  t.match(run(['2906 old mill pike', 'in frederick md', '21702']), { address_street: '2906 Old Mill Pike', address_city: 'Frederick', address_state: 'MD', address_zip: '21702' })
  t.equal(run(['house is at 61 cobble way', 'unit 2']).address_street, '61 Cobble Way Unit 2')
  t.match(run(['1902 cedar swale ln 53711']), { address_street: '1902 Cedar Swale Ln', address_zip: '53711' })
  t.equal(run(['its 4410 n cascade ave colorado springs']).address_city, 'Colorado Springs')
  t.equal(run(['is your office at 400 commerce pkwy?']).address_street, null, 'the company\'s address, asked about')
  t.equal(run(['i live in 90210 and have 3 kids']).address_city, null, '"i live" is no city')
})

t.test('a corrected word of the name, and the daughter who takes over her father\'s chat', async (t) => {
  t.equal(run(['im Kathryn Oyelaran', 'sorry its Katrin, autocorrect']).customer_name, 'Katrin Oyelaran')
  t.equal(run(['name: jonah pettigrw', 'pettigrew*']).customer_name, 'Jonah Pettigrew')
  t.equal(run(['I am Dana Reyes', 'sorry, Thanks']).customer_name, 'Dana Reyes', 'a word like no word of the name changes nothing')
  t.equal(run(['hi this is gary', 'oops sorry, gary is my dad, this is elise. im helping him']).customer_name, 'Elise')
  const dad = run(['my dad wants solar on his house, im helping him out', 'his address is 2204 mesquite bend, el paso tx 79936'])
  t.equal(dad.address_street, '2204 Mesquite Bend', 'the job site, named in the message before')
})

t.test('households and businesses: a landlord\'s or tenant\'s number, a company\'s name, a gift for a son\'s house', async (t) => {
  t.equal(run(['I own a duplex. Tenant is Marisol Fenwick, she said you can call her to arrange access: 414-555-0127']).phone, null)
  t.equal(run(['I\'m a renter. Landlord is Cyrus Hadley, 336-555-0141, he said to call him to schedule']).phone, null)
  t.equal(run(['This is Bright Path Property Management, we need quotes on insulation']).customer_name, null)
  t.equal(run(['Hi I\'m Maria Lopez and my farm is in Yakima']).customer_name, 'Maria Lopez', 'a company word later in the sentence is no company name')
  const gift = run(['My son just bought his first house and I want to gift him an energy audit', 'his address is 66 Quillan Way, Bend OR 97702'])
  t.equal(gift.address_street, '66 Quillan Way')
  t.equal(run(['Reach me (the owner) at 269-555-0170. Augustin Pelletier']).phone, '+12695550170')
  t.equal(run(['Reach me (the owner) at 269-555-0170. Augustin Pelletier']).customer_name, 'Augustin Pelletier', 'a full name as the last sentence')
  t.equal(run(['call me at +1 (480) 555-0119 after 5', 'Rosalind']).customer_name, 'Rosalind', 'one word after a message that gave a phone')
  t.equal(run(["I'm Dana Reyes", 'do you install in winter?', 'Rosalind']).customer_name, 'Dana Reyes', 'a one-word reply never replaces a name')
})

t.test('addresses: units written first, a ZIP in brackets, a move, a question about a house, "delete all that"', async (t) => {
  t.equal(run(['mailing address: Apt 12, 330 Verbena Street, Fresno, California 93704']).address_street, '330 Verbena Street Apt 12')
  t.equal(run(["I'm Jolene, apartment 4B at 61 Orchard Terrace, Montclair NJ 07042"]).address_street, '61 Orchard Terrace Apt 4B')
  t.equal(run(['we bought a bungalow at 1185 Sunnyslope Ave in Ogden, Utah (84403)']).address_zip, '84403')
  t.equal(run(["We're moving next month from 12 Pine Knoll Dr to 5509 S Yorktown Ave, Tulsa OK 74105."]).address_street, '5509 S Yorktown Ave')
  t.equal(run(['is 1400 Wainwright St in Sioux Falls in your service area?']).address_street, null)
  t.match(run(['the house is 2716 Saddlehorn Dr', 'in Cheyenne', 'wyoming 82009']), { address_city: 'Cheyenne', address_state: 'WY', address_zip: '82009' })
  const withdrawn = run(["Ok I'm Felipe Arredondo, 928-555-0165", "you know what, delete all that, I'm not ready to be contacted"])
  t.same([withdrawn.customer_name, withdrawn.phone], [null, null])
  t.equal(run(['my number is 928-555-0165', "please don't delete all that"]).phone, '+19285550165', 'a negated request withdraws nothing')
})

t.test('several numbers or emails of the visitor\'s own: the one they prefer; a fax is no phone', async (t) => {
  t.equal(run(['Home 651-555-0104, work 651-555-0155, cell 651-555-0181. cell is best.']).phone, '+16515550181')
  t.equal(run(["my work number is 317-555-0102 but I can't take calls there, use my cell 317-555-0158"]).phone, '+13175550158')
  t.equal(run(['Best number is my mobile.\n\nDr. Sunita Ravel\nRavel Pediatrics\nOffice: 505-555-0110\nMobile: 505-555-0175']).phone, '+15055550175')
  t.equal(run(['Fax: 970-555-0132']).phone, null, 'a fax line')
  t.equal(run(['emails: personal is cass.whitlow@example.com, please use that one not my work one (cwhitlow@example.org)']).email, 'cass.whitlow@example.com')
  t.equal(run(['I used to use pkessler@example.net but I dont check it anymore. Use paulina.kessler@example.com']).email, 'paulina.kessler@example.com')
  t.same([run(["Hi I'm Leopold Vance, 401-555-0164", 'actually please delete my name and number']).customer_name, run(["Hi I'm Leopold Vance, 401-555-0164", 'actually please delete my name and number']).phone], [null, null])
  t.equal(run(['Phone 319-555-0133, email ansel.krug@example.org', 'Please remove the phone number, email only.']).email, 'ansel.krug@example.org', '"email only" keeps it')
})

t.test('signatures, forwarded notes and companies', async (t) => {
  const forwarded = run(['Forwarding my contractors note below.\n\n---\nFrom: Baxter Renwick <baxter@example.com>\nWe would need a 60A breaker.\n---\n\nCan you do the install?\nMina'])
  t.same([forwarded.customer_name, forwarded.email], ['Mina', null])
  t.equal(run(['From: Rafferty Cole <rafferty.cole@example.com>\nHi, I filled in the form last week.']).email, 'rafferty.cole@example.com', 'a header at the very start is the visitor\'s own')
  t.equal(run(['Quick question: do you install DC fast chargers?\n\nIngram Solis\nSolis Auto Repair']).customer_name, 'Ingram Solis')
  t.equal(run(['Good day. Greetings, Annegret Hoffmeister']).customer_name, 'Annegret Hoffmeister')
  t.equal(run(['Warm regards,\n\nBeatrix Lindqvist\nOperations Manager\nCedar Hollow Farm & Creamery\n1509 Hollow Rd\nWoodstock, VT 05091\nCell: (802) 555-0158']).customer_name, 'Beatrix Lindqvist')
  t.equal(run(['I run a practice from home.\n\nThaddeus Kroll, CPA\n701-555-0141']).customer_name, 'Thaddeus Kroll')
  t.equal(run(['Thanks,\nPhilippa Grange\n(720) 555-0138']).customer_name, 'Philippa Grange', 'a surname that is also a word')
  t.equal(run(['do homeowners actually make money from them']).customer_name, null)
  t.equal(run(['put it under my name, Hollis Grundy', "actually put it under my wife's name, she's the homeowner - Annika Grundy"]).customer_name, 'Hollis Grundy')
  t.equal(run(['Roof replacement', 'Helmut Ostertag', '316-555-0145', 'Wichita']).customer_name, 'Helmut Ostertag', 'a one-word reply never replaces a name')
})

t.test('places: a lettered county road, a business in a city, a state in words, a city after a street', async (t) => {
  t.equal(run(['Shed is at the home farm, 7780 County Rd H, Marshfield WI 54449.']).address_street, '7780 County Rd H')
  t.equal(run(['I own a cafe in Savannah and want to know about solar']).address_city, 'Savannah')
  t.equal(run(['we live out in the country in wisconsin, do you service rural areas']).address_state, 'WI')
  t.match(run(['im at 615 Gallowglass Street', 'Ogden', 'Utah', '84401']), { address_city: 'Ogden', address_state: 'UT', address_zip: '84401' })
  t.equal(run(['Yusuf Demirci / 469-555-0108 / Frisco TX']).address_city, 'Frisco')
  t.equal(run(['We had solar on our old house at 12 Birchmere Lane in Tucson. Just moved to 904 Saltgrass Way, Las Cruces NM 88011.']).address_street, '904 Saltgrass Way')
  t.equal(run(["I'm at 5 Marigold Ter, is that in your service area?"]).address_street, '5 Marigold Ter', 'their own address, asked about')
  t.equal(run(['Condo owner here. Unit is 4C at 220 Marlowe Street, Providence RI 02903.']).address_street, '220 Marlowe Street Unit 4C')
  t.equal(run(['address is 57 thistledown ct, fort collins 80525', 'sorry, 75 Thistledown, not 57']).address_street, '75 Thistledown Ct')
  t.equal(run(['we are at 403 Kittredge St, Ithaca', "hmm actually I don't want to give out my address yet, can you ignore that for now"]).address_street, null)
})

t.test('one-word replies: a town with several ZIP codes is a city, another capitalized word a name that fills an empty one', async (t) => {
  t.match(run(['Book me in', 'Wilfred', '928-555-0103']), { customer_name: 'Wilfred', phone: '+19285550103' })
  t.match(run(['Cordelia', '801 555 0169', 'Provo']), { customer_name: 'Cordelia', address_city: 'Provo' })
  t.match(run(['ready to book a solar consult', 'Tucson']), { customer_name: null, address_city: 'Tucson' })
  for (const word of ['Thanks', 'Yes', 'Perfect', 'Wednesday', 'Utah', 'Nope']) t.equal(run([word]).customer_name, null, `"${word}" is no name`)
  t.equal(run(["We're in Lawrence, Kansas", 'sorry, Lenexa, not Lawrence. autocorrect']).address_city, 'Lenexa')
  t.equal(run(["We're in Lawrence, Kansas", 'Katrin, not Kathryn']).address_city, 'Lawrence', 'a correction of something else changes no town')
})

t.test('more ways to give a name: lists, a dash, a name and a number, "I am his daughter Rowena"', async (t) => {
  t.equal(run(['Here you go:\n1. Fitzgerald Oyelaran\n2. 4 Hawthorn Rise, Portland ME 04103\n3. 207-555-0119']).customer_name, 'Fitzgerald Oyelaran')
  t.match(run(['ok lets do it - otis grimsby otisg@example.com 6055550111 sioux falls sd']), { customer_name: 'Otis Grimsby', address_city: 'Sioux Falls', address_state: 'SD' })
  t.equal(run(['Cleon 601 555 0145']).customer_name, 'Cleon')
  t.equal(run(['Go ahead and book it.\nMagnus\n586.555.0192']).customer_name, 'Magnus')
  t.equal(run(['booking this for my dad', 'I am his daughter Rowena, call me at 540-555-0135']).customer_name, 'Rowena')
  t.equal(run(['Ottoline Vance, ready to sign for the 8kW package']).customer_name, 'Ottoline Vance')
  t.equal(run(['ok book me, Thaddeus Moorcroft']).customer_name, 'Thaddeus Moorcroft')
  t.equal(run(['Hi, Briony Cask here, keen to book', 'autocorrect! it is Bryony Cask']).customer_name, 'Bryony Cask')
  t.equal(run(['im shay', 'shay brennan-kuo', 'no wait its spelled shae']).customer_name, 'Shae Brennan-Kuo')
  t.equal(run(['vivo en Las Cruces, Nuevo Mexico']).customer_name, null, 'a place after a comma is no name')
  t.equal(run(['Mireille.Otunde@Example.com']).customer_name, null, 'an email\'s first word is no name')
  t.equal(run(['Hi from Brightwater Dental, we want quotes']).address_city, null, 'a company is no town')
  t.match(run(['Fiona Lindqvist, Rockford IL. Office 815-555-0166']), { address_city: 'Rockford', address_state: 'IL' })
})

t.test('round twenty-one\'s shapes: towns after "in", a labelled street, the home among two streets, relatives\' houses', async (t) => {
  t.equal(run(['2 story colonial in Worcester, gas heat, want to switch']).address_city, 'Worcester')
  t.equal(run(['hey how much for a heat pump install', '3 bed 1600 sq ft in duluth']).address_city, 'Duluth')
  t.equal(run(['do you work in anchorage', 'ah ok nvm']).address_city, null, 'a town asked about')
  t.equal(run(["I'm the agent listing 1402 Oak Hollow Dr in Round Rock."]).address_city, null)
  t.equal(run(['Full name: Ramon Estevez\nStreet: 2100 Calle Luna Apt 12\nCity: Las Cruces']).address_street, '2100 Calle Luna Apt 12')
  t.equal(run(['our HOA office is at 1 Clubhouse Dr, they need the plans. we live at 18 Fairway Ridge, Scottsdale AZ 85255']).address_street, '18 Fairway Ridge')
  t.match(run(['we are in Fargo 58102 - do you do heat pumps up here?']), { address_city: 'Fargo', address_zip: '58102' })
  t.equal(run(['we are in zip 02467 - what rebates would we qualify for?']).address_city, null)
  t.match(run(['street is 418 Juniper Hollow Rd', 'town is Bozeman', 'montana 59715']), { address_city: 'Bozeman', address_state: 'MT', address_zip: '59715' })
  t.equal(run(['1010 Wren Hollow Ct, Greer SC 29651', 'correction: city is Taylors, zip 29687']).address_city, 'Taylors')
  t.equal(run(['solar quote pls', 'zip 87505', 'santa fe']).address_city, 'Santa Fe')
  t.equal(run(['yo', 'jasper', 'jasperkowalczyk@example.net']).address_city, null, 'one lower-case word is no town without an address before it')
  const son = run(["I'm asking for my son Eli, he just bought his first house. He's at 802 Pinecone Dr, Ames IA 50010", "I'm Ruth, his mom."])
  t.match(son, { customer_name: 'Ruth', address_street: '802 Pinecone Dr' })
  t.equal(run(['Current address 5502 Wickerbay Dr, Tampa FL 33647', "we're moving to Denver in June if that matters"]).address_city, 'Tampa')
  t.equal(run(['My sister is deaf and asked me to reach out for her.', 'She prefers text: 971-555-0138. Her name is Anneliese.']).phone, null)
  t.equal(run(['my number is 865-555-0183', 'sorry 0138 not 0183']).phone, '+18655550138')
})

t.test('round twenty-one\'s names: "im jake 608 …", a name after its given name, "I\'m Harriet\'s daughter, Colette"', async (t) => {
  t.equal(run(['ok thx. im jake 608 555 0152 if someone wants to come look']).customer_name, 'Jake')
  t.match(run(['need quote mini split 2 rooms. kelsey 515 555 0139 des moines']), { customer_name: 'Kelsey', address_city: 'Des Moines' })
  t.equal(run(['Fenwick', 'Harlan Fenwick, sorry']).customer_name, 'Harlan Fenwick')
  t.equal(run(['Hi, Marcus and Delphine Arkwright here. I am Delphine, Marcus is at work.']).customer_name, 'Delphine Arkwright')
  t.equal(run(["I'm Harriet's daughter, Colette. Mom asked me to follow up."]).customer_name, 'Colette')
  t.equal(run(['My husband Tobias and I (Wren Castellanos) are looking at a battery.']).customer_name, 'Wren Castellanos')
  t.equal(run(['hey its marisol quintanar, i filled out the form last week']).customer_name, 'Marisol Quintanar')
  t.equal(run(['do heat pumps actually work when its -25 out? im skeptical']).customer_name, null)
  t.equal(run(['but please text me, not him: 313-555-0127. Leila']).customer_name, 'Leila')
  t.equal(run(['MY HEAT PUMP IS MAKING A LOUD NOISE. CALL ME 606-555-0118. NELDA PARRISH']).customer_name, 'Nelda Parrish')
  t.equal(run(['Do I get the referral bonus? My account is under Noor Haddad']).customer_name, 'Noor Haddad')
  t.equal(run(['Eldon Pruitt. Landline only 970-555-0147']).customer_name, 'Eldon Pruitt')
})

t.test('round twenty-two\'s shapes: typos called fat fingers, the company\'s showroom, a quoted competitor, digits and area codes', async (t) => {
  const fingers = run(['address 418 Beechnut Ln, Cedar Rapids IA 52402', 'sorry 481 Beechnut Ln, fat fingers'])
  t.match(fingers, { customer_name: null, address_street: '481 Beechnut Ln', address_city: 'Cedar Rapids' })
  t.equal(run(["Is your showroom the one at 1200 Lakeshore Blvd? I'd like to come in."]).address_street, null)
  t.equal(run(['house built 1978, winters here are brutal']).customer_name, null)
  t.same([run(['need quote', 'spray foam crawlspace']).customer_name, run(['hi', 'cedar rapids']).customer_name], [null, null])
  const quoted = run(['Here\'s what the other company sent, can you beat it?\n\n"Summit Ridge Home Energy - 55 Depot St, Keene NH 03431 - 603-555-0100. Proposal: 14 panels."'])
  t.same([quoted.phone, quoted.address_street], [null, null], 'a quoted block is someone else\'s')
  t.equal(run(['Phone: 480-555-0137', 'P.S. my phone number ends in 0173 not 0137, sorry!']).phone, '+14805550173')
  t.equal(run(['(907) 555-0166', 'sorry area code is 970 not 907']).phone, '+19705550166')
  t.equal(run(['zip 98802', 'sry 98801']).address_zip, '98801')
  t.equal(run(['Im Fergus Almqvist', 'sorry Almquist*']).customer_name, 'Fergus Almquist')
  t.equal(run(['hi im jonah', 'jonah kreuger', 'sorry krueger lol']).customer_name, 'Jonah Krueger')
  t.equal(run(['send me a quote pls', 'sarahk.b@example.org', 'sarah']).customer_name, 'Sarah')
  t.equal(run(['Looking for pricing.\n\nOtto Brandvold | Brandvold Farms | 701-555-0111 | otto@example.com']).customer_name, 'Otto Brandvold')
  t.equal(run(['Could solar make a dent in that?\n\nInga Tollefsrud, owner']).customer_name, 'Inga Tollefsrud')
  t.equal(run(['Primary contact: Dolores Quintanilla\nSpouse: Arturo Quintanilla']).customer_name, 'Dolores Quintanilla')
  t.equal(run(['Do heat pumps work at -15F? We are way up in Aroostook County.']).address_city, null, 'a county is no town')
  t.equal(run(['the one in south carolina not missouri']).address_state, 'SC')
  t.equal(run(["ok. I'm comparing 3 quotes, can you send yours to pelletier.home@example.org"]).email, 'pelletier.home@example.org')
})

t.test('round twenty-four\'s shapes: labels, titles, greetings with a name, own numbers said as mine, dead lines', async (t) => {
  t.equal(run(['name cass delacroix', 'num 2145550161']).customer_name, 'Cass Delacroix')
  t.equal(run(['Telephone: +1 570 555 0167']).customer_name, null)
  t.equal(run(['Hi I put in a request', 'it was under Zuzana Petrakova']).customer_name, 'Zuzana Petrakova')
  t.equal(run(['Thank you,\nDeacon Rupert Salazar-Greaves\nSt. Anselm Community Church\nrsg@example.org']).customer_name, 'Rupert Salazar-Greaves')
  t.equal(run(['house is from 1958, original rafters']).customer_name, null, 'a year is no phone before a closing name')
  t.equal(run(['Hello, Seraphina Oduya from Tacoma, WA. Curious about heat pump water heaters.']).customer_name, 'Seraphina Oduya')
  t.equal(run(['Hi, Dorothea Winslow-Pike. Interested in attic fans.']).customer_name, 'Dorothea Winslow-Pike')
  t.equal(run(['Hi, Bright Energy team, do you do audits?']).customer_name, null, 'a company greeted by name')
  t.equal(run(['hey there! Anneliese from up in Duluth. thinking about a mini split']).customer_name, 'Anneliese')
  t.equal(run(['hey its marcus bellweather']).customer_name, 'Marcus Bellweather')
  t.equal(run(["I'm Lorna.", 'Lorna Pettigrew if you need the last name']).customer_name, 'Lorna Pettigrew')
  t.equal(run(['hi im priya raghunathan i want to know about solar loans']).customer_name, 'Priya Raghunathan')
  t.equal(run(['ok thanks, that helps a lot. -kenji']).customer_name, 'Kenji')
  t.equal(run(['name is Ophelia Grandstaf', 'Grandstaff, two fs at the end sorry']).customer_name, 'Ophelia Grandstaff')
  t.equal(run(['name is Caitlin Amesbury', 'correction: Kaitlyn, with a K and a y']).customer_name, 'Kaitlyn Amesbury')
  t.equal(run(['I AM INTERESTED IN SOLAR. PLEASE CALL ME. 417-555-0189. THANK YOU. CLARENCE DOBBINS']).customer_name, 'Clarence Dobbins')
  t.equal(run(["My sister loved it. Her info if you need a reference: Delia Marsh, 480-555-0110. I'm in Mesa too."]).customer_name, null)
  t.equal(run(['Account might be under my maiden name, Ruiz. My name now is Estrella Montague.']).customer_name, 'Estrella Montague')
  t.equal(run(["Here's my husband's cell in case I don't pick up: 316-555-0125. Mine is 316-555-0138."]).phone, '+13165550138')
  t.equal(run(['the 618-555-0121 number on my account is disconnected, use 618-555-0176 now']).phone, '+16185550176')
  t.match(run(['im at 1208 sagebrush ln, twin falls id']), { address_city: 'Twin Falls', address_state: 'ID' })
  t.equal(run(['We sold our house at 14 Aspen Ct last month. The new place is 260 Ridgecrest Dr, Rapid City, South Dakota 57701']).address_street, '260 Ridgecrest Dr')
  t.equal(run(["I'm a realtor - my client is buying 88 Pinecone Way in Flagstaff. Owned or leased?"]).address_street, null, 'a client\'s purchase is no job site')
  t.match(run(['im in 80525 fort collins']), { address_city: 'Fort Collins', address_zip: '80525' })
  t.equal(run(["we're in cedar rapids if that matters"]).address_city, 'Cedar Rapids')
})

t.test('round twenty-five\'s shapes: "ask for …", closing names, the house number is no phone\'s, ZIPs that name a town', async (t) => {
  t.equal(run(['ok call me. 360.555.0115 ask for maeve']).customer_name, 'Maeve')
  t.equal(run(['k. call me tmrw 314 555 0125', 'ask for dez']).customer_name, 'Dez')
  t.equal(run(['need a sub for roofing. Ask for Dominic, 575-555-0149']).customer_name, 'Dominic')
  t.equal(run(['call 1-307-555-0146 please and ask for me, Odessa']).customer_name, 'Odessa')
  t.equal(run(['Call me on +1 505 555 0139 please, re: solar quote. Esteban.']).customer_name, 'Esteban')
  t.equal(run(['Hi, Josephine Tarrant', 'sorry, Tarrant-Bligh, I always forget to put the whole thing']).customer_name, 'Josephine Tarrant-Bligh')
  t.equal(run(['hello this is fiona pellegrew']).customer_name, 'Fiona Pellegrew')
  t.equal(run(['hey need quote 4 solar + battery. kyle ostrowski 6085550183 kyle.ost@example.com']).customer_name, 'Kyle Ostrowski')
  t.equal(run(['The property is 215 Chestnut St, Lancaster PA 17603. Owner here: Abigail Fenstermacher']).customer_name, 'Abigail Fenstermacher')
  t.equal(run(['my # is 480-555-0166', 'xo Kenzie']).customer_name, 'Kenzie')
  t.equal(run(["This is Ronnie's account but I'm his wife Carla, I'll be handling the install questions"]).customer_name, 'Carla')
  t.equal(run(['Our salon moved to 1850 Harbor Blvd Unit 12, Costa Mesa CA 92627.', 'Kim-Linh Tran, owner']).customer_name, 'Kim-Linh Tran')
  t.equal(run(["Hey it's Caius", 'Caius Mbeki-Laurent is my full name for the paperwork']).customer_name, 'Caius Mbeki-Laurent')
  t.equal(run(['Following up on quote #Q-20417', 'under the name Linnea Fosberg']).customer_name, 'Linnea Fosberg')
  t.equal(run(['My neighbour referred me. Her address is 19 Willowbrook Ln. Mine is 21 Willowbrook Ln, Carmel IN 46032.']).address_street, '21 Willowbrook Ln')
  t.equal(run(['Did you do the install at the library on 300 Elm St? It looks great']).address_street, null)
  t.equal(run(['I live in Maine. Efficiency Maine has rebates for heat pumps right?']).address_city, null, 'a full stop ends the town')
  t.equal(run(['is your office on Grand Ave in Des Moines? I want to drop by']).address_city, null)
  t.equal(run(['Number 804-555-0102.', 'oh and correction, the house number is 1240 not 1204']).phone, '+18045550102', 'a house number is no phone\'s digits')
  t.equal(run(['my cell is 828-555-0161', 'hmm actually last 4 is 0116, fat fingers']).phone, '+18285550116')
  t.equal(run(['number is 248-555-0190', 'wait wrong number thats my old one. just email me']).phone, null)
  t.equal(run(['Your reps keep calling 609-555-0122, please remove it from your list']).phone, null)
  t.equal(run(['do you serve Boulder too? my zip is 80027 which is Louisville']).address_city, 'Louisville')
  t.equal(run(['Our zip is 93063 (Simi Valley). Is it worth it?']).address_city, 'Simi Valley')
  t.equal(run(["Hi I'm Cosmo, we met at the home show in Omaha"]).address_city, null)
  t.equal(run(['we are in Chatanooga, how soon could someone come out', 'Chattanooga* lol']).address_city, 'Chattanooga')
  t.equal(run(['Sal can be reached at 973-555-0133 if you need technical details']).phone, null)
})

t.test('round twenty-six\'s shapes: "put me down as", "Mine is", a problem at the house we installed, labels with dashes', async (t) => {
  t.equal(run(['ok its kip 801 555 0120 text is better']).customer_name, 'Kip')
  t.equal(run(["I'm Bart", "put the quote under Bartholomew Nygaard though, that's the name on the deed"]).customer_name, 'Bartholomew Nygaard')
  t.equal(run(['Put me down as Ines Halvorsen for the two heat pump quote']).customer_name, 'Ines Halvorsen')
  t.equal(run(['Name is Paulette Abara', "sorry, that was my sister's name. Mine is Noreen Abara"]).customer_name, 'Noreen Abara')
  t.equal(run(["I'm Meg", 'full name Margaret Toller-Ruiz if you need it for the paperwork']).customer_name, 'Margaret Toller-Ruiz')
  t.equal(run(['ok my email is kofi.adjei@example.net and name kofi adjei']).customer_name, 'Kofi Adjei')
  t.equal(run(["I'm setting this up for my dad. Please call me instead, I'm his daughter Joanne - 616-555-0115"]).customer_name, 'Joanne')
  t.equal(run(['need someone to look at my heat pump\n\nthx\nLupe 915-555-0114']).customer_name, 'Lupe')
  t.equal(run(['Could someone call me back?', '(Leontyne, 804-555-0114)']).customer_name, 'Leontyne')
  t.equal(run(['4 Kittiwake Way', 'Kennebunk', 'ME 04043']).customer_name, null, 'a town after a street is no name')
  t.equal(run(['home 608-555-0131, but cell 608-555-0175 is better']).phone, '+16085550175')
  t.equal(run(['the ev charger you installed at 48 Tidewater Ln keeps tripping the breaker']).address_street, '48 Tidewater Ln')
  t.equal(run(["is 1402 Galloway Ave in your service area? that's my house"]).address_street, '1402 Galloway Ave')
  t.match(run(['name - rufus achterberg\nstreet - 2215 prairie rose ln\ncity - wichita\nstate - kansas']), { address_street: '2215 Prairie Rose Ln', address_city: 'Wichita', address_state: 'KS' })
  t.equal(run(['Address: 6320 Sandpiper Cir, Naples FL 34102', 'correction, it is Bonita Springs 34134, not Naples']).address_city, 'Bonita Springs')
  t.equal(run(['address is 77 Ferncliff Rd, Asheville NC 28806', 'oops zip is 28804 not 28806']).address_street, '77 Ferncliff Rd', 'a ZIP corrected is no house number')
  t.equal(run(['were at 58 Tamarack Dr, Duluth MN 55803', "actually don't put our address on anything yet"]).address_street, null)
  t.equal(run(['gunnar.ostby@example.net', "you know what, don't email me, I get too much spam. phone is fine"]).email, null)
  t.equal(run(["our builder Keane Construction is at 400 Ridge Pkwy but the house we're building is 61 Meadowlark Ln, Lawrence KS 66049"]).address_street, '61 Meadowlark Ln')
  t.equal(run(['we moved from Duluth to Saint Paul last year']).address_city, 'Saint Paul')
  t.equal(run(['I live in Springfield', 'the one in Missouri lol']).address_state, 'MO')
})
