// The network's starting social-value measure catalogue (TOMs style), written for the kinds of contract councils
// place through this DPS. Proxy values are in pence per unit, with the year each was set; admins re-base them.
export interface MeasureSeed {
  code: string;
  theme: string;
  outcome: string;
  description: string;
  unit: string;
  proxyValuePence: number;
  proxyYear: number;
}

const JOBS = 'Tackling economic inequality: good local jobs';
const LOCAL = 'Community wealth building: local spend';
const COMMUNITY = 'Stronger, more resilient communities';
const CLIMATE = 'Fighting climate change';
const WELLBEING = 'Equal opportunity and wellbeing';

export const MEASURE_CATALOGUE: MeasureSeed[] = [
  { code: 'CCIN-J1', theme: JOBS, outcome: 'More local people in good work', description: 'Full-time equivalent local people employed on the contract for its duration, paid at least the Real Living Wage', unit: 'FTE jobs', proxyValuePence: 3_200_000, proxyYear: 2026 },
  { code: 'CCIN-J2', theme: JOBS, outcome: 'More young people starting a career', description: 'Weeks of apprenticeship on the contract (levels 2 to 7) for local residents', unit: 'apprenticeship weeks', proxyValuePence: 25_000, proxyYear: 2026 },
  { code: 'CCIN-J3', theme: JOBS, outcome: 'Barriers to work reduced', description: 'Hours of paid work placements or supported internships for people facing barriers to employment (disabled people, care leavers, people leaving prison)', unit: 'placement hours', proxyValuePence: 1_500, proxyYear: 2026 },
  { code: 'CCIN-J4', theme: JOBS, outcome: 'Fair work', description: 'Staff on the contract newly moved to at least the Real Living Wage', unit: 'people', proxyValuePence: 180_000, proxyYear: 2026 },
  { code: 'CCIN-L1', theme: LOCAL, outcome: 'Money kept in the local economy', description: 'Spend on the contract with voluntary, community and social enterprises (VCSEs) in the council\u2019s area', unit: '\u00a3 spent with local VCSEs', proxyValuePence: 20, proxyYear: 2026 },
  { code: 'CCIN-L2', theme: LOCAL, outcome: 'A stronger co-operative economy', description: 'Spend on the contract with co-operatives and employee-owned businesses', unit: '\u00a3 spent with co-operatives', proxyValuePence: 20, proxyYear: 2026 },
  { code: 'CCIN-L3', theme: LOCAL, outcome: 'Local small businesses grow', description: 'Spend on the contract with micro and small businesses within 30 miles', unit: '\u00a3 spent with local SMEs', proxyValuePence: 15, proxyYear: 2026 },
  { code: 'CCIN-C1', theme: COMMUNITY, outcome: 'Communities supported by volunteering', description: 'Hours staff volunteer with local community groups during working time', unit: 'volunteering hours', proxyValuePence: 1_700, proxyYear: 2026 },
  { code: 'CCIN-C2', theme: COMMUNITY, outcome: 'Community organisations more capable', description: 'Hours of expert support (finance, governance, digital, legal) given free to local VCSEs and community-led groups', unit: 'expert hours', proxyValuePence: 10_000, proxyYear: 2026 },
  { code: 'CCIN-C3', theme: COMMUNITY, outcome: 'Residents shape decisions', description: 'Participatory sessions (citizens\u2019 panels, community assemblies, co-design workshops) held with residents', unit: 'sessions', proxyValuePence: 60_000, proxyYear: 2026 },
  { code: 'CCIN-C4', theme: COMMUNITY, outcome: 'Community ownership of assets', description: 'Community groups given practical support with community asset transfer or community-led housing', unit: 'groups supported', proxyValuePence: 250_000, proxyYear: 2026 },
  { code: 'CCIN-E1', theme: CLIMATE, outcome: 'Carbon emissions cut', description: 'Tonnes of carbon dioxide equivalent saved on the contract against its baseline', unit: 'tonnes CO2e saved', proxyValuePence: 24_800, proxyYear: 2026 },
  { code: 'CCIN-E2', theme: CLIMATE, outcome: 'Fewer car journeys', description: 'Miles of business travel moved from car to walking, cycling or public transport', unit: 'miles', proxyValuePence: 30, proxyYear: 2026 },
  { code: 'CCIN-W1', theme: WELLBEING, outcome: 'Digital inclusion', description: 'Digital inclusion sessions (skills, devices, data) for residents who are offline or lack confidence online', unit: 'sessions', proxyValuePence: 4_500, proxyYear: 2026 },
  { code: 'CCIN-W2', theme: WELLBEING, outcome: 'Skills for the future', description: 'Hours of training for local residents and the council\u2019s staff leading to a recognised qualification', unit: 'training hours', proxyValuePence: 2_500, proxyYear: 2026 },
  { code: 'CCIN-W3', theme: WELLBEING, outcome: 'Care and wellbeing', description: 'Hours of support for unpaid carers or people at risk of loneliness, delivered with local groups', unit: 'support hours', proxyValuePence: 2_000, proxyYear: 2026 },
];
