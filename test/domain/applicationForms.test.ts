// The section form engine as pure functions: reading a flat body, validating each kind, summary rows.
import { expect } from 'chai';
import { Section } from '../../server/domain/applicationQuestions';
import { caseStudyProblems, isComplete, readForm, summaryRows, toFormValues, validateSection } from '../../server/domain/applicationForms';

const section: Section = {
  key: 'sample',
  title: 'Sample',
  fields: [
    { kind: 'text', name: 'name', label: 'Name', maxLength: 5 },
    { kind: 'money', name: 'amount', label: 'Amount' },
    { kind: 'date', name: 'when', label: 'Start date' },
    { kind: 'url', name: 'site', label: 'Website', required: false },
    { kind: 'textarea', name: 'story', label: 'Story', maxWords: 3 },
    { kind: 'checkboxes', name: 'tick', label: 'Tick', options: [{ value: 'a', text: 'A' }, { value: 'b', text: 'B' }] },
    { kind: 'yes-no-explain', name: 'bad', label: 'Anything bad?', explainLabel: 'Explain', explainMaxWords: 5 },
    { kind: 'repeat', name: 'items', label: 'Items', itemName: 'item', min: 1, max: 2, fields: [{ kind: 'text', name: 'x', label: 'X' }] },
  ],
};

const good = {
  name: 'Ada', amount: '1,500.50', 'when-day': '29', 'when-month': '2', 'when-year': '2024', site: 'https://example.coop',
  story: 'one two three', tick: ['b', 'a'], bad: 'no', 'items-0-x': 'first',
};

function errorsOf(body: Record<string, unknown>, mode: 'complete' | 'draft' = 'complete') {
  const r = validateSection(section, mode, readForm(section.fields, body));
  return r.ok ? {} : r.errors.fields;
}

describe('application forms engine', () => {
  it('turns a valid body into stored answers (pence, ISO dates, arrays, objects)', () => {
    const r = validateSection(section, 'complete', readForm(section.fields, good));
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.answers).to.deep.equal({
      name: 'Ada', amount: 150050, when: '2024-02-29', site: 'https://example.coop', story: 'one two three', tick: ['b', 'a'],
      bad: { answer: 'no' }, items: [{ x: 'first' }],
    });
    expect(isComplete(section, r.answers)).to.equal(true);
    // and back into the form
    expect(toFormValues(section.fields, r.answers)).to.deep.include({ amount: '1500.50', when: { day: '29', month: '2', year: '2024' } });
  });

  it('checks each kind', () => {
    expect(errorsOf({ ...good, name: 'Adaline' })).to.deep.equal({ name: 'Name must be 5 characters or fewer' });
    expect(errorsOf({ ...good, amount: '1.5' })).to.have.property('amount');
    expect(errorsOf({ ...good, amount: '-1' }).amount).to.contain('0 or more');
    expect(errorsOf({ ...good, 'when-day': '29', 'when-year': '2023' })).to.deep.equal({ 'when-day': 'Start date must be a real date' });
    expect(errorsOf({ ...good, 'when-month': 'Feb' })).to.deep.equal({});
    expect(errorsOf({ ...good, site: 'ftp://example.coop' })).to.have.property('site');
    expect(errorsOf({ ...good, site: 'data:text/html,hi' })).to.have.property('site');
    expect(errorsOf({ ...good, story: 'one two three four' })).to.deep.equal({ story: 'Story must be 3 words or fewer' });
    expect(errorsOf({ ...good, story: '  one\ttwo\n\nthree  ' })).to.deep.equal({});
    expect(errorsOf({ ...good, tick: ['c'] })).to.have.property('tick');
    expect(errorsOf({ ...good, bad: 'yes' })).to.have.property('bad-explanation');
    expect(errorsOf({ ...good, bad: 'maybe' })).to.have.property('bad');
    const { 'items-0-x': _dropped, ...noItems } = good;
    expect(errorsOf(noItems)).to.deep.equal({ items: 'Add at least 1 item' });
    expect(errorsOf({ ...good, 'items-0-x': '', 'items-1-x': 'y', 'items-2-x': 'z' })).to.deep.equal({ 'items-0-x': 'Item 1: Enter X' });
  });

  it('keeps partial answers in a draft but still checks type and length', () => {
    expect(errorsOf({ name: 'Ada' }, 'draft')).to.deep.equal({});
    expect(errorsOf({ name: 'Adaline', story: 'a b c d' }, 'draft')).to.have.keys('name', 'story');
    expect(errorsOf({ bad: 'yes' }, 'draft')).to.deep.equal({});
  });

  it('refuses an array where one answer is expected', () => {
    expect(errorsOf({ ...good, name: ['a', 'b'] })).to.have.property('name');
  });

  it('counts case studies per lot sought', () => {
    const lots = [{ _id: 'a', number: 1, title: 'Research' }, { _id: 'b', number: 2, title: 'Prototypes' }];
    expect(caseStudyProblems(lots, [{ lot: '1' }, { lot: '1' }, { lot: '2' }])).to.deep.equal(['Add at least 2 case studies for lot 2: Prototypes (you have 1)']);
    expect(caseStudyProblems(lots, [{ lot: '1' }, { lot: '1' }, { lot: '2' }, { lot: ' 2 ' }])).to.deep.equal([]);
  });

  it('makes summary rows with Change links to each field\u2019s first input', () => {
    const r = validateSection(section, 'complete', readForm(section.fields, good));
    if (!r.ok) throw new Error('expected valid');
    const rows = summaryRows(section, r.answers, { changeHref: '/x' });
    const byKey = Object.fromEntries(rows.map((row) => [row.key.text, row]));
    expect(byKey.Amount.value.text).to.equal('£1,500.50');
    expect(byKey['Start date'].value.text).to.equal('29 February 2024');
    expect(byKey['Start date'].actions!.items[0].href).to.equal('/x#when-day');
    expect(byKey.Tick.value.text).to.equal('B; A');
    expect(byKey['Anything bad?'].value.text).to.equal('No');
    expect(byKey['Item 1: X'].actions!.items[0].href).to.equal('/x#items-0-x');
    expect(summaryRows(section, {}).find((row) => row.key.text === 'Name')!.value.text).to.equal('Not answered');
  });
});
