// Acronyms of the field (English SEND, children's services, local government,
// NHS). Reports write "the APP" in one generation and "the Accelerated Progress
// Plan" in the next, so both sides are expanded before terms are compared.
// Documents' own glossaries (document.glossary) and "Full Name (ACR)"
// definitions found in the text take precedence over this list.

export const BUILT_IN_GLOSSARY: Readonly<Record<string, string>> = {
  SEND: 'special educational needs and disabilities',
  SEN: 'special educational needs',
  SENDIASS: 'SEND information advice and support service',
  IASS: 'information advice and support service',
  SENCO: 'special educational needs coordinator',
  SENAR: 'special educational needs assessment and review',
  APP: 'accelerated progress plan',
  WSOA: 'written statement of action',
  DfE: 'Department for Education',
  DHSC: 'Department of Health and Social Care',
  NHS: 'National Health Service',
  NHSE: 'NHS England',
  ICS: 'integrated care system',
  ICB: 'integrated care board',
  CCG: 'clinical commissioning group',
  EHC: 'education health and care',
  EHCP: 'education health and care plan',
  EHCNA: 'education health and care needs assessment',
  LA: 'local authority',
  BCC: 'Birmingham City Council',
  BCT: "Birmingham Children's Trust",
  SIB: 'SEND improvement board',
  IB: 'improvement board',
  DCS: "director of children's services",
  DAS: 'director of adult services',
  BPCF: 'Birmingham parent carer forum',
  PCF: 'parent carer forum',
  AP: 'alternative provision',
  CYP: 'children and young people',
  CAMHS: 'child and adolescent mental health services',
  HTST: 'home to school transport',
  MTFP: 'medium term financial plan',
  TOM: 'target operating model',
  HR: 'human resources',
  KPI: 'key performance indicator',
  Ofsted: 'Office for Standards in Education',
  CQC: 'Care Quality Commission',
  JSNA: 'joint strategic needs assessment',
  SEMH: 'social emotional and mental health',
  ASD: 'autism spectrum disorder',
  ADHD: 'attention deficit hyperactivity disorder',
  LGA: 'Local Government Association',
  MP: 'member of parliament',
};

const LINK_WORDS = new Set(['and', 'of', 'for', 'the', 'to', 'in', 'on', '&']);

/**
 * Definitions written in the text as "Full Name (ACR)": the words before the
 * bracket whose initials spell the acronym (joining words like "and" may be
 * skipped). Only upper-case acronyms of 2..10 letters are taken.
 */
export function findDefinitions(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  const re = /\(\s*([A-Z][A-Za-z]{1,9})\s*\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const acronym = m[1];
    if (!/^[A-Z][a-z]?[A-Z]/.test(acronym) && !/^[A-Z]{2,}$/.test(acronym)) continue;
    const before = text.slice(Math.max(0, m.index - 200), m.index).split(/[\s\u2013\u2014-]+/).filter(Boolean);
    const letters = acronym.replace(/[a-z]/g, '').split('');
    const words: string[] = [];
    let li = letters.length - 1;
    for (let wi = before.length - 1; wi >= 0 && li >= 0; wi--) {
      const w = before[wi].replace(/^[^A-Za-z]+|[^A-Za-z']+$/g, '');
      if (!w) continue; // a bare bracket or dash
      if (LINK_WORDS.has(w.toLowerCase()) && words.length > 0) {
        words.unshift(w);
        continue;
      }
      if (w[0].toUpperCase() !== letters[li]) break;
      words.unshift(w);
      li--;
    }
    if (li < 0 && words.length >= 2) found[acronym] = words.join(' ');
  }
  return found;
}
