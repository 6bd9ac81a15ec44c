// The public supplier directory: GET /suppliers (search, filters, pages) and GET /suppliers/:id (a public profile).
import { Request, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { LEGAL_FORMS, NATION_OPTIONS, Option, REGISTRATION_SCHEMES, SIZES } from '../server/domain/applicationQuestions';
import { errorsFrom } from '../server/validation';
import { DIRECTORY_PAGE_SIZE, DirectoryFilters, DirectoryLot, DirectorySupplier, directoryLots, findListedSupplier, searchDirectory } from '../server/services/directory';
import { idParam, pageParam, paging } from './admin/helpers';

export const SEARCH_MAX = 100;

/** One value per parameter: a repeated parameter arrives as an array and fails here (400). Unknown names are ignored. */
const one = z.string().optional();
const querySchema = z.object({ q: one, lot: one, legalForm: one, nation: one, size: one, vcse: one, page: one });

const VCSE_OPTIONS: Option[] = [{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }];
const FILTER_ORDER = ['q', 'lot', 'legalForm', 'nation', 'size', 'vcse'] as const;
type FilterKey = (typeof FILTER_ORDER)[number];
type FilterValues = Partial<Record<FilterKey, string>>;

const textOf = (options: Option[], value?: string) => options.find((o) => o.value === value)?.text ?? value;

/** Reads and checks the query: a repeated or unknown filter value is a 400; search text over the limit is a form error. */
function readQuery(req: Request, lots: DirectoryLot[]): { values: FilterValues; filters: DirectoryFilters; searchError?: string } {
  const parsed = querySchema.safeParse(req.query);
  if (!parsed.success) throw createError(400);
  const values: FilterValues = {};
  for (const key of FILTER_ORDER) {
    const v = parsed.data[key]?.trim();
    if (v) values[key] = v;
  }
  const allowed = (options: Option[], v?: string) => {
    if (v !== undefined && !options.some((o) => o.value === v)) throw createError(400);
  };
  allowed(LEGAL_FORMS, values.legalForm);
  allowed(NATION_OPTIONS, values.nation);
  allowed(SIZES, values.size);
  allowed(VCSE_OPTIONS, values.vcse);
  const lot = values.lot === undefined ? undefined : lots.find((l) => String(l.number) === values.lot);
  if (values.lot !== undefined && !lot) throw createError(400);
  const searchError = values.q && values.q.length > SEARCH_MAX ? `Search text must be ${SEARCH_MAX} characters or fewer` : undefined;
  const filters: DirectoryFilters = {
    q: values.q, lot: lot?.id, legalForm: values.legalForm, nation: values.nation, size: values.size,
    vcse: values.vcse === undefined ? undefined : values.vcse === 'yes',
  };
  return { values, filters, searchError };
}

/** /suppliers with the current search and filters (in a fixed order) and, after the first, the page number. */
function directoryHref(values: FilterValues, page = 1): string {
  const params = new URLSearchParams();
  for (const key of FILTER_ORDER) if (values[key]) params.set(key, values[key]!);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `/suppliers?${qs}` : '/suppliers';
}

/** The pagination component, its links keeping the search and filters. */
function directoryPaging(values: FilterValues, page: number, total: number) {
  const pager = paging('/suppliers', page, total, DIRECTORY_PAGE_SIZE);
  if (pager.component) {
    const c = pager.component as { items: Array<Record<string, unknown>>; previous?: unknown; next?: unknown };
    pager.component = {
      items: c.items.map((i) => (typeof i.number === 'number' ? { ...i, href: directoryHref(values, i.number) } : i)),
      previous: page > 1 ? { href: directoryHref(values, page - 1) } : undefined,
      next: page < pager.pages ? { href: directoryHref(values, page + 1) } : undefined,
    };
  }
  return pager;
}

/** A website for a link: only an absolute http(s) URL, never javascript:, data: or anything else. */
export function safeWebsite(value?: string): string | undefined {
  // no spaces or control characters anywhere (URL parsing would quietly drop some of them)
  if (!value || [...value.trim()].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f) || /\s/.test(value.trim())) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function selectItems(options: Option[], all: string, selected?: string) {
  return [{ value: '', text: all }, ...options.map((o) => ({ value: o.value, text: o.text, selected: o.value === selected }))];
}

/** What a result and the profile show: plain text only, labels instead of stored codes. */
function present(s: DirectorySupplier) {
  return {
    id: s.id,
    href: `/suppliers/${s.id}`,
    name: s.name,
    tradingName: s.tradingName,
    legalForm: textOf(LEGAL_FORMS, s.legalForm),
    registrationScheme: textOf(REGISTRATION_SCHEMES, s.registrationScheme),
    registrationNumber: s.registrationNumber,
    nation: s.nation,
    region: s.region,
    size: textOf(SIZES, s.size),
    vcse: s.vcse,
    website: s.website,
    websiteHref: safeWebsite(s.website),
    description: s.description,
    lots: s.lots.map((l) => `Lot ${l.number}: ${l.title}`),
  };
}

export function directoryRouter(): Router {
  const router = Router();

  // GET /suppliers: search by name and description, filter by lot, legal form, nation, size and VCSE; 20 a page.
  router.get('/suppliers', async (req, res) => {
    const lots = await directoryLots();
    const { values, filters, searchError } = readQuery(req, lots);
    const page = pageParam(req);
    const lotOptions = lots.map((l) => ({ value: String(l.number), text: `Lot ${l.number}: ${l.title}` }));
    const choices = {
      lot: selectItems(lotOptions, 'All lots', values.lot),
      legalForm: selectItems(LEGAL_FORMS, 'All legal forms', values.legalForm),
      nation: selectItems(NATION_OPTIONS, 'All nations', values.nation),
      size: selectItems(SIZES, 'All sizes', values.size),
      vcse: selectItems(VCSE_OPTIONS, 'VCSE or not', values.vcse),
    };
    const filtered = FILTER_ORDER.some((k) => values[k]);
    if (searchError) {
      return res.status(400).render('directory/list', {
        pageTitle: 'Supplier directory', choices, values, filtered, errors: errorsFrom({ q: searchError }), results: [], pager: undefined,
      });
    }
    const { total, items } = await searchDirectory(filters, page);
    const pager = directoryPaging(values, page, total);
    res.render('directory/list', { pageTitle: 'Supplier directory', choices, values, filtered, results: items.map(present), pager });
  });

  // GET /suppliers/:id: a listed supplier's public profile; 404 for a malformed id or a supplier not (or no longer) admitted.
  router.get('/suppliers/:id', async (req, res) => {
    const supplier = await findListedSupplier(idParam(req));
    if (!supplier) throw createError(404);
    const s = present(supplier);
    const summary = [
      { key: { text: 'Trading name' }, value: { text: s.tradingName ?? 'Same as name' } },
      { key: { text: 'Legal form' }, value: { text: s.legalForm ?? 'Not given' } },
      { key: { text: 'Registered with' }, value: { text: s.registrationScheme ?? 'Not given' } },
      { key: { text: 'Registration number' }, value: { text: s.registrationNumber ?? 'Not given' } },
      { key: { text: 'Nation' }, value: { text: s.nation ?? 'Not given' } },
      { key: { text: 'Region' }, value: { text: s.region ?? 'Not given' } },
      { key: { text: 'Size' }, value: { text: s.size ?? 'Not given' } },
      { key: { text: 'Voluntary, community or social enterprise (VCSE)' }, value: { text: s.vcse === undefined ? 'Not given' : s.vcse ? 'Yes' : 'No' } },
    ];
    res.render('directory/show', { pageTitle: s.name, supplier: s, summary });
  });

  return router;
}
