// Cased English prose with lower-case common-noun entities (generic drugs, diseases, procedures,
// body parts) next to capitalised names. Written by hand before looking at the model's output;
// used as a sanity check of the committed tagger, not for tuning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefaultDetector } from '../../server/src/engine/detect/index.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';

// BEGIN CASED_PROSE_CHECKS
const CASED_PROSE_CHECKS: Array<{ text: string; entities: string[] }> = [
  { "text": "Today doctors prescribe amoxicillin, ibuprofen and metformin every day.", "entities": ["amoxicillin", "ibuprofen", "metformin"] },
  { "text": "Doctors prescribe ibuprofen and metformin for migraine.", "entities": ["ibuprofen", "metformin", "migraine"] },
  { "text": "My sister has had migraine since she moved to Chicago.", "entities": ["migraine", "Chicago"] },
  { "text": "Dr. Patel switched him from warfarin to apixaban after the stroke.", "entities": ["Dr. Patel", "warfarin", "apixaban", "stroke"] },
  { "text": "The clinic in Leeds offers chemotherapy and radiotherapy for leukemia patients.", "entities": ["Leeds", "chemotherapy", "radiotherapy", "leukemia"] },
  { "text": "She was diagnosed with asthma and now uses a salbutamol inhaler.", "entities": ["asthma", "salbutamol"] },
  { "text": "After the colonoscopy, Mark took paracetamol for the pain.", "entities": ["colonoscopy", "Mark", "paracetamol"] },
  { "text": "Pfizer and Moderna both reported that their vaccines reduce the risk of pneumonia.", "entities": ["Pfizer", "Moderna", "pneumonia"] },
  { "text": "Insulin resistance is common in people with type 2 diabetes.", "entities": ["Insulin", "type 2 diabetes"] },
  { "text": "The surgeon at Mount Sinai repaired a torn meniscus in his left knee.", "entities": ["Mount Sinai", "meniscus", "knee"] },
  { "text": "Grandpa takes aspirin and atorvastatin since his angioplasty in Boston.", "entities": ["aspirin", "atorvastatin", "angioplasty", "Boston"] },
  { "text": "Tuberculosis is still treated with rifampicin and isoniazid in India.", "entities": ["Tuberculosis", "rifampicin", "isoniazid", "India"] },
  { "text": "Notes from the meeting with Angela Merkel about malaria funding.", "entities": ["Angela Merkel", "malaria"] },
  { "text": "He wore a kilt and a sporran at the wedding in Edinburgh.", "entities": ["kilt", "sporran", "Edinburgh"] },
  { "text": "The vet gave our dog prednisone for its arthritis.", "entities": ["prednisone", "arthritis"] },
  { "text": "Lisa read that melatonin can help with insomnia and jet lag.", "entities": ["Lisa", "melatonin", "insomnia", "jet lag"] },
];
// END CASED_PROSE_CHECKS

test('committed tagger: cased prose with lower-case drugs/diseases still finds the names (lower-case recall reported)', (t) => {
  const det = loadDefaultDetector(loadWordVectors());
  let lowTp = 0, lowN = 0, capTp = 0, capN = 0;
  for (const c of CASED_PROSE_CHECKS) {
    const found = det.detect(c.text).map((x) => c.text.slice(x.start, x.end));
    for (const e of c.entities) {
      // Lower-case entities; a sentence-initial one ("Tuberculosis") counts with the capitalised.
      if (e === e.toLowerCase()) { lowN++; if (found.includes(e)) lowTp++; } else { capN++; if (found.includes(e)) capTp++; }
    }
  }
  t.diagnostic(`capitalised entities found ${capTp}/${capN}; lower-case entities found ${lowTp}/${lowN}`);
  assert.ok(capTp / capN >= CAP_MIN, `capitalised entities found ${capTp}/${capN}`);
  // tagger-v1 alone found none of the lower-case drugs and diseases (its training labels have no
  // drug/disease types); the WordNet term lexicon (detect/terms.ts) finds the ones WordNet lists.
  // Still missed: body parts, clothing, drugs newer than WordNet (MODEL_CARD.md).
  assert.ok(lowTp / lowN >= LOW_MIN, `lower-case entities found ${lowTp}/${lowN}`);
});

// A little below the committed detector's figures (14/14 capitalised; lower-case 19/34 with the
// term lexicon, 0/34 without it).
const CAP_MIN = 0.7;
const LOW_MIN = 0.5;
