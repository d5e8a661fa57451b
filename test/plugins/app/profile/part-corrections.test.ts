// Corrections of part of a value (plugins/app/profile/part-corrections.ts): the merge applies the part to the value
// it finds, within one message or across messages, and a part with nothing to correct changes nothing.
import t from 'tap'
import { CORPUS_OPTIONS } from '../../../fixtures/profile-corpus.ts'
import { runConversation } from '../../../helpers/profile-score.ts'
import { findPartCorrections, revisePart } from '../../../../plugins/app/profile/part-corrections.ts'

t.test('the last four digits of a phone number, in the same message or the next one', async (t) => {
  t.equal(runConversation(['my number is 773 555 0138 no wait 0183 sorry'], CORPUS_OPTIONS).phone, '+17735550183')
  t.equal(runConversation(['cell is 503-555-0124', 'oops, the last digits are 0142'], CORPUS_OPTIONS).phone, '+15035550142')
  t.equal(runConversation(['sorry, 2019 was the year we moved'], CORPUS_OPTIONS).phone, null, 'four digits with no phone to correct set nothing')
  t.equal(runConversation(['phone 503-555-0124', 'sorry, we moved here in 2019'], CORPUS_OPTIONS).phone, '+15035550124', 'a year is not a phone\'s digits')
})

t.test('a house number, a street suffix and an email domain', async (t) => {
  t.equal(runConversation(['Address: 2241 Sorrel Ln, Bozeman, MT 59718', 'oops, house number is 2214 not 2241'], CORPUS_OPTIONS).address_street, '2214 Sorrel Ln')
  t.equal(runConversation(['house is 77 Larch St, Missoula MT', 'no hang on, its Larch Ave not Larch St'], CORPUS_OPTIONS).address_street, '77 Larch Ave')
  t.equal(runConversation(['my email is sam.whitlock@example.com', 'sorry, that should be example.net at the end, not .com'], CORPUS_OPTIONS).email, 'sam.whitlock@example.net')
  t.equal(runConversation(['sorry, that should be example.net at the end'], CORPUS_OPTIONS).email, null, 'no email: nothing to correct')
})

t.test('revisePart refuses a part that does not fit the value', async (t) => {
  t.equal(revisePart('Maple Court', 'house_number', '12'), null)
  t.equal(revisePart('77 Larch St', 'street_name', 'Birch Ave'), null)
  t.equal(revisePart('not-an-email', 'email_domain', 'example.net'), null)
  t.equal(revisePart('+1503', 'last_digits', '0142'), null, 'not a whole number to correct')
  t.same(findPartCorrections('I have 2 cats, not 3 dogs', null), [], '"2, not 3" names no house number')
})

t.test('a unit added later, a top-level domain, a suffix named alone', async (t) => {
  t.equal(runConversation(['Address is 836 Fremont St, Monterey, CA 93940', "forgot to add, it's Apt 4"], CORPUS_OPTIONS).address_street, '836 Fremont St Apt 4')
  t.equal(runConversation(['Address is 836 Fremont St Unit 2', "forgot to add, it's Apt 4"], CORPUS_OPTIONS).address_street, '836 Fremont St Unit 2', 'a street with a unit keeps it')
  t.equal(runConversation(['email is priya.venkat@example.org - no sorry, .net, not .org'], CORPUS_OPTIONS).email, 'priya.venkat@example.net')
  t.equal(runConversation(['The house is 309 Whitfield Ave, Chelmsford, MA 01824.', "Oops, it's Whitfield Rd, not Ave."], CORPUS_OPTIONS).address_street, '309 Whitfield Rd')
})

t.test('a surname completes or replaces the last word of the name given before', async (t) => {
  t.equal(runConversation(['First name Leontine', 'Last name Harrowgate'], CORPUS_OPTIONS).customer_name, 'Leontine Harrowgate')
  t.equal(runConversation(['I\'m Ada Smith', 'sorry, my surname is Okafor'], CORPUS_OPTIONS).customer_name, 'Ada Okafor')
  t.equal(runConversation(['my last name is Okafor'], CORPUS_OPTIONS).customer_name, null, 'a surname alone is not the name the visitor goes by')
  t.equal(runConversation(['First name: Lupita\nSurname: Marquez'], CORPUS_OPTIONS).customer_name, 'Lupita Marquez', 'both parts in one message')
  t.equal(revisePart('Ada Okafor', 'surname', 'okafor'), null, 'the same surname changes nothing')
})
