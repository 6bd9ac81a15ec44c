// The DPS application's sections and questions, kept as data: the task list, the forms, server-side
// validation and the check-your-answers page all read this one definition (a new framework changes data, not code).

export interface Option {
  value: string;
  text: string;
  hint?: string;
}

interface FieldBase {
  /** form field name and key in the section's answers */
  name: string;
  label: string;
  hint?: string;
  /** false: may be left blank (default: required) */
  required?: boolean;
}

export type Field =
  | (FieldBase & { kind: 'text'; maxLength?: number; autocomplete?: string; width?: 'full' | 'two-thirds' | 'one-half' | 'one-third' | '20' | '10' })
  | (FieldBase & { kind: 'email' })
  | (FieldBase & { kind: 'url' })
  | (FieldBase & { kind: 'textarea'; maxWords: number })
  | (FieldBase & { kind: 'radios'; options: Option[] })
  | (FieldBase & { kind: 'checkboxes'; options: Option[] })
  | (FieldBase & { kind: 'money' })
  | (FieldBase & { kind: 'date' })
  /** a yes/no question; a yes needs an explanation (of self-cleaning, for exclusion grounds) */
  | (FieldBase & { kind: 'yes-no-explain'; explainLabel: string; explainMaxWords: number })
  /** an uploaded file, stored as a Document id with this purpose */
  | (FieldBase & { kind: 'file'; purpose: string })
  /** a group of fields answered several times (case studies, contacts) */
  | (FieldBase & { kind: 'repeat'; itemName: string; min: number; max: number; fields: Field[] });

export interface Section {
  key: string;
  title: string;
  /** shown at the top of the section's page */
  intro?: string;
  fields: Field[];
}

export const LEGAL_FORMS: Option[] = [
  { value: 'co-operative-society', text: 'Co-operative society' },
  { value: 'community-benefit-society', text: 'Community benefit society' },
  { value: 'cic', text: 'Community interest company (CIC)' },
  { value: 'charity', text: 'Charity or charitable incorporated organisation (CIO)' },
  { value: 'company-limited-by-guarantee', text: 'Company limited by guarantee' },
  { value: 'company-limited-by-shares', text: 'Company limited by shares' },
  { value: 'llp', text: 'Limited liability partnership (LLP)' },
  { value: 'partnership', text: 'Partnership' },
  { value: 'sole-trader', text: 'Sole trader' },
  { value: 'other', text: 'Other' },
];

export const REGISTRATION_SCHEMES: Option[] = [
  { value: 'companies-house', text: 'Companies House' },
  { value: 'fca-mutuals', text: 'FCA mutuals register' },
  { value: 'charity-commission', text: 'Charity Commission for England and Wales' },
  { value: 'oscr', text: 'Scottish Charity Regulator (OSCR)' },
  { value: 'other', text: 'Other' },
];

export const NATION_OPTIONS: Option[] = ['England', 'Wales', 'Scotland', 'Northern Ireland'].map((n) => ({ value: n, text: n }));

export const REGIONS: Option[] = [
  'North East', 'North West', 'Yorkshire and the Humber', 'East Midlands', 'West Midlands', 'East of England', 'London',
  'South East', 'South West', 'Wales', 'Scotland', 'Northern Ireland',
].map((r) => ({ value: r, text: r }));

export const SIZES: Option[] = [
  { value: 'micro', text: 'Micro', hint: 'Fewer than 10 staff and turnover up to £2 million' },
  { value: 'small', text: 'Small', hint: 'Fewer than 50 staff and turnover up to £10 million' },
  { value: 'medium', text: 'Medium', hint: 'Fewer than 250 staff and turnover up to £50 million' },
  { value: 'large', text: 'Large', hint: '250 staff or more, or turnover over £50 million' },
];

const YES_NO: Option[] = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
];

/** The seven International Co-operative Alliance principles, scored by the vetting panel, plus the values. */
export const PRINCIPLES: Array<{ key: string; title: string; guidance: string }> = [
  { key: 'voluntary-open-membership', title: 'Voluntary and open membership', guidance: 'How people can join or take part in your organisation, and how you make that open to all without discrimination.' },
  { key: 'democratic-member-control', title: 'Democratic member control', guidance: 'How members, staff or the people you serve take part in decisions, and how your governance is accountable to them.' },
  { key: 'member-economic-participation', title: 'Member economic participation', guidance: 'How any surplus is shared or reinvested, and how members or the community benefit from what you earn.' },
  { key: 'autonomy-independence', title: 'Autonomy and independence', guidance: 'How you keep control of your own decisions when you work with funders, councils or larger partners.' },
  { key: 'education-training-information', title: 'Education, training and information', guidance: 'How you help members, staff and the public learn about co-operation and develop their skills.' },
  { key: 'cooperation-among-cooperatives', title: 'Co-operation among co-operatives', guidance: 'How you work with other co-operatives and social enterprises, locally, nationally or internationally.' },
  { key: 'concern-for-community', title: 'Concern for community', guidance: 'How your work contributes to the sustainable development of the communities you serve.' },
];
export const VALUES_KEY = 'values';
export const SCORED_CRITERIA = [...PRINCIPLES.map((p) => ({ key: p.key, title: p.title })), { key: VALUES_KEY, title: 'Co-operative values' }];

const PRINCIPLE_WORDS = 300;

/** Mandatory (PA 2023 Schedule 6) and discretionary (Schedule 7) exclusion grounds, in the last 5 years. */
export const EXCLUSION_GROUNDS: Array<{ name: string; label: string; mandatory: boolean }> = [
  { name: 'corruption', label: 'Has the organisation, or anyone with control of it, been convicted of bribery, corruption or fraud?', mandatory: true },
  { name: 'organisedCrime', label: 'Has it been convicted of an offence relating to organised crime, terrorism or money laundering?', mandatory: true },
  { name: 'modernSlavery', label: 'Has it been convicted of labour market, slavery or human trafficking offences?', mandatory: true },
  { name: 'taxEvasion', label: 'Has it been found to have evaded tax or failed to prevent the facilitation of tax evasion?', mandatory: true },
  { name: 'nationalSecurity', label: 'Is it a threat to national security, or on the central debarment list?', mandatory: true },
  { name: 'insolvency', label: 'Is it insolvent, in administration, or in a similar arrangement?', mandatory: false },
  { name: 'environmentalBreach', label: 'Has it breached environmental, social or labour law obligations?', mandatory: false },
  { name: 'professionalMisconduct', label: 'Has it been found guilty of professional misconduct?', mandatory: false },
  { name: 'poorPerformance', label: 'Has a contract with it been ended early, or damages paid, because of poor performance?', mandatory: false },
  { name: 'competitionLaw', label: 'Has it been found to have breached competition law?', mandatory: false },
];

export const SECTIONS: Section[] = [
  {
    key: 'organisation',
    title: 'Organisation details',
    fields: [
      { kind: 'text', name: 'legalName', label: 'Legal name', autocomplete: 'organization', maxLength: 200 },
      { kind: 'text', name: 'tradingName', label: 'Trading name, if different', required: false, maxLength: 200 },
      { kind: 'radios', name: 'legalForm', label: 'Legal form', options: LEGAL_FORMS },
      { kind: 'radios', name: 'registrationScheme', label: 'Where is the organisation registered?', options: REGISTRATION_SCHEMES },
      { kind: 'text', name: 'registrationNumber', label: 'Registration number', width: '10', maxLength: 20 },
      { kind: 'textarea', name: 'registeredAddress', label: 'Registered address', maxWords: 60 },
      { kind: 'radios', name: 'nation', label: 'Nation', hint: 'The UK nation of your registered address. Its bank holidays count when we work out when we will decide your application.', options: NATION_OPTIONS },
      { kind: 'radios', name: 'region', label: 'Region', options: REGIONS },
      { kind: 'radios', name: 'size', label: 'Size', options: SIZES },
      { kind: 'radios', name: 'vcse', label: 'Is the organisation a voluntary, community or social enterprise (VCSE)?', options: YES_NO },
      { kind: 'url', name: 'website', label: 'Website', required: false },
      { kind: 'textarea', name: 'description', label: 'Short description for the supplier directory', hint: 'What you do and who for. Councils will see this in the directory.', maxWords: 100 },
    ],
  },
  {
    key: 'contacts',
    title: 'Contacts',
    fields: [
      { kind: 'text', name: 'mainName', label: 'Main contact: full name', autocomplete: 'name', maxLength: 200 },
      { kind: 'email', name: 'mainEmail', label: 'Main contact: email address' },
      { kind: 'text', name: 'mainPhone', label: 'Main contact: telephone number', autocomplete: 'tel', width: '20', maxLength: 30 },
      { kind: 'text', name: 'bidName', label: 'Bid contact: full name', hint: 'Who we send invitations to mini-competitions to', maxLength: 200 },
      { kind: 'email', name: 'bidEmail', label: 'Bid contact: email address' },
    ],
  },
  {
    key: 'lots',
    title: 'Lots',
    intro: 'Choose the lots you want to join and say for each why your organisation is suited to it.',
    // The lot choices come from the active lots at run time (see lotFields below).
    fields: [],
  },
  {
    key: 'exclusion',
    title: 'Exclusion grounds',
    intro: 'Answer for the last 5 years. If you answer yes, explain what you have done to put things right (self-cleaning).',
    fields: EXCLUSION_GROUNDS.map((g) => ({ kind: 'yes-no-explain' as const, name: g.name, label: g.label, explainLabel: 'What has the organisation done to put this right?', explainMaxWords: 300 })),
  },
  {
    key: 'financial',
    title: 'Economic and financial standing',
    fields: [
      { kind: 'money', name: 'turnoverLastYear', label: 'Turnover in your last financial year' },
      { kind: 'money', name: 'turnoverYearBefore', label: 'Turnover in the year before' },
      { kind: 'money', name: 'employersLiability', label: 'Employer\u2019s liability insurance cover', hint: 'Enter 0 if you employ no one' },
      { kind: 'file', name: 'employersLiabilityCertificate', label: 'Employer\u2019s liability certificate', purpose: 'insurance:employers-liability', required: false },
      { kind: 'money', name: 'publicLiability', label: 'Public liability insurance cover' },
      { kind: 'file', name: 'publicLiabilityCertificate', label: 'Public liability certificate', purpose: 'insurance:public-liability' },
      { kind: 'money', name: 'professionalIndemnity', label: 'Professional indemnity insurance cover' },
      { kind: 'file', name: 'professionalIndemnityCertificate', label: 'Professional indemnity certificate', purpose: 'insurance:professional-indemnity' },
    ],
  },
  {
    key: 'technical',
    title: 'Technical ability',
    intro: 'Give at least two case studies for each lot you are applying for.',
    fields: [
      {
        kind: 'repeat', name: 'caseStudies', itemName: 'case study', label: 'Case studies', min: 2, max: 12,
        fields: [
          { kind: 'text', name: 'lot', label: 'Lot number this case study is for', width: '10', maxLength: 2 },
          { kind: 'text', name: 'client', label: 'Client', maxLength: 200 },
          { kind: 'date', name: 'start', label: 'Start date' },
          { kind: 'date', name: 'end', label: 'End date' },
          { kind: 'money', name: 'value', label: 'Contract value' },
          { kind: 'textarea', name: 'work', label: 'What you did', maxWords: 250 },
          { kind: 'textarea', name: 'outcome', label: 'The outcome', maxWords: 250 },
          { kind: 'text', name: 'referee', label: 'Referee: name and email address', maxLength: 300 },
        ],
      },
    ],
  },
  {
    key: 'values',
    title: 'Values and principles',
    intro: 'Tell us how your organisation lives the co-operative values and the seven co-operative principles. You do not need to be a co-operative: we look for how you work, in proportion to your size.',
    fields: [
      ...PRINCIPLES.map((p) => ({ kind: 'textarea' as const, name: p.key, label: p.title, hint: `${p.guidance} Up to ${PRINCIPLE_WORDS} words.`, maxWords: PRINCIPLE_WORDS })),
      { kind: 'textarea', name: VALUES_KEY, label: 'Co-operative values', hint: `Self-help, self-responsibility, democracy, equality, equity and solidarity, and the ethical values of honesty, openness, social responsibility and caring for others. Up to ${PRINCIPLE_WORDS} words.`, maxWords: PRINCIPLE_WORDS },
    ],
  },
  {
    key: 'policies',
    title: 'Policies and evidence',
    intro: 'Upload your current policies as PDF, Word (DOCX), OpenDocument text (ODT), Excel (XLSX), PNG or JPEG files, up to 10 MB each.',
    fields: [
      { kind: 'file', name: 'equality', label: 'Equality and diversity policy', purpose: 'policy:equality' },
      { kind: 'file', name: 'safeguarding', label: 'Safeguarding policy', purpose: 'policy:safeguarding' },
      { kind: 'file', name: 'environmental', label: 'Environmental policy', purpose: 'policy:environmental' },
      { kind: 'file', name: 'modernSlavery', label: 'Modern slavery statement', purpose: 'policy:modern-slavery' },
      { kind: 'file', name: 'dataProtection', label: 'Data protection policy', purpose: 'policy:data-protection' },
      { kind: 'file', name: 'further', label: 'Any further evidence', purpose: 'evidence:further', required: false },
    ],
  },
  {
    key: 'declarations',
    title: 'Declarations',
    fields: [
      { kind: 'checkboxes', name: 'truth', label: 'Truth of answers', options: [{ value: 'agreed', text: 'I confirm the answers in this application are true and complete, and I am authorised to make this application for the organisation' }] },
      { kind: 'checkboxes', name: 'dataUse', label: 'Use of your information', options: [{ value: 'agreed', text: 'I agree that the network may use this information to assess the application, to run the DPS and to publish the directory entry' }] },
      { kind: 'checkboxes', name: 'noFees', label: 'No fees', options: [{ value: 'understood', text: 'I understand that joining the DPS is free and that no one may charge a fee for it' }] },
    ],
  },
];

export function sectionByKey(key: string): Section | undefined {
  return SECTIONS.find((s) => s.key === key);
}

/** The lots section's fields for the active lots: a checkbox per lot, and a statement for each chosen one. */
export function lotFields(lots: Array<{ _id: unknown; number: number; title: string }>): Field[] {
  return [
    { kind: 'checkboxes', name: 'lots', label: 'Which lots are you applying for?', hint: 'Select all that apply.', options: lots.map((l) => ({ value: String(l._id), text: `Lot ${l.number}: ${l.title}` })) },
    ...lots.map((l) => ({ kind: 'textarea' as const, name: `statement_${String(l._id)}`, label: `Why you are suited to lot ${l.number}: ${l.title}`, maxWords: 250, required: false })),
  ];
}

/** Words as the limits count them: runs of non-space characters. */
export function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}
